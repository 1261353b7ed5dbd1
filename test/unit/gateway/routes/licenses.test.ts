import assert from 'node:assert/strict';
import request from 'supertest';
import {
  Sm2Certificate,
  buildLicenseId,
  hmacSm3,
  parseLicenseId,
  verifyLicenseDocumentSignature,
  type LicenseDocument,
} from '@certhub/certs-service';
import type { Problem } from '@certhub/gateway/dist/http/problem';
import { GATEWAY_SERVICE_USER } from '@certhub/gateway/dist/seed';
import { anchorsSince, bearer, businessLicenseRequest, openHubApp, type HubApp } from './hub-app';

interface Issued {
  licenseId: string;
  docHash: string;
  txId: string;
  document: LicenseDocument;
}

const WUHAN_CLERK = bearer('dev-wuhan-clerk');
const GUANGDE_CLERK = bearer('dev-guangde-clerk');
const problem = (res: request.Response): Problem => res.body as Problem;

describe('license routes', function () {
  this.timeout(60_000);
  let hub: HubApp;

  before(async () => {
    hub = await openHubApp();
  });
  after(async () => {
    await hub.dispose();
  });

  const issue = async (body: Record<string, unknown> = businessLicenseRequest(), headers = WUHAN_CLERK) =>
    request(hub.app).post('/v1/licenses').set(headers).send(body);

  describe('GET /v1/me and /v1/license-types', () => {
    it('answers who the caller is, with the types its issuer is authorised for on the ledger', async () => {
      const res = await request(hub.app).get('/v1/me').set(WUHAN_CLERK).expect(200);
      const me = res.body as {
        org: string;
        role: string;
        region: string;
        issuer: { code: string };
        licenseTypes: string[];
      };
      assert.equal(me.org, 'WuhanMSP');
      assert.equal(me.role, 'clerk');
      assert.equal(me.region, '420100');
      assert.equal(me.issuer.code, '114201000111350663');
      assert.ok(me.licenseTypes.includes('11100000000013338W032'));
      const bank = (await request(hub.app).get('/v1/me').set(bearer('dev-bank')).expect(200)).body as {
        issuer: unknown;
        licenseTypes: string[];
      };
      assert.equal(bank.issuer, null);
      assert.deepEqual(bank.licenseTypes, []);
    });

    it('lists every license type with its holder ID type', async () => {
      const res = await request(hub.app).get('/v1/license-types').set(bearer('dev-bank')).expect(200);
      const types = res.body as { code: string; holderIdType: string }[];
      assert.deepEqual(types.map((t) => [t.code, t.holderIdType]).sort(), [
        ['11100000000013338W032', '001'],
        ['11100000000019713D001', '001'],
        ['11100000000019713D101', '111'],
      ]);
    });

    it('refuses both without a token (401 with a challenge) or with an unknown one', async () => {
      const res = await request(hub.app).get('/v1/me').expect(401);
      assert.equal(problem(res).code, 'UNAUTHENTICATED');
      assert.match(res.get('www-authenticate') ?? '', /^Bearer/);
      await request(hub.app).get('/v1/license-types').set(bearer('not-a-user')).expect(401);
    });
  });

  describe('POST /v1/licenses', () => {
    it('issues: ID with check character, signed canonical document, stored and anchored', async () => {
      const res = await issue();
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const issued = res.body as Issued;
      const id = parseLicenseId(issued.licenseId);
      assert.equal(id.typeCode, '11100000000013338W032');
      assert.equal(id.issuerUscc, '114201000111350663');
      assert.equal(id.version, 1);
      assert.match(id.serial, /^\d{8}\d{6}$/);
      assert.equal(res.get('location'), `/v1/licenses/${issued.licenseId}`);
      const check = verifyLicenseDocumentSignature(issued.document);
      assert.ok(check.ok);
      assert.equal(check.docHash, issued.docHash);
      assert.equal(Sm2Certificate.fromPem(issued.document.proof.certificate).uscc, '114201000111350663');
      assert.deepEqual(issued.document.issuer, {
        code: '114201000111350663',
        name: '武汉市市场监督管理局',
        region: '420100',
      });
      const anchor = (await request(hub.app).get(`/v1/licenses/${issued.licenseId}`).set(WUHAN_CLERK).expect(200))
        .body as { docHash: string; status: string; holderRef: string; issued: { txId: string } };
      assert.equal(anchor.docHash, issued.docHash);
      assert.equal(anchor.status, '01');
      assert.equal(anchor.holderRef, '91420100303217469Q', 'an enterprise appears by its USCC');
      assert.equal(anchor.issued.txId, issued.txId);
      const stored = await request(hub.app)
        .get(`/v1/licenses/${issued.licenseId}/document`)
        .set(WUHAN_CLERK)
        .expect(200);
      assert.deepEqual(stored.body, issued.document);
    });

    it('gives each license of an issuer its own serial', async () => {
      const ids = await Promise.all([issue(), issue(), issue()]);
      const serials = ids.map((r) => parseLicenseId((r.body as Issued).licenseId).serial);
      assert.equal(new Set(serials).size, 3);
    });

    it('puts only HMAC-SM3 of a person holder’s ID on chain', async () => {
      const res = await issue(
        businessLicenseRequest({
          typeCode: '11100000000019713D101',
          name: '道路运输从业人员从业资格证',
          holder: { name: '张三', idType: '111', id: '11010519491231002X' },
        }),
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const issued = res.body as Issued;
      const anchor = (await request(hub.app).get(`/v1/licenses/${issued.licenseId}`).set(WUHAN_CLERK)).body as {
        holderRef: string;
      };
      assert.match(anchor.holderRef, /^[0-9a-f]{64}$/);
      assert.notEqual(anchor.holderRef, '11010519491231002X');
      // Not a bare HMAC under a guessable key: it depends on the master key.
      assert.notEqual(anchor.holderRef, Buffer.from(hmacSm3(new Uint8Array(32), '11010519491231002X')).toString('hex'));
    });

    it('refuses callers who are not clerks (403) and anonymous callers (401), writing nothing', async () => {
      const before = hub.hub.ledger.height;
      assert.equal(problem(await issue(businessLicenseRequest(), bearer('dev-bank'))).code, 'FORBIDDEN');
      assert.equal((await issue(businessLicenseRequest(), bearer('dev-wuhan-admin'))).status, 403);
      assert.equal((await request(hub.app).post('/v1/licenses').send(businessLicenseRequest())).status, 401);
      assert.equal(hub.hub.ledger.height, before);
    });

    it('answers 400 naming the field for each validation error, writing nothing', async () => {
      const before = hub.hub.ledger.height;
      const cases: [Record<string, unknown>, string][] = [
        [businessLicenseRequest({ holder: { name: 'x', idType: '001', id: '91420100303217469A' } }), '/holder/id'],
        [businessLicenseRequest({ typeCode: '11100000000013338W03' }), '/typeCode'],
        [businessLicenseRequest({ validFrom: '2030-01-01', validUntil: '2029-01-01' }), '/validUntil'],
        [businessLicenseRequest({ surprise: true }), '/surprise'],
        [businessLicenseRequest({ number: 42 }), '/number'],
        [businessLicenseRequest({ validFrom: '2026-02-30' }), '/validFrom'],
      ];
      for (const [body, pointer] of cases) {
        const res = await issue(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(problem(res).code, 'VALIDATION_FAILED');
        const issues = problem(res).issues as { pointer: string }[];
        assert.ok(
          issues.some((i) => i.pointer === pointer),
          `${pointer} in ${JSON.stringify(issues)}`,
        );
      }
      const malformed = await request(hub.app)
        .post('/v1/licenses')
        .set(WUHAN_CLERK)
        .set('content-type', 'application/json')
        .send('{"typeCode":');
      assert.equal(problem(malformed).code, 'MALFORMED_JSON');
      assert.equal(hub.hub.ledger.height, before);
    });

    it('refuses a holder ID type the license type does not take (403 ISSUER_NOT_AUTHORISED)', async () => {
      const res = await issue(
        businessLicenseRequest({ holder: { name: '张三', idType: '111', id: '11010519491231002X' } }),
      );
      assert.equal(res.status, 403);
      assert.equal(problem(res).code, 'ISSUER_NOT_AUTHORISED');
    });

    it('never issues twice for one Idempotency-Key, even when retried concurrently', async () => {
      const before = hub.hub.ledger.height;
      const key = { ...WUHAN_CLERK, 'Idempotency-Key': 'retry-test-1' };
      const [a, b] = await Promise.all([issue(businessLicenseRequest(), key), issue(businessLicenseRequest(), key)]);
      const c = await issue(businessLicenseRequest(), key);
      for (const res of [a, b, c]) assert.equal(res.status, 201);
      assert.equal(await anchorsSince(hub.hub, before), 1, 'one anchor');
      assert.equal((a.body as Issued).licenseId, (b.body as Issued).licenseId);
      assert.deepEqual(c.body, a.body);
      // A different body under a key in use is refused, whether the first request is still running or done.
      const racing = { ...WUHAN_CLERK, 'Idempotency-Key': 'retry-test-2' };
      const [first, second] = await Promise.all([
        issue(businessLicenseRequest(), racing),
        issue(businessLicenseRequest({ number: 'No.racing' }), racing),
      ]);
      assert.equal(first.status, 201);
      assert.equal(second.status, 422);
      assert.equal(problem(second).code, 'IDEMPOTENCY_KEY_REUSED');
      const other = await issue(businessLicenseRequest({ number: 'No.other' }), key);
      assert.equal(other.status, 422);
      assert.equal(problem(other).code, 'IDEMPOTENCY_KEY_REUSED');
      // Keys are per user: another clerk's identical key issues its own license.
      const guangde = await issue(businessLicenseRequest(), { ...GUANGDE_CLERK, 'Idempotency-Key': 'retry-test-1' });
      assert.equal(guangde.status, 201);
      assert.notEqual((guangde.body as Issued).licenseId, (a.body as Issued).licenseId);
      const badKey = await issue(businessLicenseRequest(), { ...WUHAN_CLERK, 'Idempotency-Key': 'has space' });
      assert.equal(badKey.status, 400);
    });
  });

  describe('reading a license', () => {
    let issued: Issued;
    before(async () => {
      issued = (await issue()).body as Issued;
    });

    it('gives the document to the issuer’s clerk and the holding enterprise only', async () => {
      const path = `/v1/licenses/${issued.licenseId}/document`;
      await request(hub.app).get(path).set(bearer('dev-enterprise')).expect(200);
      for (const token of ['dev-guangde-clerk', 'dev-bank', 'dev-guangde-verifier']) {
        const res = await request(hub.app).get(path).set(bearer(token));
        assert.equal(res.status, 403, token);
        assert.equal(problem(res).code, 'FORBIDDEN');
      }
      await request(hub.app).get(path).set(bearer('dev-hub-admin')).expect(403);
      await request(hub.app).get(path).expect(401);
    });

    it('answers 404 for a well-formed license ID that was never anchored and 400 for a bad check character', async () => {
      const neverIssued = buildLicenseId({
        typeCode: '11100000000013338W032',
        issuerUscc: '114201000111350663',
        serial: '1',
        version: 1,
      });
      const res = await request(hub.app).get(`/v1/licenses/${neverIssued}`).set(WUHAN_CLERK);
      assert.equal(res.status, 404);
      assert.equal(problem(res).code, 'LICENSE_NOT_FOUND');
      const last = issued.licenseId.slice(-1);
      const wrong = issued.licenseId.slice(0, -1) + (last === 'A' ? 'B' : 'A');
      const bad = await request(hub.app).get(`/v1/licenses/${wrong}`).set(WUHAN_CLERK);
      assert.equal(bad.status, 400);
      assert.equal(problem(bad).code, 'VALIDATION_FAILED');
    });

    it('serves the QR code of the current version to anyone', async () => {
      const res = await request(hub.app).get(`/v1/licenses/${issued.licenseId}/qr.svg`).expect(200);
      assert.match(res.get('content-type') ?? '', /^image\/svg\+xml/);
      const svg: unknown = res.body;
      assert.match(Buffer.isBuffer(svg) ? svg.toString('utf8') : res.text, /^<svg/);
      const png = await request(hub.app).get(`/v1/licenses/${issued.licenseId}/qr.png`).expect(200);
      assert.equal((png.body as Buffer).subarray(1, 4).toString(), 'PNG');
    });
  });

  describe('status changes', () => {
    it('suspends, reinstates and revokes with a reason, each recorded in the history by its actor', async () => {
      const { licenseId } = (await issue()).body as Issued;
      const change = (action: string, headers = WUHAN_CLERK) =>
        request(hub.app)
          .post(`/v1/licenses/${licenseId}/${action}`)
          .set(headers)
          .send({ reason: `${action} test` });
      assert.equal(((await change('suspend')).body as { status: string }).status, '02');
      assert.equal(((await change('reinstate')).body as { status: string }).status, '01');
      const revoked = await change('revoke');
      assert.equal(revoked.status, 200);
      assert.deepEqual(Object.keys(revoked.body as object).sort(), ['licenseId', 'status', 'txId']);
      assert.equal((revoked.body as { status: string }).status, '07');

      const again = await change('reinstate');
      assert.equal(again.status, 409);
      assert.equal(problem(again).code, 'INVALID_STATE_TRANSITION');

      const history = (
        await request(hub.app).get(`/v1/licenses/${licenseId}/history`).set(bearer('dev-bank')).expect(200)
      ).body as {
        licenseId: string;
        entries: { action: string; status: string; mspId: string; actor: string; reason: string | null }[];
      };
      assert.equal(history.licenseId, licenseId);
      assert.deepEqual(
        history.entries.map((e) => [e.action, e.status]),
        [
          ['issue', '01'],
          ['suspend', '02'],
          ['reinstate', '01'],
          ['revoke', '07'],
        ],
      );
      for (const entry of history.entries) {
        assert.equal(entry.mspId, 'WuhanMSP');
        assert.match(entry.actor, /CN=wuhan-clerk/);
      }
      assert.equal(history.entries[3]?.reason, 'revoke test');
    });

    it('lets only the issuer’s clerk change status, and requires a reason', async () => {
      const { licenseId } = (await issue()).body as Issued;
      const other = await request(hub.app)
        .post(`/v1/licenses/${licenseId}/revoke`)
        .set(GUANGDE_CLERK)
        .send({ reason: 'not mine' });
      assert.equal(other.status, 403);
      assert.equal(problem(other).code, 'FORBIDDEN');
      await request(hub.app)
        .post(`/v1/licenses/${licenseId}/cancel`)
        .set(bearer('dev-bank'))
        .send({ reason: 'x' })
        .expect(403);
      const noReason = await request(hub.app).post(`/v1/licenses/${licenseId}/cancel`).set(WUHAN_CLERK).send({});
      assert.equal(noReason.status, 400);
      const cancelled = await request(hub.app)
        .post(`/v1/licenses/${licenseId}/cancel`)
        .set(WUHAN_CLERK)
        .send({ reason: 'closed down' });
      assert.equal((cancelled.body as { status: string }).status, '04');
    });

    it('records the longest reason the gateway accepts, in Chinese (500 characters, 1,500 bytes of UTF-8)', async () => {
      const { licenseId } = (await issue()).body as Issued;
      const reason = '经营者申请注销'.repeat(72).slice(0, 500);
      assert.equal(Buffer.byteLength(reason), 1500);
      const revoked = await request(hub.app).post(`/v1/licenses/${licenseId}/revoke`).set(WUHAN_CLERK).send({ reason });
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      const longer = await request(hub.app)
        .post(`/v1/licenses/${licenseId}/revoke`)
        .set(WUHAN_CLERK)
        .send({ reason: reason + '。' });
      assert.equal(longer.status, 400, 'one character more is refused at the edge');
    });
  });

  it('answers /healthz from a real ledger query', async () => {
    const res = await request(hub.app).get('/healthz').expect(200);
    assert.deepEqual(res.body, { status: 'ok', checks: { ledger: { ok: true } } });
    assert.ok(hub.hub.world.identities[GATEWAY_SERVICE_USER]);
  });
});
