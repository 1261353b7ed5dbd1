import assert from 'node:assert/strict';
import request from 'supertest';
import { Sm2PrivateKey, issueIssuerCertificate, createRootCertificate, usccCheckChar } from '@certhub/certs-service';
import { ROUTES } from '@certhub/gateway/dist/openapi';
import { validationIssues } from '@certhub/gateway/dist/schemas';
import { bearer } from './hub-app';
import { DAY_MS, developmentUser, openConsentHub, signedConsentBody, type ConsentHub } from './consent-app';

const USCC = '91420100303217469Q';
/** Another Wuhan enterprise (valid USCC) the development users do not act for. */
const OTHER_WUHAN = '91420100MA4K00001' + usccCheckChar('91420100MA4K00001');
const CONSENTS = `/v1/enterprises/${USCC}/consents`;

interface ConsentBody {
  id: string;
  enterprise: string;
  region: string;
  bank: string;
  scope: string[];
  expiresOn: string;
  grantedOn: string;
  state: string;
  basis: string;
  signedAt: string | null;
  certificateFingerprint: string | null;
  recordedBy: { region: string; mspId: string; actor: string } | null;
  revokedOn: string | null;
  revocationReason: string | null;
  txId: string;
}

/**
 * POST/GET /v1/enterprises/{uscc}/consents, POST …/consents/{id}/revoke and GET …/access-log: who may call each, what a
 * consent looks like, the signed bytes an enterprise holding its own key signs, and precise 4xx with nothing written.
 */
describe('consent routes', function () {
  this.timeout(60_000);
  let consentHub: ConsentHub;
  const inDays = (days: number): string =>
    new Date(consentHub.now().getTime() + days * DAY_MS + 8 * 3600_000).toISOString().slice(0, 10);
  const grantBody = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
    bank: 'BankMSP',
    scope: ['credit-detail'],
    expiresOn: inDays(30),
    ...fields,
  });
  const grant = (token: string, body: Record<string, unknown> = grantBody(), uscc = USCC) =>
    request(consentHub.app).post(`/v1/enterprises/${uscc}/consents`).set(bearer(token)).send(body);
  const grants = async (): Promise<number> =>
    (await consentHub.hub.ledger.history()).filter((tx) => tx.contract === 'consent').length;
  /** A refusal: the status, the problem code, and no consent transaction committed. */
  const refused = async (call: Promise<request.Response>, status: number, code: string): Promise<request.Response> => {
    const before = await grants();
    const res = await call;
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.type, 'application/problem+json');
    assert.equal((res.body as { code: string }).code, code);
    assert.equal(await grants(), before, 'nothing may be written');
    return res;
  };
  const selfSigned = (fields: Partial<{ bank: string; scope: string[]; expiresOn: string; signedAt: string }> = {}) =>
    signedConsentBody(consentHub.enterprise.key, consentHub.enterprise.certificate, {
      enterprise: USCC,
      bank: 'BankMSP',
      scope: ['credit-detail'],
      expiresOn: inDays(30),
      signedAt: consentHub.now().toISOString(),
      ...fields,
    });

  /** Each group starts from a fresh gateway: consents one group grants must not decide another's outcomes. */
  const freshGateway = (): void => {
    before(async () => {
      consentHub = await openConsentHub();
    });
    after(async () => {
      await consentHub.dispose();
    });
  };

  describe('POST /v1/enterprises/{uscc}/consents', () => {
    freshGateway();
    it('the enterprise user grants; the gateway signs with the enterprise’s SM2 key', async () => {
      const res = await grant('dev-enterprise', grantBody({ scope: ['licenses', 'credit-detail'] }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const body = res.body as ConsentBody;
      assert.match(body.id, /^cs-[0-9a-f]{32}$/);
      assert.equal(res.headers['location'], `${CONSENTS}/${body.id}`);
      assert.deepEqual(
        [body.enterprise, body.region, body.bank, body.scope, body.state, body.basis, body.grantedOn],
        [USCC, '420100', 'BankMSP', ['credit-detail', 'licenses'], 'ACTIVE', 'SIGNED', consentHub.today()],
      );
      assert.equal(body.certificateFingerprint, consentHub.enterprise.certificate.fingerprint());
      assert.equal(body.recordedBy, null);
      assert.ok(body.signedAt !== null && Math.abs(Date.parse(body.signedAt) - consentHub.now().getTime()) < 60_000);
      assert.ok(body.txId.length > 0);
    });

    it('an enterprise holding its own key signs the documented bytes itself', async () => {
      const signedAt = new Date(consentHub.now().getTime() - 60_000).toISOString();
      const res = await grant('dev-enterprise', selfSigned({ signedAt, bank: 'OtherBankMSP' }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const body = res.body as ConsentBody;
      assert.deepEqual([body.basis, body.signedAt, body.bank], ['SIGNED', signedAt, 'OtherBankMSP']);
    });

    it('the registration authority (Wuhan admin) records a consent in its own name', async () => {
      const res = await grant('dev-wuhan-admin', grantBody({ expiresOn: consentHub.today() }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const body = res.body as ConsentBody;
      assert.equal(body.basis, 'RECORDED');
      assert.deepEqual([body.recordedBy?.region, body.recordedBy?.mspId], ['420100', 'WuhanMSP']);
      assert.match(body.recordedBy?.actor ?? '', /CN=wuhan-admin::/);
      assert.equal(body.signedAt, null);
    });

    it('401 without a token; 403 for every other role, another enterprise and another region', async () => {
      await refused(request(consentHub.app).post(CONSENTS).send(grantBody()), 401, 'UNAUTHENTICATED');
      for (const token of [
        'dev-bank',
        'dev-wuhan-clerk',
        'dev-guangde-verifier',
        'dev-wuhan-credit',
        'dev-hub-admin',
      ]) {
        await refused(grant(token), 403, 'FORBIDDEN');
      }
      const guangde = await refused(grant('dev-guangde-admin'), 403, 'FORBIDDEN');
      assert.match(
        (guangde.body as { detail: string }).detail,
        /registration authority of 91420100303217469Q \(region-admin of 420100\)/,
      );
      await refused(grant('dev-enterprise', grantBody(), OTHER_WUHAN), 403, 'FORBIDDEN');
      // An authority does not pass off its own submission as the enterprise's signature.
      await refused(grant('dev-wuhan-admin', selfSigned()), 403, 'FORBIDDEN');
    });

    it('400 for a bad USCC, an expiry in the past, an empty or unknown scope, a missing bank, half a signature', async () => {
      await refused(grant('dev-enterprise', grantBody(), '91420100303217469A'), 400, 'VALIDATION_FAILED');
      const past = await refused(
        grant('dev-enterprise', grantBody({ expiresOn: inDays(-1) })),
        400,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(
        (past.body as { issues: { pointer: string }[] }).issues.map((i) => i.pointer),
        ['/expiresOn'],
      );
      await refused(grant('dev-wuhan-admin', grantBody({ expiresOn: inDays(-1) })), 400, 'VALIDATION_FAILED');
      await refused(grant('dev-enterprise', grantBody({ expiresOn: '2027-02-30' })), 400, 'VALIDATION_FAILED');
      await refused(grant('dev-enterprise', grantBody({ scope: [] })), 400, 'VALIDATION_FAILED');
      await refused(grant('dev-enterprise', grantBody({ scope: ['everything'] })), 400, 'VALIDATION_FAILED');
      await refused(grant('dev-enterprise', grantBody({ scope: ['licenses', 'licenses'] })), 400, 'VALIDATION_FAILED');
      await refused(
        grant('dev-enterprise', { scope: ['credit-detail'], expiresOn: inDays(3) }),
        400,
        'VALIDATION_FAILED',
      );
      await refused(grant('dev-enterprise', grantBody({ bank: 'Bank of Nowhere' })), 400, 'VALIDATION_FAILED');
      await refused(grant('dev-enterprise', grantBody({ note: 'extra' })), 400, 'VALIDATION_FAILED');
      const { certificate: _c, ...noCertificate } = selfSigned();
      const half = await refused(grant('dev-enterprise', noCertificate), 400, 'VALIDATION_FAILED');
      assert.match(JSON.stringify(half.body), /certificate/);
      const old = new Date(consentHub.now().getTime() - 2 * DAY_MS).toISOString();
      await refused(grant('dev-enterprise', selfSigned({ signedAt: old })), 400, 'INVALID_ARGUMENT');
    });

    it('422 for a forged signature, signed terms that differ, a certificate from another root', async () => {
      const forged = {
        ...selfSigned(),
        signature: (selfSigned({ bank: 'OtherBankMSP' }) as { signature: string }).signature,
      };
      await refused(grant('dev-enterprise', forged), 422, 'BAD_SIGNATURE');
      const otherKey = Sm2PrivateKey.generate();
      const wrongKey = signedConsentBody(otherKey, consentHub.enterprise.certificate, {
        enterprise: USCC,
        bank: 'BankMSP',
        scope: ['credit-detail'],
        expiresOn: inDays(30),
        signedAt: consentHub.now().toISOString(),
      });
      await refused(grant('dev-enterprise', wrongKey), 422, 'BAD_SIGNATURE');
      const rogueRootKey = Sm2PrivateKey.generate();
      const rogueRoot = await createRootCertificate({ subject: 'CN=Rogue Root,C=CN', key: rogueRootKey });
      const rogue = await issueIssuerCertificate({
        caKey: rogueRootKey,
        caCertificate: rogueRoot,
        publicKey: otherKey.publicKey,
        subject: 'CN=Not the enterprise,C=CN',
        uscc: USCC,
      });
      const res = await refused(
        grant(
          'dev-enterprise',
          signedConsentBody(otherKey, rogue, {
            enterprise: USCC,
            bank: 'BankMSP',
            scope: ['credit-detail'],
            expiresOn: inDays(30),
            signedAt: consentHub.now().toISOString(),
          }),
        ),
        422,
        'CERTIFICATE_REJECTED',
      );
      assert.match((res.body as { detail: string }).detail, /region 420100/);
      // A certificate the Wuhan root issued, but to another enterprise.
      const otherEnterprise = await issueIssuerCertificate({
        caKey: consentHub.wuhanRoot.key,
        caCertificate: consentHub.wuhanRoot.certificate,
        publicKey: otherKey.publicKey,
        subject: 'CN=Other Wuhan Co.,C=CN',
        uscc: OTHER_WUHAN,
      });
      const wrongSubject = signedConsentBody(otherKey, otherEnterprise, {
        enterprise: USCC,
        bank: 'BankMSP',
        scope: ['credit-detail'],
        expiresOn: inDays(30),
        signedAt: consentHub.now().toISOString(),
      });
      await refused(grant('dev-enterprise', wrongSubject), 422, 'CERTIFICATE_REJECTED');
    });

    it('409 for a signed consent sent twice', async () => {
      const body = selfSigned({ expiresOn: inDays(5) });
      assert.equal((await grant('dev-enterprise', body)).status, 201);
      await refused(grant('dev-enterprise', body), 409, 'ALREADY_EXISTS');
    });
  });

  describe('POST /v1/enterprises/{uscc}/consents/{id}/revoke', () => {
    freshGateway();
    const revoke = (
      token: string,
      id: string,
      body: Record<string, unknown> = { reason: '贷款已结清 loan repaid' },
      uscc = USCC,
    ) => request(consentHub.app).post(`/v1/enterprises/${uscc}/consents/${id}/revoke`).set(bearer(token)).send(body);

    it('the enterprise revokes with a reason; again is a 409', async () => {
      const { id } = (await grant('dev-enterprise')).body as ConsentBody;
      const res = await revoke('dev-enterprise', id);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const body = res.body as ConsentBody;
      assert.deepEqual(
        [body.id, body.state, body.revokedOn, body.revocationReason],
        [id, 'REVOKED', consentHub.today(), '贷款已结清 loan repaid'],
      );
      assert.ok(body.txId.length > 0);
      await refused(revoke('dev-enterprise', id), 409, 'INVALID_STATE_TRANSITION');
    });

    it('the registration authority revokes too; banks, another region and another enterprise cannot', async () => {
      const { id } = (await grant('dev-enterprise')).body as ConsentBody;
      await refused(revoke('dev-bank', id), 403, 'FORBIDDEN');
      await refused(revoke('dev-guangde-admin', id), 403, 'FORBIDDEN');
      await refused(revoke('dev-enterprise', id, undefined, OTHER_WUHAN), 403, 'FORBIDDEN');
      await refused(
        request(consentHub.app).post(`${CONSENTS}/${id}/revoke`).send({ reason: 'x' }),
        401,
        'UNAUTHENTICATED',
      );
      const res = await revoke('dev-wuhan-admin', id, { reason: '法院裁定 court order' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((res.body as ConsentBody).state, 'REVOKED');
    });

    it('404 for an unknown consent or one addressed under another enterprise; 400 without a reason', async () => {
      const { id } = (await grant('dev-enterprise')).body as ConsentBody;
      await refused(revoke('dev-enterprise', `cs-${'0'.repeat(32)}`), 404, 'NOT_FOUND');
      await refused(revoke('dev-wuhan-admin', id, undefined, OTHER_WUHAN), 404, 'NOT_FOUND');
      await refused(revoke('dev-enterprise', id, {}), 400, 'VALIDATION_FAILED');
      await refused(revoke('dev-enterprise', id, { reason: '' }), 400, 'VALIDATION_FAILED');
      await refused(revoke('dev-enterprise', 'cs-xyz'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /v1/enterprises/{uscc}/consents', () => {
    freshGateway();
    const list = (token: string, uscc = USCC) =>
      request(consentHub.app).get(`/v1/enterprises/${uscc}/consents`).set(bearer(token));

    it('the enterprise and its authority see every consent with its state today; a bank only those naming it', async () => {
      const mine = (await grant('dev-enterprise', grantBody({ expiresOn: inDays(1) }))).body as ConsentBody;
      const other = (await grant('dev-wuhan-admin', grantBody({ bank: 'OtherBankMSP' }))).body as ConsentBody;
      for (const token of ['dev-enterprise', 'dev-wuhan-admin']) {
        const res = await list(token);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const body = res.body as { enterprise: string; onDate: string; consents: ConsentBody[] };
        assert.equal(body.enterprise, USCC);
        assert.equal(body.onDate, consentHub.today());
        const ids = body.consents.map((c) => c.id);
        assert.ok(ids.includes(mine.id) && ids.includes(other.id));
      }
      const bankView = (await list('dev-bank')).body as { consents: ConsentBody[] };
      assert.ok(bankView.consents.length > 0);
      assert.ok(bankView.consents.every((c) => c.bank === 'BankMSP'));
      assert.ok(bankView.consents.some((c) => c.id === mine.id));
      // Two days on, the one-day consent shows as expired.
      consentHub.advance(2 * DAY_MS);
      try {
        const later = (await list('dev-enterprise')).body as { consents: ConsentBody[] };
        assert.equal(later.consents.find((c) => c.id === mine.id)?.state, 'EXPIRED');
        assert.equal(later.consents.find((c) => c.id === other.id)?.state, 'ACTIVE');
      } finally {
        consentHub.advance(-2 * DAY_MS);
      }
    });

    it('401 without a token; 403 for another region, another enterprise and roles without a say', async () => {
      assert.equal((await request(consentHub.app).get(CONSENTS)).status, 401);
      for (const token of ['dev-guangde-admin', 'dev-guangde-verifier', 'dev-wuhan-clerk']) {
        assert.equal((await list(token)).status, 403, token);
      }
      assert.equal((await list('dev-enterprise', OTHER_WUHAN)).status, 403);
      assert.equal((await list('dev-enterprise', 'not-a-uscc')).status, 400);
    });
  });

  describe('GET /v1/enterprises/{uscc}/access-log', () => {
    freshGateway();
    const log = (token: string, query = '', uscc = USCC) =>
      request(consentHub.app).get(`/v1/enterprises/${uscc}/access-log${query}`).set(bearer(token));
    interface AccessLogBody {
      enterprise: string;
      total: number;
      entries: {
        seq: number;
        at: string;
        bank: string;
        user: string;
        purpose: string;
        what: string;
        consentId: string | null;
        outcome: string;
        verified: boolean;
      }[];
      verification: { ok: boolean; lastSeq: number; anchoredSeq: number; anchorsChecked: number; logId: string };
    }

    it('lists who looked (allowed and refused), newest first, and whether the log verifies against the chain', async () => {
      const bank = developmentUser('dev-bank');
      const access = consentHub.hub.api.creditAccess;
      const consent = (await grant('dev-enterprise', grantBody({ expiresOn: inDays(10) }))).body as ConsentBody;
      await access.openDetail(bank, USCC, '授信审批 credit line 2026-7', 'credit-detail');
      await consentHub.hub.api.consents.revoke(developmentUser('dev-enterprise'), USCC, consent.id, 'done');
      await assert.rejects(access.openDetail(bank, USCC, '授信审批 credit line 2026-7 (again)', 'credit-detail'));
      // Another enterprise's queries are in the same log but not in this listing.
      await assert.rejects(access.openDetail(bank, OTHER_WUHAN, 'someone else', 'credit-detail'));
      await consentHub.hub.audit.anchoring.anchorNow();
      for (const token of ['dev-enterprise', 'dev-wuhan-admin']) {
        const res = await log(token);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const body = res.body as AccessLogBody;
        const [newest, older] = body.entries;
        assert.ok(newest !== undefined && older !== undefined);
        assert.deepEqual(
          [newest.purpose, newest.outcome, newest.consentId, newest.bank, newest.user, newest.what, newest.verified],
          [
            '授信审批 credit line 2026-7 (again)',
            'REFUSED_REVOKED',
            consent.id,
            'BankMSP',
            'bank',
            'credit-detail',
            true,
          ],
        );
        assert.deepEqual([older.purpose, older.outcome], ['授信审批 credit line 2026-7', 'ALLOWED']);
        assert.ok(body.entries.every((e) => e.purpose !== 'someone else'));
        assert.equal(body.total, body.entries.length);
        assert.equal(body.verification.ok, true);
        assert.equal(body.verification.anchoredSeq, body.verification.lastSeq);
        assert.ok(body.verification.anchorsChecked >= 1);
        assert.equal(body.verification.logId, 'gateway');
      }
      const limited = (await log('dev-enterprise', '?limit=1')).body as AccessLogBody;
      assert.equal(limited.entries.length, 1);
      assert.ok(limited.total >= 2);
    });

    it('every consent route answers what GET /openapi.json publishes for it', async () => {
      const conforms = (operationId: string, status: number, res: request.Response): void => {
        assert.equal(res.status, status, `${operationId}: ${JSON.stringify(res.body)}`);
        const schema = ROUTES.find((r) => r.operationId === operationId)?.responses[status]?.schema;
        assert.ok(schema, `${operationId} publishes a ${String(status)} schema`);
        assert.deepEqual(validationIssues(schema, res.body), [], operationId);
      };
      const signed = await grant('dev-enterprise');
      conforms('grantConsent', 201, signed);
      conforms('grantConsent', 201, await grant('dev-wuhan-admin', grantBody({ scope: ['licenses'] })));
      await consentHub.hub.api.creditAccess.openDetail(developmentUser('dev-bank'), USCC, 'loan', 'credit-detail');
      conforms('listConsents', 200, await request(consentHub.app).get(CONSENTS).set(bearer('dev-bank')));
      conforms('getAccessLog', 200, await log('dev-wuhan-admin'));
      conforms(
        'revokeConsent',
        200,
        await request(consentHub.app)
          .post(`${CONSENTS}/${(signed.body as ConsentBody).id}/revoke`)
          .set(bearer('dev-enterprise'))
          .send({ reason: 'contract test' }),
      );
      conforms('listConsents', 200, await request(consentHub.app).get(CONSENTS).set(bearer('dev-enterprise')));
    });

    it('401/403/400: only the enterprise and its registration authority, a sane limit', async () => {
      assert.equal((await request(consentHub.app).get(`/v1/enterprises/${USCC}/access-log`)).status, 401);
      for (const token of ['dev-bank', 'dev-guangde-admin', 'dev-guangde-verifier', 'dev-wuhan-credit']) {
        assert.equal((await log(token)).status, 403, token);
      }
      assert.equal((await log('dev-enterprise', '', OTHER_WUHAN)).status, 403);
      for (const query of ['?limit=0', '?limit=1001', '?limit=ten', '?since=yesterday']) {
        const res = await log('dev-enterprise', query);
        assert.equal(res.status, 400, query);
        assert.equal((res.body as { code: string }).code, 'VALIDATION_FAILED');
      }
    });
  });
});
