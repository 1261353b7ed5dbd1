import assert from 'node:assert/strict';
import request from 'supertest';
import type { Problem } from '@certhub/gateway/dist/http/problem';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from './hub-app';

const WUHAN = '420100';
const HUANGSHI = '420200';
const GUANGDE = '341882';
const BUSINESS_LICENSE = '11100000000013338W032';
const ROAD_TRANSPORT_PERMIT = '11100000000019713D001';

const WUHAN_ADMIN = bearer('dev-wuhan-admin');
const GUANGDE_ADMIN = bearer('dev-guangde-admin');

interface Agreement {
  id: string;
  acceptingRegion: string;
  issuingRegion: string;
  licenseTypes: string[];
  status: string;
  proposedBy: string;
  accepted: { actor: string } | null;
  revoked: { actor: string } | null;
  revocationReason?: string | null;
}
interface Change {
  id: string;
  status: string;
  txId: string;
  agreement: Agreement;
}

const problem = (res: request.Response): Problem => res.body as Problem;

/** Guangde (accepting) recognises Wuhan's (issuing) business licenses from 2026-01-01, open-ended. */
const guangdeAcceptsWuhan = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  acceptingRegion: GUANGDE,
  issuingRegion: WUHAN,
  licenseTypes: [BUSINESS_LICENSE],
  validFrom: '2026-01-01',
  validUntil: null,
  ...overrides,
});

describe('recognition routes', function () {
  this.timeout(60_000);
  let hub: HubApp;

  before(async () => {
    hub = await openHubApp();
  });
  after(async () => {
    await hub.dispose();
  });

  const propose = (body: Record<string, unknown>, headers = GUANGDE_ADMIN) =>
    request(hub.app).post('/v1/recognitions').set(headers).send(body);
  const accept = (id: string, headers = WUHAN_ADMIN) =>
    request(hub.app).post(`/v1/recognitions/${id}/accept`).set(headers).send();
  const revoke = (id: string, body: Record<string, unknown>, headers = WUHAN_ADMIN) =>
    request(hub.app).post(`/v1/recognitions/${id}/revoke`).set(headers).send(body);
  const list = async (query: string, headers = WUHAN_ADMIN): Promise<Agreement[]> => {
    const res = await request(hub.app).get(`/v1/recognitions${query}`).set(headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { recognitions: Agreement[] }).recognitions;
  };
  /** Whether `verifier` is told its region recognises the license (POST /v1/verify by license ID). */
  const recognized = async (licenseId: string, verifier: string): Promise<boolean | null> => {
    const res = await request(hub.app).post('/v1/verify').set(bearer(verifier)).send({ licenseId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const report = res.body as { verdict: string; recognized: boolean | null };
    assert.equal(report.verdict, 'VALID', 'recognition never changes the verdict');
    return report.recognized;
  };

  describe('the cross-region flow', () => {
    it('a Guangde verifier sees a Wuhan license recognised only while an accepted agreement covers its type', async () => {
      const issued = await request(hub.app)
        .post('/v1/licenses')
        .set(bearer('dev-wuhan-clerk'))
        .send(businessLicenseRequest());
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      const { licenseId } = issued.body as { licenseId: string };
      assert.equal(await recognized(licenseId, 'dev-guangde-verifier'), false, 'no agreement yet');

      const proposed = await propose(guangdeAcceptsWuhan());
      assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
      const change = proposed.body as Change;
      assert.equal(change.status, 'PROPOSED');
      assert.equal(change.agreement.proposedBy, GUANGDE);
      assert.match(change.txId, /\S/);
      assert.equal(proposed.get('location'), `/v1/recognitions/${change.id}`);
      assert.equal(await recognized(licenseId, 'dev-guangde-verifier'), false, 'proposed is not yet in force');

      const accepted = await accept(change.id);
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.deepEqual([(accepted.body as Change).id, (accepted.body as Change).status], [change.id, 'ACTIVE']);
      assert.match((accepted.body as Change).agreement.accepted?.actor ?? '', /CN=wuhan-admin\b/);

      assert.equal(await recognized(licenseId, 'dev-guangde-verifier'), true);
      // Only Guangde accepted: Huangshi has no agreement, and Wuhan recognises its own licenses anyway.
      assert.equal(await recognized(licenseId, 'dev-huangshi-verifier'), false);
      // A type the agreement does not name stays unrecognised.
      const permit = await request(hub.app)
        .post('/v1/licenses')
        .set(bearer('dev-wuhan-clerk'))
        .send(businessLicenseRequest({ typeCode: ROAD_TRANSPORT_PERMIT, name: '道路运输经营许可证' }));
      assert.equal(permit.status, 201, JSON.stringify(permit.body));
      assert.equal(await recognized((permit.body as { licenseId: string }).licenseId, 'dev-guangde-verifier'), false);

      const revoked = await revoke(change.id, { reason: '协议到期 (agreement ended)' }, GUANGDE_ADMIN);
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      const ended = revoked.body as Change;
      assert.equal(ended.status, 'REVOKED');
      assert.equal(ended.agreement.revocationReason, '协议到期 (agreement ended)');
      assert.match(ended.agreement.revoked?.actor ?? '', /CN=guangde-admin\b/);
      assert.equal(await recognized(licenseId, 'dev-guangde-verifier'), false);
    });
  });

  describe('POST /v1/recognitions', () => {
    it('lets either region’s admin propose; the issuing region may propose too', async () => {
      const res = await propose(guangdeAcceptsWuhan({ licenseTypes: [ROAD_TRANSPORT_PERMIT] }), WUHAN_ADMIN);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal((res.body as Change).agreement.proposedBy, WUHAN);
      // …and then the accepting region accepts it.
      const wrong = await accept((res.body as Change).id, WUHAN_ADMIN);
      assert.equal(wrong.status, 403);
      assert.match(problem(wrong).detail, /only a region-admin of region 341882 may accept/);
      await accept((res.body as Change).id, GUANGDE_ADMIN).expect(200);
    });

    it('refuses an admin of neither region, other roles and anonymous callers, writing nothing', async () => {
      const height = hub.hub.ledger.height;
      const neither = await propose(guangdeAcceptsWuhan({ acceptingRegion: HUANGSHI }), GUANGDE_ADMIN);
      assert.equal(neither.status, 403);
      assert.equal(problem(neither).code, 'FORBIDDEN');
      assert.match(problem(neither).detail, /420200 or 420100/);
      for (const token of ['dev-guangde-clerk', 'dev-guangde-verifier', 'dev-bank', 'dev-hub-admin']) {
        const res = await propose(guangdeAcceptsWuhan(), bearer(token));
        assert.equal(res.status, 403, token);
      }
      await request(hub.app).post('/v1/recognitions').send(guangdeAcceptsWuhan()).expect(401);
      assert.equal(hub.hub.ledger.height, height);
    });

    it('answers 400 naming the field for each malformed proposal, writing nothing', async () => {
      const height = hub.hub.ledger.height;
      const cases: [Record<string, unknown>, string][] = [
        [guangdeAcceptsWuhan({ issuingRegion: GUANGDE }), '/issuingRegion'],
        [guangdeAcceptsWuhan({ validFrom: '2027-01-01', validUntil: '2026-12-31' }), '/validUntil'],
        [guangdeAcceptsWuhan({ validFrom: '2026-02-30' }), '/validFrom'],
        [guangdeAcceptsWuhan({ licenseTypes: [] }), '/licenseTypes'],
        [guangdeAcceptsWuhan({ licenseTypes: [BUSINESS_LICENSE, BUSINESS_LICENSE] }), '/licenseTypes'],
        [guangdeAcceptsWuhan({ licenseTypes: ['11100000000013338W03'] }), '/licenseTypes/0'],
        [guangdeAcceptsWuhan({ acceptingRegion: '34188' }), '/acceptingRegion'],
        [guangdeAcceptsWuhan({ surprise: 1 }), '/surprise'],
        [{ acceptingRegion: GUANGDE, issuingRegion: WUHAN, licenseTypes: [BUSINESS_LICENSE] }, '/validFrom'],
      ];
      for (const [body, pointer] of cases) {
        const res = await propose(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(problem(res).code, 'VALIDATION_FAILED');
        const issues = problem(res).issues as { pointer: string }[];
        assert.ok(
          issues.some((i) => i.pointer === pointer),
          `${pointer} in ${JSON.stringify(issues)}`,
        );
      }
      assert.equal(hub.hub.ledger.height, height);
    });

    it('answers 422 for a region or license type that is not registered, writing nothing', async () => {
      const height = hub.hub.ledger.height;
      const region = await propose(guangdeAcceptsWuhan({ issuingRegion: '110000' }));
      assert.equal(region.status, 422);
      assert.equal(problem(region).code, 'UNKNOWN_REFERENCE');
      assert.match(problem(region).detail, /110000/);
      const type = await propose(guangdeAcceptsWuhan({ licenseTypes: ['11100000000013338W999'] }));
      assert.equal(type.status, 422);
      assert.match(problem(type).detail, /11100000000013338W999/);
      assert.equal(hub.hub.ledger.height, height);
    });
  });

  describe('accept and revoke', () => {
    let id: string;
    before(async () => {
      const res = await propose(guangdeAcceptsWuhan({ validUntil: '2030-12-31' }));
      id = (res.body as Change).id;
    });

    it('refuses the proposer’s own admin, other roles and anonymous callers; 404 for an unknown agreement', async () => {
      const height = hub.hub.ledger.height;
      const own = await accept(id, GUANGDE_ADMIN);
      assert.equal(own.status, 403);
      assert.match(problem(own).detail, /region 341882 proposed/);
      await accept(id, bearer('dev-wuhan-clerk')).expect(403);
      await request(hub.app).post(`/v1/recognitions/${id}/accept`).expect(401);
      const unknown = await accept('rec-0000000000000000');
      assert.equal(unknown.status, 404);
      assert.equal(problem(unknown).code, 'NOT_FOUND');
      const badId = await accept('rec with spaces');
      assert.equal(badId.status, 400);
      assert.equal(hub.hub.ledger.height, height);
    });

    it('accepts once (409 after), and revokes once with a reason (400 without, 409 after)', async () => {
      await accept(id).expect(200);
      const again = await accept(id);
      assert.equal(again.status, 409);
      assert.equal(problem(again).code, 'INVALID_STATE_TRANSITION');

      const height = hub.hub.ledger.height;
      for (const body of [{}, { reason: '' }, { reason: 'x'.repeat(501) }, { reason: 'ok', extra: 1 }]) {
        const res = await revoke(id, body);
        assert.equal(res.status, 400, JSON.stringify(body));
      }
      await revoke(id, { reason: 'no' }, bearer('dev-bank')).expect(403);
      await revoke('rec-0000000000000000', { reason: 'no' }).expect(404);
      assert.equal(hub.hub.ledger.height, height);

      const revoked = await revoke(id, { reason: '政策调整 (policy change)' });
      assert.equal(revoked.status, 200);
      assert.equal((revoked.body as Change).status, 'REVOKED');
      const twice = await revoke(id, { reason: 'again' });
      assert.equal(twice.status, 409);
    });
  });

  describe('GET /v1/recognitions', () => {
    it('lists agreements by region and status, for region and hub admins only', async () => {
      const proposed = (await propose(guangdeAcceptsWuhan({ validFrom: '2026-06-01' }))).body as Change;
      const forGuangde = await list(`?region=${GUANGDE}`);
      assert.ok(forGuangde.some((a) => a.id === proposed.id));
      assert.ok(forGuangde.every((a) => a.acceptingRegion === GUANGDE || a.issuingRegion === GUANGDE));
      assert.deepEqual(await list(`?region=${HUANGSHI}`), []);
      const pending = await list('?status=PROPOSED', bearer('dev-hub-admin'));
      assert.ok(pending.some((a) => a.id === proposed.id));
      assert.ok(pending.every((a) => a.status === 'PROPOSED'));
      const all = await list('', bearer('dev-hub-admin'));
      assert.equal(new Set(all.map((a) => a.id)).size, all.length, 'each agreement once, though two regions index it');
      assert.ok(all.length > pending.length);

      await request(hub.app).get('/v1/recognitions').set(bearer('dev-guangde-verifier')).expect(403);
      await request(hub.app).get('/v1/recognitions').expect(401);
      for (const query of ['?region=4201', '?status=DONE', '?other=1']) {
        const res = await request(hub.app).get(`/v1/recognitions${query}`).set(WUHAN_ADMIN);
        assert.equal(res.status, 400, query);
      }
    });
  });
});
