import assert from 'node:assert/strict';
import request from 'supertest';
import {
  buildLicenseId,
  parseLicenseId,
  verifyLicenseDocumentSignature,
  type LicenseDocument,
} from '@certhub/certs-service';
import type { Problem } from '@certhub/gateway/dist/http/problem';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from './hub-app';

const WUHAN_CLERK = bearer('dev-wuhan-clerk');

interface Issued {
  licenseId: string;
  docHash: string;
  txId: string;
  document: LicenseDocument;
}
interface Amended extends Issued {
  previous: string;
}
interface Anchor {
  licenseId: string;
  status: string;
  version: number;
  previous: string | null;
  supersededBy: string | null;
  docHash: string;
}
interface Report {
  verdict: string;
  checks: { step: string; ok: boolean | null }[];
}

const problem = (res: request.Response): Problem => res.body as Problem;

/** The amended face: the business license's, with a new registered capital. */
function amendment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { typeCode: _typeCode, ...face } = businessLicenseRequest({
    number: 'No.420100-0001-A',
    fields: { scope: '软件开发', capital: '500万元' },
  });
  return { ...face, reason: '注册资本变更 (registered capital changed)', ...overrides };
}

describe('POST /v1/licenses/{id}/amend', function () {
  this.timeout(60_000);
  let hub: HubApp;

  before(async () => {
    hub = await openHubApp();
  });
  after(async () => {
    await hub.dispose();
  });

  const issue = async (overrides: Record<string, unknown> = {}): Promise<Issued> => {
    const res = await request(hub.app).post('/v1/licenses').set(WUHAN_CLERK).send(businessLicenseRequest(overrides));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as Issued;
  };
  const amend = (licenseId: string, body: Record<string, unknown> = amendment(), headers = WUHAN_CLERK) =>
    request(hub.app).post(`/v1/licenses/${licenseId}/amend`).set(headers).send(body);
  const anchorOf = async (licenseId: string): Promise<Anchor> =>
    (await request(hub.app).get(`/v1/licenses/${licenseId}`).set(WUHAN_CLERK).expect(200)).body as Anchor;
  const verify = async (document: LicenseDocument): Promise<Report> =>
    (await request(hub.app).post('/v1/verify').send({ document }).expect(200)).body as Report;
  const failing = (report: Report) => report.checks.filter((c) => c.ok === false).map((c) => c.step);
  const amendsSince = async (height: number): Promise<number> =>
    (await hub.hub.ledger.history({ startBlock: height })).filter(
      (tx) => tx.contract === 'license' && tx.fn === 'amend',
    ).length;

  it('issues version 2 linked to version 1, which becomes withdrawn; the history shows the link and the reason', async () => {
    const v1 = await issue();
    const res = await amend(v1.licenseId);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const v2 = res.body as Amended;
    assert.equal(res.get('location'), `/v1/licenses/${v2.licenseId}`);
    assert.equal(v2.previous, v1.licenseId);
    const [before, after] = [parseLicenseId(v1.licenseId), parseLicenseId(v2.licenseId)];
    assert.deepEqual(
      [after.typeCode, after.issuerUscc, after.serial, after.version],
      [before.typeCode, before.issuerUscc, before.serial, 2],
    );
    assert.match(v2.licenseId, /\.002\.[0-9A-Z]$/);
    assert.equal(v2.document.version, 2);
    assert.equal(v2.document.previous, v1.licenseId);
    assert.equal(v2.document.number, 'No.420100-0001-A');
    assert.deepEqual(v2.document.fields, { scope: '软件开发', capital: '500万元' });
    assert.deepEqual(v2.document.holder, v1.document.holder);
    const check = verifyLicenseDocumentSignature(v2.document);
    assert.ok(check.ok);
    assert.equal(check.docHash, v2.docHash);

    const old = await anchorOf(v1.licenseId);
    assert.deepEqual([old.status, old.supersededBy], ['03', v2.licenseId]);
    const current = await anchorOf(v2.licenseId);
    assert.deepEqual([current.status, current.version, current.previous], ['01', 2, v1.licenseId]);

    const oldReport = await verify(v1.document);
    assert.equal(oldReport.verdict, 'INVALID');
    assert.deepEqual(failing(oldReport), ['status']);
    assert.equal((await verify(v2.document)).verdict, 'VALID');

    const history = (await request(hub.app).get(`/v1/licenses/${v1.licenseId}/history`).set(WUHAN_CLERK).expect(200))
      .body as { entries: { action: string; status: string; reason: string | null }[] };
    assert.deepEqual(
      history.entries.map((e) => [e.action, e.status, e.reason]),
      [
        ['issue', '01', null],
        ['supersede', '03', `amend: ${v2.licenseId}: 注册资本变更 (registered capital changed)`],
      ],
    );
    const newHistory = (await request(hub.app).get(`/v1/licenses/${v2.licenseId}/history`).set(WUHAN_CLERK)).body as {
      entries: { action: string }[];
    };
    assert.deepEqual(
      newHistory.entries.map((e) => e.action),
      ['amend'],
    );
    // The clerk reads the stored new version; version 3 follows from version 2.
    const stored = await request(hub.app).get(`/v1/licenses/${v2.licenseId}/document`).set(WUHAN_CLERK).expect(200);
    assert.deepEqual(stored.body, v2.document);
    const v3 = await amend(v2.licenseId, amendment({ number: 'No.420100-0001-B' }));
    assert.equal(v3.status, 201, JSON.stringify(v3.body));
    assert.equal(parseLicenseId((v3.body as Amended).licenseId).version, 3);
  });

  it('amends a suspended license; refuses a withdrawn or revoked one (409), writing nothing', async () => {
    const suspended = await issue();
    await request(hub.app)
      .post(`/v1/licenses/${suspended.licenseId}/suspend`)
      .set(WUHAN_CLERK)
      .send({ reason: '核查 (audit)' })
      .expect(200);
    const res = await amend(suspended.licenseId);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal((await anchorOf((res.body as Amended).licenseId)).status, '01');

    const revoked = await issue();
    await request(hub.app)
      .post(`/v1/licenses/${revoked.licenseId}/revoke`)
      .set(WUHAN_CLERK)
      .send({ reason: '吊销 (revoked)' })
      .expect(200);
    const height = hub.hub.ledger.height;
    for (const licenseId of [suspended.licenseId, revoked.licenseId]) {
      const refused = await amend(licenseId);
      assert.equal(refused.status, 409, licenseId);
      assert.equal(problem(refused).code, 'INVALID_STATE_TRANSITION');
    }
    assert.match(problem(await amend(suspended.licenseId)).detail, /superseded by/);
    assert.equal(hub.hub.ledger.height, height);
  });

  it('never amends twice for one Idempotency-Key; another body under it is refused (422)', async () => {
    const v1 = await issue();
    const height = hub.hub.ledger.height;
    const key = { ...WUHAN_CLERK, 'Idempotency-Key': 'amend-once-1' };
    const [a, b] = await Promise.all([amend(v1.licenseId, amendment(), key), amend(v1.licenseId, amendment(), key)]);
    const c = await amend(v1.licenseId, amendment(), key);
    for (const res of [a, b, c]) assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(b.body, a.body);
    assert.deepEqual(c.body, a.body);
    assert.equal(await amendsSince(height), 1);
    const other = await amend(v1.licenseId, amendment({ number: 'No.other' }), key);
    assert.equal(other.status, 422);
    assert.equal(problem(other).code, 'IDEMPOTENCY_KEY_REUSED');
    // A key first used to issue is not reused to amend.
    const issueKey = { ...WUHAN_CLERK, 'Idempotency-Key': 'issue-then-amend' };
    await request(hub.app).post('/v1/licenses').set(issueKey).send(businessLicenseRequest()).expect(201);
    assert.equal((await amend((a.body as Amended).licenseId, amendment(), issueKey)).status, 422);
  });

  it('refuses other issuers’ clerks and other roles (403), anonymous callers (401) and unknown licenses (404)', async () => {
    const v1 = await issue();
    const height = hub.hub.ledger.height;
    const other = await amend(v1.licenseId, amendment(), bearer('dev-guangde-clerk'));
    assert.equal(other.status, 403);
    assert.match(problem(other).detail, /only its issuer's clerks amend it/);
    for (const token of ['dev-wuhan-admin', 'dev-bank', 'dev-enterprise']) {
      assert.equal((await amend(v1.licenseId, amendment(), bearer(token))).status, 403, token);
    }
    await request(hub.app).post(`/v1/licenses/${v1.licenseId}/amend`).send(amendment()).expect(401);
    const parts = parseLicenseId(v1.licenseId);
    const never = buildLicenseId({ ...parts, serial: String(BigInt(parts.serial) + 5000n) });
    const missing = await amend(never);
    assert.equal(missing.status, 404);
    assert.equal(problem(missing).code, 'LICENSE_NOT_FOUND');
    assert.equal(hub.hub.ledger.height, height);
  });

  it('refuses a changed holder (422) or holder ID type (403) and each malformed body (400), writing nothing', async () => {
    const v1 = await issue();
    const height = hub.hub.ledger.height;
    const holder = await amend(
      v1.licenseId,
      amendment({ holder: { name: '深圳示例有限公司', idType: '001', id: '914403001922038216' } }),
    );
    assert.equal(holder.status, 422);
    assert.equal(problem(holder).code, 'AMENDMENT_REFUSED');
    const person = await amend(
      v1.licenseId,
      amendment({ holder: { name: '张三', idType: '111', id: '11010519491231002X' } }),
    );
    assert.equal(person.status, 403);
    assert.equal(problem(person).code, 'ISSUER_NOT_AUTHORISED');

    const cases: [Record<string, unknown>, string][] = [
      [amendment({ reason: undefined }), '/reason'],
      [amendment({ reason: '' }), '/reason'],
      [amendment({ validFrom: '2030-01-01', validUntil: '2029-01-01' }), '/validUntil'],
      [amendment({ typeCode: '11100000000019713D001' }), '/typeCode'],
      [amendment({ holder: { name: 'x', idType: '001', id: '91420100303217469A' } }), '/holder/id'],
      [amendment({ number: 7 }), '/number'],
    ];
    for (const [body, pointer] of cases) {
      const res = await amend(v1.licenseId, JSON.parse(JSON.stringify(body)) as Record<string, unknown>);
      assert.equal(res.status, 400, JSON.stringify(body));
      const issues = problem(res).issues as { pointer: string }[];
      assert.ok(
        issues.some((i) => i.pointer === pointer),
        `${pointer} in ${JSON.stringify(issues)}`,
      );
    }
    const badId = await amend(v1.licenseId.slice(0, -1) + (v1.licenseId.endsWith('A') ? 'B' : 'A'));
    assert.equal(badId.status, 400);
    assert.equal(hub.hub.ledger.height, height);
    assert.equal((await anchorOf(v1.licenseId)).status, '01');
  });
});
