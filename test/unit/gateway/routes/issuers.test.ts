import assert from 'node:assert/strict';
import request from 'supertest';
import {
  Sm2Certificate,
  Sm2PrivateKey,
  issueIssuerCertificate,
  verifyCertificateChain,
  type KeyStore,
  type LicenseDocument,
} from '@certhub/certs-service';
import type { Problem } from '@certhub/gateway/dist/http/problem';
import {
  SigningKeyUnavailableError,
  regionRootKeyId,
  type IssuerAdministrationDeps,
  type IssuerRecord,
  type LicenseServiceDeps,
} from '@certhub/gateway/dist/services';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from './hub-app';

const WUHAN = '420100';
const GUANGDE = '341882';
const WUHAN_AMR = '114201000111350663';
const GUANGDE_AMR = '113418820031587274';
const BUSINESS_LICENSE = '11100000000013338W032';
const ROAD_TRANSPORT_PERMIT = '11100000000019713D001';
const PRACTITIONER_QUALIFICATION = '11100000000019713D101';
const ALL_TYPES = [BUSINESS_LICENSE, ROAD_TRANSPORT_PERMIT, PRACTITIONER_QUALIFICATION];
/** Made-up, valid USCCs of Wuhan departments this test registers. */
const NEW_ISSUERS = ['11420100MB0000001C', '11420100MB0000002F', '11420100MB0000003J'] as const;
const NEVER_REGISTERED = '11420100MB0000004M';

const WUHAN_ADMIN = bearer('dev-wuhan-admin');
const GUANGDE_ADMIN = bearer('dev-guangde-admin');
const WUHAN_CLERK = bearer('dev-wuhan-clerk');

interface IssuerBody extends IssuerRecord {
  txId?: string;
  fingerprint?: string;
}
interface Report {
  verdict: string;
  checks: { step: string; ok: boolean | null; detail: string }[];
}

const problem = (res: request.Response): Problem => res.body as Problem;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('issuer routes', function () {
  this.timeout(60_000);
  let hub: HubApp;
  let keys: KeyStore;
  let root: { key: Sm2PrivateKey; certificate: Sm2Certificate };

  before(async () => {
    hub = await openHubApp();
    // The hub's own key store (the services hold it privately): where the region roots' keys live in development.
    keys = (hub.hub.api.issuers as unknown as { deps: IssuerAdministrationDeps }).deps.keys;
    const rootPem = hub.hub.world.roots[WUHAN];
    assert.ok(rootPem);
    root = { key: await keys.getKey(regionRootKeyId(WUHAN)), certificate: Sm2Certificate.fromPem(rootPem) };
  });
  after(async () => {
    await hub.dispose();
  });

  const register = (body: Record<string, unknown>, headers = WUHAN_ADMIN) =>
    request(hub.app).post('/v1/issuers').set(headers).send(body);
  const registration = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    code: NEW_ISSUERS[0],
    name: '武汉市交通运输局',
    region: WUHAN,
    licenseTypes: [ROAD_TRANSPORT_PERMIT],
    ...overrides,
  });
  const getIssuer = async (uscc: string): Promise<IssuerBody> =>
    (await request(hub.app).get(`/v1/issuers/${uscc}`).set(WUHAN_ADMIN).expect(200)).body as IssuerBody;
  /** An SM2 certificate for `uscc` from a CA key, as a region's CA would issue it outside the gateway. */
  const certificateFor = async (uscc: string | undefined, ca = root) => {
    const key = Sm2PrivateKey.generate();
    const certificate = await issueIssuerCertificate({
      caKey: ca.key,
      caCertificate: ca.certificate,
      publicKey: key.publicKey,
      subject: 'CN=外部签发 (brought by the issuer),C=CN',
      ...(uscc === undefined ? {} : { uscc }),
    });
    return { key, certificate };
  };
  const signerFor = async (uscc: string) => {
    const { signers } = (hub.hub.api.licenses as unknown as { deps: LicenseServiceDeps }).deps;
    return signers.signerFor(await getIssuer(uscc), new Date());
  };
  /** Nothing written: no block and no key, whatever the request. */
  const unchanged = async (work: () => Promise<void>) => {
    const height = hub.hub.ledger.height;
    const stored = (await keys.listKeyIds()).length;
    await work();
    assert.equal(hub.hub.ledger.height, height, 'no transaction');
    assert.equal((await keys.listKeyIds()).length, stored, 'no key stored');
  };

  describe('GET /v1/issuers and /v1/issuers/{uscc}', () => {
    it('lists a region’s issuers with their certificates, or every region’s', async () => {
      const res = await request(hub.app).get(`/v1/issuers?region=${WUHAN}`).set(WUHAN_ADMIN).expect(200);
      const { issuers } = res.body as { issuers: IssuerBody[] };
      assert.deepEqual(
        issuers.map((i) => i.uscc),
        [WUHAN_AMR],
      );
      const [wuhan] = issuers;
      assert.ok(wuhan);
      assert.equal(wuhan.certificates.length, 1);
      const [certificate] = wuhan.certificates;
      assert.ok(certificate);
      assert.match(certificate.fingerprint, /^[0-9a-f]{64}$/);
      assert.equal(certificate.retiredAt, null);
      assert.ok(Date.parse(certificate.notAfter) > Date.now());
      const all = await request(hub.app).get('/v1/issuers').set(bearer('dev-hub-admin')).expect(200);
      assert.deepEqual(
        (all.body as { issuers: IssuerBody[] }).issuers.map((i) => i.uscc).sort(),
        [GUANGDE_AMR, WUHAN_AMR].sort(),
      );
    });

    it('shows one issuer; 404 for a valid USCC never registered, 400 for a bad check character', async () => {
      assert.equal((await getIssuer(GUANGDE_AMR)).region, GUANGDE);
      const missing = await request(hub.app).get(`/v1/issuers/${NEVER_REGISTERED}`).set(WUHAN_ADMIN);
      assert.equal(missing.status, 404);
      assert.equal(problem(missing).code, 'NOT_FOUND');
      await request(hub.app).get('/v1/issuers/11420100MB0000004A').set(WUHAN_ADMIN).expect(400);
    });

    it('is for admins only, and checks its query', async () => {
      for (const token of ['dev-wuhan-clerk', 'dev-bank', 'dev-guangde-verifier']) {
        await request(hub.app).get('/v1/issuers').set(bearer(token)).expect(403);
        await request(hub.app).get(`/v1/issuers/${WUHAN_AMR}`).set(bearer(token)).expect(403);
      }
      await request(hub.app).get('/v1/issuers').expect(401);
      for (const query of ['?region=42010', '?region=abcdef', '?page=2']) {
        const res = await request(hub.app).get(`/v1/issuers${query}`).set(WUHAN_ADMIN);
        assert.equal(res.status, 400, query);
        assert.equal(problem(res).code, 'VALIDATION_FAILED');
      }
    });
  });

  describe('POST /v1/issuers', () => {
    it('registers without a certificate: the gateway makes a key, sealed in its store, certified by the region root', async () => {
      const res = await register(registration());
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const issuer = res.body as IssuerBody;
      assert.equal(res.get('location'), `/v1/issuers/${NEW_ISSUERS[0]}`);
      assert.deepEqual(
        [issuer.uscc, issuer.name, issuer.region, issuer.licenseTypes],
        [NEW_ISSUERS[0], '武汉市交通运输局', WUHAN, [ROAD_TRANSPORT_PERMIT]],
      );
      assert.match(issuer.txId ?? '', /\S/);
      assert.equal(issuer.certificates.length, 1);
      const registered = issuer.certificates[0];
      assert.ok(registered);
      assert.equal(registered.fingerprint, issuer.fingerprint);
      assert.doesNotMatch(JSON.stringify(res.body), /PRIVATE KEY/);
      const certificate = Sm2Certificate.fromPem(registered.pem);
      assert.equal(certificate.uscc, NEW_ISSUERS[0]);
      assert.equal(certificate.isCa, false);
      await verifyCertificateChain(certificate, { roots: [root.certificate], at: new Date() });
      // The key the gateway stored is the certificate's: it is what signs this issuer's licenses.
      const signer = await signerFor(NEW_ISSUERS[0]);
      assert.equal(signer.certificate.fingerprint(), registered.fingerprint);
      assert.ok(signer.key.publicKey.equals(certificate.publicKey));
      const { txId: _txId, fingerprint: _fingerprint, ...record } = issuer;
      assert.deepEqual(await getIssuer(NEW_ISSUERS[0]), record);
    });

    it('registers with a certificate from the region’s CA; the gateway then holds no key to sign with', async () => {
      const { certificate } = await certificateFor(NEW_ISSUERS[1]);
      const res = await register(registration({ code: NEW_ISSUERS[1], certificate: certificate.pem }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const issuer = res.body as IssuerBody;
      assert.deepEqual(
        issuer.certificates.map((c) => c.fingerprint),
        [certificate.fingerprint()],
      );
      await assert.rejects(signerFor(NEW_ISSUERS[1]), SigningKeyUnavailableError);
    });

    it('refuses a duplicate (409), another region or a non-admin (403), and anonymous callers (401)', async () => {
      await unchanged(async () => {
        const duplicate = await register(registration({ code: WUHAN_AMR }));
        assert.equal(duplicate.status, 409);
        assert.equal(problem(duplicate).code, 'ALREADY_EXISTS');
        const elsewhere = await register(registration({ code: NEW_ISSUERS[2], region: GUANGDE }));
        assert.equal(elsewhere.status, 403);
        assert.match(problem(elsewhere).detail, /region-admin of region 341882/);
        for (const token of ['dev-wuhan-clerk', 'dev-hub-admin', 'dev-bank']) {
          assert.equal((await register(registration({ code: NEW_ISSUERS[2] }), bearer(token))).status, 403, token);
        }
        await request(hub.app)
          .post('/v1/issuers')
          .send(registration({ code: NEW_ISSUERS[2] }))
          .expect(401);
      });
    });

    it('refuses certificates that do not fit (422), naming why, writing nothing', async () => {
      const guangdeRoot = {
        key: await keys.getKey(regionRootKeyId(GUANGDE)),
        certificate: Sm2Certificate.fromPem(hub.hub.world.roots[GUANGDE] ?? ''),
      };
      const cases: [string, string, RegExp][] = [
        [(await certificateFor(NEW_ISSUERS[2], guangdeRoot)).certificate.pem, 'CERTIFICATE_CHAIN_INVALID', /./],
        [(await certificateFor(WUHAN_AMR)).certificate.pem, 'CERTIFICATE_REJECTED', /names USCC 114201000111350663/],
        [(await certificateFor(undefined)).certificate.pem, 'CERTIFICATE_REJECTED', /names USCC \(none\)/],
        [root.certificate.pem, 'CERTIFICATE_REJECTED', /must not be a CA/],
      ];
      await unchanged(async () => {
        for (const [pem, code, detail] of cases) {
          const res = await register(registration({ code: NEW_ISSUERS[2], certificate: pem }));
          assert.equal(res.status, 422, code);
          assert.equal(problem(res).code, code);
          assert.match(problem(res).detail, detail);
        }
      });
    });

    it('answers 400 for each malformed registration and 422 for an unknown license type, writing nothing', async () => {
      await unchanged(async () => {
        const cases: [Record<string, unknown>, string][] = [
          [registration({ code: '11420100MB0000003A' }), '/code'],
          [registration({ licenseTypes: [] }), '/licenseTypes'],
          [registration({ licenseTypes: ['111000000000133'] }), '/licenseTypes/0'],
          [registration({ name: '' }), '/name'],
          [registration({ name: 'x'.repeat(201) }), '/name'],
          [registration({ region: '4201' }), '/region'],
          [registration({ certificate: 'not a pem' }), '/certificate'],
          [registration({ extra: true }), '/extra'],
          [{ code: NEW_ISSUERS[2], name: 'x', licenseTypes: [BUSINESS_LICENSE] }, '/region'],
        ];
        for (const [body, pointer] of cases) {
          const res = await register(body);
          assert.equal(res.status, 400, JSON.stringify(body));
          const issues = problem(res).issues as { pointer: string }[];
          assert.ok(
            issues.some((i) => i.pointer === pointer),
            `${pointer} in ${JSON.stringify(issues)}`,
          );
        }
        const garbled = await register(
          registration({
            code: NEW_ISSUERS[2],
            certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
          }),
        );
        assert.equal(garbled.status, 400);
        const unknownType = await register(
          registration({ code: NEW_ISSUERS[2], licenseTypes: ['11100000000013338W999'] }),
        );
        assert.equal(unknownType.status, 422);
        assert.equal(problem(unknownType).code, 'UNKNOWN_REFERENCE');
      });
    });
  });

  describe('key rotation and retirement', () => {
    const issue = async (): Promise<LicenseDocument> => {
      const res = await request(hub.app).post('/v1/licenses').set(WUHAN_CLERK).send(businessLicenseRequest());
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return (res.body as { document: LicenseDocument }).document;
    };
    const signedBy = (document: LicenseDocument): string =>
      Sm2Certificate.fromPem(document.proof.certificate).fingerprint();
    const verify = async (document: LicenseDocument): Promise<Report> =>
      (await request(hub.app).post('/v1/verify').send({ document }).expect(200)).body as Report;
    const failing = (report: Report) => report.checks.filter((c) => c.ok === false).map((c) => c.step);
    const rotate = (uscc: string, body: Record<string, unknown> = {}, headers = WUHAN_ADMIN) =>
      request(hub.app).post(`/v1/issuers/${uscc}/certificates`).set(headers).send(body);
    const retire = (fingerprint: string, body: Record<string, unknown>, headers = WUHAN_ADMIN) =>
      request(hub.app).post(`/v1/issuers/${WUHAN_AMR}/certificates/${fingerprint}/retire`).set(headers).send(body);

    let first: string;
    let second: string;
    let beforeRotation: LicenseDocument;
    let signedEarly: LicenseDocument;
    let signedLate: LicenseDocument;

    it('a new key signs new licenses after a rotation; documents signed by the old key stay VALID', async () => {
      beforeRotation = await issue();
      first = signedBy(beforeRotation);
      const res = await rotate(WUHAN_AMR);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const rotated = res.body as IssuerBody;
      second = rotated.fingerprint ?? '';
      assert.deepEqual(
        rotated.certificates.map((c) => [c.fingerprint, c.retiredAt]),
        [
          [first, null],
          [second, null],
        ],
      );
      signedEarly = await issue();
      assert.equal(signedBy(signedEarly), second);
      assert.equal((await verify(beforeRotation)).verdict, 'VALID');
      assert.equal((await verify(signedEarly)).verdict, 'VALID');
    });

    it('a retired key fails the issuer step for what it signed after retirement, not before', async () => {
      await sleep(5);
      signedLate = await issue();
      assert.equal(signedBy(signedLate), second);
      const early = Date.parse(signedEarly.proof.created);
      const late = Date.parse(signedLate.proof.created);
      assert.ok(early < late);
      // The key was found compromised between the two signatures.
      const retiredAt = new Date(Math.floor((early + late) / 2)).toISOString();
      const res = await retire(second, { retiredAt, reason: '密钥泄露 (key compromised)' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const retired = (res.body as IssuerBody).certificates.find((c) => c.fingerprint === second);
      assert.ok(retired);
      assert.equal(retired.retiredAt, retiredAt);
      assert.equal(retired.retirementReason, '密钥泄露 (key compromised)');

      assert.equal((await verify(signedEarly)).verdict, 'VALID');
      const late_ = await verify(signedLate);
      assert.equal(late_.verdict, 'INVALID');
      assert.deepEqual(failing(late_), ['issuer']);
      assert.match(late_.checks.find((c) => c.step === 'issuer')?.detail ?? '', /retired/);
      // The newest key is retired, so the previous one signs again.
      assert.equal(signedBy(await issue()), first);
    });

    it('refuses to move a retirement later (409), unknown certificates (404) and malformed requests (400)', async () => {
      await unchanged(async () => {
        const later = await retire(second, { reason: 'again' });
        assert.equal(later.status, 409);
        assert.equal(problem(later).code, 'INVALID_STATE_TRANSITION');
        const unknown = await retire('0'.repeat(64), { reason: 'gone' });
        assert.equal(unknown.status, 404);
        const cases: [string, Record<string, unknown>][] = [
          [first, {}],
          [first, { reason: '' }],
          [first, { reason: 'x', retiredAt: 'yesterday' }],
          [first, { reason: 'x', extra: 1 }],
          ['ABC', { reason: 'x' }],
        ];
        for (const [fingerprint, body] of cases) {
          assert.equal((await retire(fingerprint, body)).status, 400, JSON.stringify([fingerprint, body]));
        }
        assert.equal((await retire(first, { reason: 'x' }, GUANGDE_ADMIN)).status, 403);
        assert.equal((await retire(first, { reason: 'x' }, WUHAN_CLERK)).status, 403);
        await request(hub.app)
          .post(`/v1/issuers/${NEVER_REGISTERED}/certificates/${first}/retire`)
          .set(WUHAN_ADMIN)
          .send({ reason: 'x' })
          .expect(404);
      });
    });

    it('refuses rotations it cannot or may not make, writing nothing', async () => {
      await unchanged(async () => {
        const registered = await rotate(WUHAN_AMR, { certificate: beforeRotation.proof.certificate });
        assert.equal(registered.status, 409);
        assert.equal((await rotate(NEVER_REGISTERED)).status, 404);
        const other = await rotate(GUANGDE_AMR);
        assert.equal(other.status, 403);
        assert.match(problem(other).detail, /region-admin of region 341882/);
        assert.equal((await rotate(WUHAN_AMR, {}, WUHAN_CLERK)).status, 403);
        assert.equal((await rotate(WUHAN_AMR, { certificate: 'x' })).status, 400);
        assert.equal((await rotate(WUHAN_AMR, { key: 'x' })).status, 400);
      });
    });

    it('with every key retired the issuer cannot sign (503) until a new key is added', async () => {
      await retire(first, { reason: '换发 (replaced)' }).expect(200);
      const refused = await request(hub.app).post('/v1/licenses').set(WUHAN_CLERK).send(businessLicenseRequest());
      assert.equal(refused.status, 503);
      assert.equal(problem(refused).code, 'SIGNING_KEY_UNAVAILABLE');
      const { certificate } = await certificateFor(WUHAN_AMR);
      const added = await rotate(WUHAN_AMR, { certificate: certificate.pem });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      // A certificate brought from outside: the gateway has no key for it, so it still cannot sign…
      assert.equal(
        (await request(hub.app).post('/v1/licenses').set(WUHAN_CLERK).send(businessLicenseRequest())).status,
        503,
      );
      // …until it gets one made by itself.
      await rotate(WUHAN_AMR).expect(201);
      const document = await issue();
      assert.equal((await verify(document)).verdict, 'VALID');
      assert.equal((await verify(beforeRotation)).verdict, 'VALID', 'signed before any retirement');
    });
  });

  describe('PUT /v1/issuers/{uscc}/license-types', () => {
    const setTypes = (uscc: string, body: Record<string, unknown>, headers = WUHAN_ADMIN) =>
      request(hub.app).put(`/v1/issuers/${uscc}/license-types`).set(headers).send(body);

    it('replaces the authorised types, which issuance follows at once', async () => {
      const res = await setTypes(WUHAN_AMR, { licenseTypes: [BUSINESS_LICENSE] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual((res.body as IssuerBody).licenseTypes, [BUSINESS_LICENSE]);
      const me = (await request(hub.app).get('/v1/me').set(WUHAN_CLERK).expect(200)).body as { licenseTypes: string[] };
      assert.deepEqual(me.licenseTypes, [BUSINESS_LICENSE]);
      const refused = await request(hub.app)
        .post('/v1/licenses')
        .set(WUHAN_CLERK)
        .send(businessLicenseRequest({ typeCode: ROAD_TRANSPORT_PERMIT }));
      assert.equal(refused.status, 403);
      assert.equal(problem(refused).code, 'ISSUER_NOT_AUTHORISED');
      const restored = await setTypes(WUHAN_AMR, { licenseTypes: ALL_TYPES });
      assert.deepEqual((restored.body as IssuerBody).licenseTypes, [...ALL_TYPES].sort());
    });

    it('refuses unknown types (422), other regions (403), unknown issuers (404) and bad bodies (400)', async () => {
      await unchanged(async () => {
        const unknown = await setTypes(WUHAN_AMR, { licenseTypes: ['11100000000013338W999'] });
        assert.equal(unknown.status, 422);
        assert.equal(problem(unknown).code, 'UNKNOWN_REFERENCE');
        assert.equal((await setTypes(WUHAN_AMR, { licenseTypes: [BUSINESS_LICENSE] }, GUANGDE_ADMIN)).status, 403);
        assert.equal((await setTypes(NEVER_REGISTERED, { licenseTypes: [BUSINESS_LICENSE] })).status, 404);
        for (const body of [{}, { licenseTypes: [] }, { licenseTypes: BUSINESS_LICENSE }, { licenseTypes: [1] }]) {
          assert.equal((await setTypes(WUHAN_AMR, body)).status, 400, JSON.stringify(body));
        }
        await request(hub.app)
          .put(`/v1/issuers/${WUHAN_AMR}/license-types`)
          .send({ licenseTypes: [BUSINESS_LICENSE] })
          .expect(401);
      });
    });
  });
});
