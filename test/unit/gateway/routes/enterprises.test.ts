import assert from 'node:assert/strict';
import request from 'supertest';
import type { Problem } from '@certhub/gateway/dist/http/problem';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from './hub-app';

/** The development enterprise (dev-enterprise acts for it) and another, made-up one. */
const ENTERPRISE = '91420100303217469Q';
const OTHER_ENTERPRISE = '914403001922038216';
const WITHOUT_LICENSES = '91110000100000000R';

interface Page {
  uscc: string;
  licenses: { licenseId: string; status: string; holderRef: string; issuer: string }[];
  bookmark: string | null;
}

const problem = (res: request.Response): Problem => res.body as Problem;

describe('GET /v1/enterprises/{uscc}/licenses', function () {
  this.timeout(60_000);
  let hub: HubApp;
  const held: string[] = [];
  let revoked: string;

  before(async () => {
    hub = await openHubApp();
    const issue = async (clerk: string, overrides: Record<string, unknown> = {}): Promise<string> => {
      const res = await request(hub.app)
        .post('/v1/licenses')
        .set(bearer(clerk))
        .send(businessLicenseRequest(overrides));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return (res.body as { licenseId: string }).licenseId;
    };
    // Three of the enterprise's licenses from two regions' issuers; one of another enterprise and one of a person.
    held.push(await issue('dev-wuhan-clerk'), await issue('dev-wuhan-clerk'), await issue('dev-guangde-clerk'));
    await issue('dev-wuhan-clerk', { holder: { name: '深圳示例有限公司', idType: '001', id: OTHER_ENTERPRISE } });
    await issue('dev-wuhan-clerk', {
      typeCode: '11100000000019713D101',
      holder: { name: '张三', idType: '111', id: '11010519491231002X' },
    });
    revoked = held[0] ?? '';
    await request(hub.app)
      .post(`/v1/licenses/${revoked}/revoke`)
      .set(bearer('dev-wuhan-clerk'))
      .send({ reason: '吊销 (revoked)' })
      .expect(200);
  });
  after(async () => {
    await hub.dispose();
  });

  const list = (uscc: string, query = '', token = 'dev-bank') =>
    request(hub.app).get(`/v1/enterprises/${uscc}/licenses${query}`).set(bearer(token));

  it('lists every license the enterprise holds, from any issuer, with its current status', async () => {
    const res = await list(ENTERPRISE);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const page = res.body as Page;
    assert.equal(page.uscc, ENTERPRISE);
    assert.equal(page.bookmark, null);
    assert.deepEqual(page.licenses.map((l) => l.licenseId).sort(), [...held].sort());
    assert.ok(page.licenses.every((l) => l.holderRef === ENTERPRISE));
    assert.deepEqual(
      new Set(page.licenses.map((l) => l.issuer)),
      new Set(['114201000111350663', '113418820031587274']),
    );
    const status = Object.fromEntries(page.licenses.map((l) => [l.licenseId, l.status]));
    assert.equal(status[revoked], '07');
    assert.equal(held.filter((id) => status[id] === '01').length, 2);
  });

  it('pages with pageSize and the bookmark of the previous page', async () => {
    const first = (await list(ENTERPRISE, '?pageSize=2').expect(200)).body as Page;
    assert.equal(first.licenses.length, 2);
    assert.match(first.bookmark ?? '', /^[A-Za-z0-9_-]+$/);
    const second = (await list(ENTERPRISE, `?pageSize=2&bookmark=${first.bookmark ?? ''}`).expect(200)).body as Page;
    assert.equal(second.licenses.length, 1);
    assert.equal(second.bookmark, null);
    assert.deepEqual([...first.licenses, ...second.licenses].map((l) => l.licenseId).sort(), [...held].sort());
  });

  it('answers an empty list for an enterprise that holds none', async () => {
    const page = (await list(WITHOUT_LICENSES).expect(200)).body as Page;
    assert.deepEqual([page.licenses, page.bookmark], [[], null]);
  });

  it('is for verifiers, banks and the enterprise itself', async () => {
    await list(ENTERPRISE, '', 'dev-guangde-verifier').expect(200);
    const own = (await list(ENTERPRISE, '', 'dev-enterprise').expect(200)).body as Page;
    assert.equal(own.licenses.length, held.length);
    const other = await list(OTHER_ENTERPRISE, '', 'dev-enterprise');
    assert.equal(other.status, 403);
    assert.equal(problem(other).code, 'FORBIDDEN');
    for (const token of ['dev-wuhan-clerk', 'dev-wuhan-admin', 'dev-hub-admin']) {
      assert.equal((await list(ENTERPRISE, '', token)).status, 403, token);
    }
    await request(hub.app).get(`/v1/enterprises/${ENTERPRISE}/licenses`).expect(401);
  });

  it('answers 400 for a bad USCC check character, page size or bookmark', async () => {
    const cases: [string, string, string][] = [
      ['91420100303217469A', '', '/uscc'],
      [ENTERPRISE, '?pageSize=0', '/pageSize'],
      [ENTERPRISE, '?pageSize=1001', '/pageSize'],
      [ENTERPRISE, '?pageSize=ten', '/pageSize'],
      [ENTERPRISE, '?bookmark=not%20base64', '/bookmark'],
      [ENTERPRISE, '?owner=x', '/owner'],
    ];
    for (const [uscc, query, pointer] of cases) {
      const res = await list(uscc, query);
      assert.equal(res.status, 400, uscc + query);
      const issues = problem(res).issues as { pointer: string }[];
      assert.ok(
        issues.some((i) => i.pointer === pointer),
        `${pointer} in ${JSON.stringify(issues)}`,
      );
    }
  });
});
