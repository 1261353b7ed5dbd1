import assert from 'node:assert/strict';
import request from 'supertest';
import { buildLicenseId, parseLicenseId } from '@certhub/certs-service';
import type { Problem } from '@certhub/gateway/dist/http/problem';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from './hub-app';

const problem = (res: request.Response): Problem => res.body as Problem;

describe('POST /v1/verify and issuance refusals', function () {
  this.timeout(60_000);
  let hub: HubApp;
  let licenseId: string;

  before(async () => {
    hub = await openHubApp();
    const res = await request(hub.app)
      .post('/v1/licenses')
      .set(bearer('dev-guangde-clerk'))
      .send(businessLicenseRequest());
    licenseId = (res.body as { licenseId: string }).licenseId;
  });
  after(async () => {
    await hub.dispose();
  });

  it('answers 400 for a body that names no subject, two subjects, a docHash alone or a bad QR payload', async () => {
    const cases: [unknown, string][] = [
      [{}, ''],
      [{ licenseId, qr: `certhub:1:${licenseId}:${'a'.repeat(64)}` }, ''],
      [{ docHash: 'a'.repeat(64), document: {} }, '/licenseId'],
      [{ qr: 'certhub:2:nonsense' }, '/qr'],
      [{ licenseId, docHash: 'ABC' }, '/docHash'],
      [{ licenseId, extra: 1 }, '/extra'],
    ];
    for (const [body, pointer] of cases) {
      const res = await request(hub.app)
        .post('/v1/verify')
        .send(body as object);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(problem(res).code, 'VALIDATION_FAILED');
      const issues = problem(res).issues as { pointer: string }[];
      assert.ok(
        issues.some((i) => i.pointer === pointer),
        `${pointer} in ${JSON.stringify(issues)}`,
      );
    }
  });

  it('refuses a malformed Authorization header rather than treating the caller as anonymous', async () => {
    const res = await request(hub.app).post('/v1/verify').set('Authorization', 'Basic abc').send({ licenseId });
    assert.equal(res.status, 401);
    await request(hub.app).post('/v1/verify').set(bearer('nobody')).send({ licenseId }).expect(401);
  });

  it('answers INVALID at format for a well-formed license ID whose document this gateway does not hold', async () => {
    // A valid neighbour: same issuer, a serial never handed out, with its own check character.
    const parts = parseLicenseId(licenseId);
    const next = buildLicenseId({ ...parts, serial: String(BigInt(parts.serial) + 1000n) });
    const res = await request(hub.app).post('/v1/verify').send({ licenseId: next }).expect(200);
    const report = res.body as { verdict: string; checks: { step: string; ok: boolean | null; detail: string }[] };
    assert.equal(report.verdict, 'INVALID');
    const first = report.checks[0];
    assert.ok(first);
    assert.equal(first.step, 'format');
    assert.match(first.detail, /holds no document/);
  });

  it('refuses to issue a license type the ledger does not know (403 ISSUER_NOT_AUTHORISED), writing nothing', async () => {
    const height = hub.hub.ledger.height;
    const res = await request(hub.app)
      .post('/v1/licenses')
      .set(bearer('dev-guangde-clerk'))
      .send(businessLicenseRequest({ typeCode: '11100000000013338W999' }));
    assert.equal(res.status, 403);
    assert.equal(problem(res).code, 'ISSUER_NOT_AUTHORISED');
    assert.equal(hub.hub.ledger.height, height);
  });
});
