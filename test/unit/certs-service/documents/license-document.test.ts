import assert from 'node:assert/strict';
import {
  canonicalize,
  documentHash,
  documentSigningBytes,
  type LicenseDocument,
  sm3Hex,
  withoutProof,
} from '@certhub/certs-service';
import { sampleUnsignedDocument } from './sample-document';

function signedShape(): LicenseDocument {
  return {
    ...sampleUnsignedDocument(),
    proof: {
      type: 'SM2SignatureSM3',
      created: '2026-11-21T08:00:00.000Z',
      certificate: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n',
      signatureValue: 'MEUCIQ…',
    },
  };
}

describe('license document hashing', () => {
  it('signs and hashes the canonical JSON of the document without proof', () => {
    const unsigned = sampleUnsignedDocument();
    const text = Buffer.from(documentSigningBytes(unsigned)).toString('utf8');
    assert.equal(text, canonicalize(unsigned));
    assert.ok(text.startsWith('{"fields":{"employees":42,"registeredCapital":"1000万元人民币"'));
    assert.equal(documentHash(unsigned), sm3Hex(canonicalize(unsigned)));
    assert.match(documentHash(unsigned), /^[0-9a-f]{64}$/);
  });

  it('gives the same docHash with or without proof, and whatever the proof says', () => {
    const signed = signedShape();
    assert.equal(documentHash(signed), documentHash(sampleUnsignedDocument()));
    const otherProof = { ...signed, proof: { ...signed.proof, signatureValue: 'different' } };
    assert.equal(documentHash(otherProof), documentHash(signed));
    assert.ok(!Buffer.from(documentSigningBytes(signed)).toString('utf8').includes('proof'));
  });

  it('does not depend on member order', () => {
    const doc = sampleUnsignedDocument();
    const reordered = Object.fromEntries(Object.entries(doc).reverse()) as typeof doc;
    assert.equal(documentHash(reordered), documentHash(doc));
  });

  it('changes with any field', () => {
    const base = documentHash(sampleUnsignedDocument());
    const changes = [
      { ...sampleUnsignedDocument(), version: 2 },
      { ...sampleUnsignedDocument(), validUntil: '2031-11-20' },
      { ...sampleUnsignedDocument(), holder: { ...sampleUnsignedDocument().holder, id: '914403001922038217' } },
      { ...sampleUnsignedDocument(), fields: { ...sampleUnsignedDocument().fields, employees: 43 } },
    ];
    for (const changed of changes) assert.notEqual(documentHash(changed), base);
  });

  it('strips proof without touching the input', () => {
    const signed = signedShape();
    const stripped = withoutProof(signed);
    assert.ok(!('proof' in stripped));
    assert.ok('proof' in signed);
    assert.deepEqual(stripped, sampleUnsignedDocument());
  });
});
