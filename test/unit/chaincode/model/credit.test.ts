import assert from 'node:assert/strict';
import { canonicalize } from '@certhub/certs-service';
import type { CreditHeader, CreditRecord } from '@certhub/chaincode';
import { creditSigningBytes, summarize } from '@certhub/chaincode/dist/model/credit';
import { serialize } from '@certhub/chaincode/dist/serialization';

const header: CreditHeader = {
  recordHash: 'ab'.repeat(32),
  subject: '91420100MA4K00001X',
  category: 'ADMIN_PENALTY',
  severity: 'GENERAL',
  decisionDate: '2026-08-31',
  source: '11420100MB00000011',
};

describe('chaincode model: credit records', () => {
  it('signs the canonical JSON of the header under a purpose tag', () => {
    const text = Buffer.from(creditSigningBytes(header)).toString('utf8');
    assert.equal(text, canonicalize({ ...header, purpose: 'certhub-credit-record' }));
  });

  it('binds every header field: changing any one changes the signed bytes', () => {
    const base = Buffer.from(creditSigningBytes(header));
    const changes: Partial<CreditHeader>[] = [
      { recordHash: 'cd'.repeat(32) },
      { subject: '91420100MA4K00002X' },
      { category: 'BLACKLIST' },
      { severity: 'SERIOUS' },
      { decisionDate: '2026-09-01' },
      { source: '11341882MB00000022' },
    ];
    for (const change of changes) {
      assert.notDeepEqual(Buffer.from(creditSigningBytes({ ...header, ...change })), base, JSON.stringify(change));
    }
  });

  it('summarises a record for profiles: facts and anchoring tx, without signature and stamps', () => {
    const stamp = { txId: 'tx-1', timestamp: '2026-09-01T00:00:00.000Z', mspId: 'WuhanMSP', actor: 'x509::long' };
    const record: CreditRecord = {
      recordId: 'cr-1',
      subject: header.subject,
      category: 'ADMIN_PENALTY',
      severity: 'GENERAL',
      domains: ['OTHER'],
      rating: null,
      decisionDate: '2026-08-31',
      minimumUntil: '2026-11-30',
      publicUntil: '2027-08-31',
      source: header.source,
      region: '420100',
      recordHash: header.recordHash,
      signature: 'MEUCIQ==',
      signerFingerprint: 'f'.repeat(64),
      status: 'ACTIVE',
      repairedOn: null,
      withdrawnOn: null,
      anchored: stamp,
      lastChange: { ...stamp, action: 'anchor', status: 'ACTIVE', effective: '2026-09-01', reason: null },
    };
    assert.deepEqual(summarize(record), {
      recordId: 'cr-1',
      subject: header.subject,
      category: 'ADMIN_PENALTY',
      severity: 'GENERAL',
      domains: ['OTHER'],
      rating: null,
      decisionDate: '2026-08-31',
      minimumUntil: '2026-11-30',
      publicUntil: '2027-08-31',
      source: header.source,
      region: '420100',
      recordHash: header.recordHash,
      signerFingerprint: 'f'.repeat(64),
      status: 'ACTIVE',
      repairedOn: null,
      withdrawnOn: null,
      anchoredTxId: 'tx-1',
    });
    // Read back from state (written with sorted keys), a summary's keys come out sorted, as serialisation writes them.
    const stored = JSON.parse(serialize(record)) as CreditRecord;
    const keys = Object.keys(summarize(stored));
    assert.deepEqual(keys, [...keys].sort());
  });
});
