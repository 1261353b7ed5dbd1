import assert from 'node:assert/strict';
import request from 'supertest';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from '../routes/hub-app';

interface Report {
  verdict: string;
  license: { status: string } | null;
  checks: { step: string; ok: boolean | null; detail: string }[];
  history: { action?: string; status?: string }[];
}

/**
 * The embedded ledger remembers the answers of read-only evaluations between commits (anchors, registry records,
 * history). A verification must still see every status change the moment the change has committed, whichever way the
 * license is presented and whoever asks; these tests warm every remembered answer first, then change the status.
 */
describe('POST /v1/verify right after a status change', function () {
  this.timeout(60_000);
  let hub: HubApp;
  let licenseId: string;
  let bodies: { name: string; body: object }[];

  before(async () => {
    hub = await openHubApp();
    const res = await request(hub.app)
      .post('/v1/licenses')
      .set(bearer('dev-wuhan-clerk'))
      .send(businessLicenseRequest())
      .expect(201);
    const issued = res.body as { licenseId: string; docHash: string; document: object };
    licenseId = issued.licenseId;
    bodies = [
      { name: 'licenseId', body: { licenseId } },
      { name: 'document', body: { document: issued.document } },
      { name: 'qr', body: { qr: `certhub:1:${licenseId}:${issued.docHash}` } },
    ];
  });
  after(async () => {
    await hub.dispose();
  });

  const verifyAll = async (): Promise<Report[]> => {
    const reports: Report[] = [];
    for (const { body } of bodies) {
      for (const caller of [undefined, 'dev-guangde-verifier']) {
        const req = request(hub.app).post('/v1/verify');
        if (caller !== undefined) void req.set(bearer(caller));
        reports.push((await req.send(body).expect(200)).body as Report);
      }
    }
    return reports;
  };

  const change = async (action: string): Promise<void> => {
    await request(hub.app)
      .post(`/v1/licenses/${licenseId}/${action}`)
      .set(bearer('dev-wuhan-clerk'))
      .send({ reason: `test ${action}` })
      .expect(200);
  };

  const statusCheck = (report: Report): { ok: boolean | null; detail: string } | undefined =>
    report.checks.find((c) => c.step === 'status');

  it('is VALID, then INVALID at status as soon as a suspension commits, VALID after reinstatement', async () => {
    for (let i = 0; i < 3; i++) {
      for (const report of await verifyAll()) assert.equal(report.verdict, 'VALID');
    }
    await change('suspend');
    for (const report of await verifyAll()) {
      assert.equal(report.verdict, 'INVALID');
      assert.equal(report.license?.status, '02');
      assert.deepEqual(statusCheck(report), { step: 'status', ok: false, detail: 'status 02 (suspended)' });
    }
    await change('reinstate');
    for (const report of await verifyAll()) {
      assert.equal(report.verdict, 'VALID');
      assert.equal(report.license?.status, '01');
    }
  });

  it('is INVALID at status right after a revocation, with the revocation in the history', async () => {
    const before = await verifyAll();
    const historyLength = before[0]?.history.length ?? 0;
    await change('revoke');
    for (const report of await verifyAll()) {
      assert.equal(report.verdict, 'INVALID');
      assert.equal(statusCheck(report)?.ok, false);
      assert.equal(statusCheck(report)?.detail, 'status 07 (revoked)');
      assert.equal(report.history.length, historyLength + 1);
    }
  });
});
