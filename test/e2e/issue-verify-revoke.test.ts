import assert from 'node:assert/strict';
import request from 'supertest';
import type { LicenseDocument } from '@certhub/certs-service';
import { qrPayload } from '@certhub/gateway/dist/qr';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from '../unit/gateway/routes/hub-app';

/*
 * Issue 4's end-to-end flow over HTTP, on a development gateway as `npm start` builds it: a clerk issues, anyone
 * verifies, a one-byte change is caught and named, a revocation turns the verdict at `status`, and the history shows
 * both; then verification across regions with and without a recognition agreement.
 */

interface Check {
  step: string;
  ok: boolean | null;
  detail: string;
}
interface Report {
  verdict: string;
  recognized: boolean | null;
  checkedAt: string;
  license: Record<string, unknown> | null;
  checks: Check[];
  history: { action: string; status: string; txId: string }[];
}
interface Issued {
  licenseId: string;
  docHash: string;
  txId: string;
  document: LicenseDocument;
}

const STEPS = ['format', 'hash', 'signature', 'issuer', 'anchor', 'status', 'validity', 'recognition'];

/** The first step that failed: what a verifier is told went wrong. */
const firstFailure = (report: Report): string | undefined => report.checks.find((c) => c.ok === false)?.step;

/** The same instant with its last millisecond digit changed: one byte, still a valid time. */
const nextMillisecond = (iso: string): string => iso.replace(/\d(?=Z$)/, (d) => String((Number(d) + 1) % 10));

/** Changes one character of a string (a single-byte change for ASCII), keeping it ASCII. */
function flipOne(text: string, at: number): string {
  const code = text.charCodeAt(at);
  const replacement =
    code === 0x41
      ? 'B'
      : code === 0x30
        ? '1'
        : code >= 0x61 && code <= 0x7a
          ? code === 0x7a
            ? 'y'
            : String.fromCharCode(code + 1)
          : 'A';
  return text.slice(0, at) + replacement + text.slice(at + 1);
}

describe('e2e: issue → verify → tamper → revoke → history', function () {
  this.timeout(60_000);
  let hub: HubApp;
  let issued: Issued;

  const verify = async (body: unknown, headers: Record<string, string> = {}): Promise<Report> => {
    const res = await request(hub.app)
      .post('/v1/verify')
      .set(headers)
      .send(body as object);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as Report;
  };

  before(async () => {
    hub = await openHubApp();
    const res = await request(hub.app)
      .post('/v1/licenses')
      .set(bearer('dev-wuhan-clerk'))
      .send(businessLicenseRequest());
    assert.equal(res.status, 201);
    issued = res.body as Issued;
  });
  after(async () => {
    await hub.dispose();
  });

  it('verifies the issued document VALID for an anonymous caller, every step reported in order', async () => {
    const report = await verify({ document: issued.document });
    assert.equal(report.verdict, 'VALID', JSON.stringify(report.checks));
    assert.equal(report.recognized, null);
    assert.deepEqual(
      report.checks.map((c) => c.step),
      STEPS,
    );
    assert.deepEqual(
      report.checks.map((c) => c.ok),
      [true, true, true, true, true, true, true, null],
    );
    assert.ok(Math.abs(Date.parse(report.checkedAt) - Date.now()) < 60_000);
    assert.ok(report.license);
    assert.equal(report.license.licenseId, issued.licenseId);
    const holder = report.license.holder as { name: string; id?: string };
    assert.equal(holder.name, '武汉光谷示例科技有限公司');
    assert.equal(holder.id, undefined, 'the report never repeats the holder ID');
    assert.deepEqual(
      report.history.map((h) => h.action),
      ['issue'],
    );
    assert.equal(report.history[0]?.txId, issued.txId);
  });

  it('verifies by license ID and by QR payload too', async () => {
    assert.equal((await verify({ licenseId: issued.licenseId })).verdict, 'VALID');
    assert.equal((await verify({ licenseId: issued.licenseId, docHash: issued.docHash })).verdict, 'VALID');
    assert.equal((await verify({ qr: qrPayload(issued.licenseId, issued.docHash) })).verdict, 'VALID');
    const otherVersion = await verify({ qr: qrPayload(issued.licenseId, 'f'.repeat(64)) });
    assert.equal(otherVersion.verdict, 'INVALID');
    assert.equal(firstFailure(otherVersion), 'hash');
  });

  it('answers INVALID naming the failing step for a one-byte change anywhere that is signed', async () => {
    const doc = issued.document;
    const cases: [string, LicenseDocument, string][] = [
      ['license name', { ...doc, name: doc.name + ' ' }, 'signature'],
      ['number', { ...doc, number: flipOne(doc.number, doc.number.length - 1) }, 'signature'],
      ['validUntil', { ...doc, validUntil: '2036-01-02' }, 'signature'],
      ['holder USCC', { ...doc, holder: { ...doc.holder, id: flipOne(doc.holder.id, 3) } }, 'format'],
      ['fields', { ...doc, fields: { ...doc.fields, capital: '900万元' } }, 'signature'],
      [
        'signature value',
        { ...doc, proof: { ...doc.proof, signatureValue: flipOne(doc.proof.signatureValue, 20) } },
        'signature',
      ],
      // A byte of the certificate outside its key still verifies the document but breaks the root CA's signature on it.
      ['certificate', { ...doc, proof: { ...doc.proof, certificate: flipOne(doc.proof.certificate, 200) } }, 'issuer'],
      ['signing time', { ...doc, proof: { ...doc.proof, created: '2020-01-01T00:00:00.000Z' } }, 'issuer'],
      // Within the certificate's validity the chain still holds, but the signing time on chain no longer matches.
      [
        'signing time, one digit',
        { ...doc, proof: { ...doc.proof, created: nextMillisecond(doc.proof.created) } },
        'anchor',
      ],
    ];
    for (const [what, tampered, step] of cases) {
      const report = await verify({ document: tampered });
      assert.equal(report.verdict, 'INVALID', what);
      assert.equal(firstFailure(report), step, `${what}: ${JSON.stringify(report.checks)}`);
    }
    const malformed = await verify({ document: { licenseId: issued.licenseId } });
    assert.equal(malformed.verdict, 'INVALID');
    assert.equal(firstFailure(malformed), 'format');
    assert.ok(malformed.checks.slice(1, 7).every((c) => c.ok === null));
  });

  it('after a revocation answers INVALID at status only, and the history shows issue and revoke', async () => {
    const revoke = await request(hub.app)
      .post(`/v1/licenses/${issued.licenseId}/revoke`)
      .set(bearer('dev-wuhan-clerk'))
      .send({ reason: '以欺骗手段取得 (obtained by fraud)' });
    assert.equal(revoke.status, 200);
    const report = await verify({ document: issued.document });
    assert.equal(report.verdict, 'INVALID');
    assert.equal(firstFailure(report), 'status');
    assert.deepEqual(
      report.checks.filter((c) => c.ok === false).map((c) => c.step),
      ['status'],
    );
    assert.match(report.checks.find((c) => c.step === 'status')?.detail ?? '', /07 \(revoked\)/);
    assert.deepEqual(
      report.history.map((h) => [h.action, h.status]),
      [
        ['issue', '01'],
        ['revoke', '07'],
      ],
    );
    const history = await request(hub.app)
      .get(`/v1/licenses/${issued.licenseId}/history`)
      .set(bearer('dev-guangde-verifier'))
      .expect(200);
    assert.deepEqual(
      (history.body as { entries: { action: string }[] }).entries.map((e) => e.action),
      ['issue', 'revoke'],
    );
  });

  it('reports recognition across regions: own region, no agreement, then an accepted agreement', async () => {
    const fresh = (
      await request(hub.app).post('/v1/licenses').set(bearer('dev-wuhan-clerk')).send(businessLicenseRequest())
    ).body as Issued;
    const recognition = (report: Report) => report.checks.find((c) => c.step === 'recognition');

    const own = await verify({ licenseId: fresh.licenseId }, bearer('dev-wuhan-clerk'));
    assert.equal(own.recognized, true);
    assert.match(recognition(own)?.detail ?? '', /own region/);

    const before = await verify({ document: fresh.document }, bearer('dev-guangde-verifier'));
    assert.equal(before.verdict, 'VALID', 'recognition never changes the verdict');
    assert.equal(before.recognized, false);
    assert.equal(recognition(before)?.ok, false);

    // Guangde (accepting) proposes to recognise Wuhan's business licenses; Wuhan (issuing) accepts.
    const { world, ledger } = hub.hub;
    const proposed = await ledger.submit(world.identities['guangde-admin']!, {
      contract: 'recognition',
      fn: 'propose',
      args: [
        JSON.stringify({
          acceptingRegion: '341882',
          issuingRegion: '420100',
          licenseTypes: ['11100000000013338W032'],
          validFrom: '2026-01-01',
          validUntil: null,
        }),
      ],
    });
    const { id } = JSON.parse(Buffer.from(proposed.payload).toString()) as { id: string };
    await ledger.submit(world.identities['wuhan-admin']!, { contract: 'recognition', fn: 'accept', args: [id] });

    const after = await verify({ document: fresh.document }, bearer('dev-guangde-verifier'));
    assert.equal(after.verdict, 'VALID');
    assert.equal(after.recognized, true);
    assert.match(recognition(after)?.detail ?? '', new RegExp(id));

    const huangshi = await verify({ document: fresh.document }, bearer('dev-huangshi-verifier'));
    assert.equal(huangshi.recognized, false, 'the agreement is Guangde’s, not Huangshi’s');

    const bank = await verify({ document: fresh.document }, bearer('dev-bank'));
    assert.equal(bank.recognized, null, 'a bank acts for no region');
  });

  it('answers UNKNOWN, not INVALID, when the ledger cannot be reached', async () => {
    await hub.hub.ledger.close();
    const report = await verify({ document: issued.document });
    assert.equal(report.verdict, 'UNKNOWN');
    assert.deepEqual(
      report.checks.slice(0, 3).map((c) => c.ok),
      [true, true, true],
    );
    assert.match(report.checks.find((c) => c.step === 'issuer')?.detail ?? '', /ledger unreachable/);
    const health = await request(hub.app).get('/healthz');
    assert.equal(health.status, 503);
    const read = await request(hub.app).get(`/v1/licenses/${issued.licenseId}`).set(bearer('dev-bank'));
    assert.equal(read.status, 503);
    assert.equal((read.body as { code: string }).code, 'LEDGER_CLOSED');
  });
});
