import assert from 'node:assert/strict';
import request from 'supertest';
import { bearer } from './hub-app';
import { DAY_MS, openConsentHub, type ConsentHub } from './consent-app';

const USCC = '91420100303217469Q';

interface AccessLogBody {
  total: number;
  entries: {
    seq: number;
    purpose: string;
    what: string;
    outcome: string;
    consentId: string | null;
    verified: boolean;
  }[];
  verification: { ok: boolean; lastSeq: number; anchoredSeq: number; anchorsChecked: number };
}

/**
 * Issue 6's consent and audit flow end to end through the API: without consent a bank's detail query is refused (and
 * logged), the enterprise grants, the bank's profile query returns the detail (logged with its purpose), the enterprise
 * and its registration authority read who looked in a log that verifies against the chain, the enterprise revokes, and
 * the bank is refused again naming the revocation.
 */
describe('consent and audit flow through GET /v1/enterprises/{uscc}/credit', function () {
  this.timeout(60_000);
  let consentHub: ConsentHub;
  const profile = (token: string | undefined, query: Record<string, string>) => {
    const call = request(consentHub.app).get(`/v1/enterprises/${USCC}/credit`).query(query);
    return token === undefined ? call : call.set(bearer(token));
  };
  const accessLog = async (token: string): Promise<AccessLogBody> => {
    const res = await request(consentHub.app).get(`/v1/enterprises/${USCC}/access-log`).set(bearer(token));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as AccessLogBody;
  };

  before(async () => {
    consentHub = await openConsentHub();
  });
  after(async () => {
    await consentHub.dispose();
  });

  it('refused without consent → granted → detail served and logged → revoked → refused, all in a verifying log', async () => {
    const purpose = '流动资金贷款授信审查 credit review, application 2026-0042';
    const before = await profile('dev-bank', { detail: 'true', purpose: 'fishing without consent' });
    assert.equal(before.status, 403, JSON.stringify(before.body));
    const refusal = before.body as { code: string; detail: string; reason?: string };
    assert.equal(refusal.code, 'CONSENT_REQUIRED');
    assert.match(refusal.detail, /no consent/);

    const granted = await request(consentHub.app)
      .post(`/v1/enterprises/${USCC}/consents`)
      .set(bearer('dev-enterprise'))
      .send({ bank: 'BankMSP', scope: ['credit-detail'], expiresOn: consentHub.today() });
    assert.equal(granted.status, 201, JSON.stringify(granted.body));
    const consentId = (granted.body as { id: string }).id;

    const allowed = await profile('dev-bank', { detail: 'true', purpose });
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
    const detail = (allowed.body as { detail?: { consent: { id: string }; audit: { seq: number } } }).detail;
    assert.ok(detail !== undefined);
    assert.equal(detail.consent.id, consentId);
    // The public part needs no consent and is not logged.
    assert.equal((await profile(undefined, {})).status, 200);
    assert.equal((await profile('dev-bank', {})).status, 200);

    for (const token of ['dev-enterprise', 'dev-wuhan-admin']) {
      const log = await accessLog(token);
      assert.deepEqual(
        log.entries.map((e) => [e.purpose, e.outcome]),
        [
          [purpose, 'ALLOWED'],
          ['fishing without consent', 'REFUSED_NO_CONSENT'],
        ],
      );
      const [newest] = log.entries;
      assert.ok(newest !== undefined);
      assert.equal(newest.seq, detail.audit.seq);
      assert.match(newest.what, /credit detail/);
      assert.equal(log.verification.ok, true);
    }

    const revoked = await request(consentHub.app)
      .post(`/v1/enterprises/${USCC}/consents/${consentId}/revoke`)
      .set(bearer('dev-enterprise'))
      .send({ reason: '贷款申请已撤回 application withdrawn' });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));

    const after = await profile('dev-bank', { detail: 'true', purpose });
    assert.equal(after.status, 403, JSON.stringify(after.body));
    assert.match(
      (after.body as { detail: string }).detail,
      new RegExp(`${consentId} .* was revoked on ${consentHub.today()}`),
    );

    await consentHub.hub.audit.anchoring.anchorNow();
    const final = await accessLog('dev-wuhan-admin');
    assert.deepEqual(
      final.entries.map((e) => e.outcome),
      ['REFUSED_REVOKED', 'ALLOWED', 'REFUSED_NO_CONSENT'],
    );
    assert.ok(final.entries.every((e) => e.verified));
    assert.deepEqual([final.verification.ok, final.verification.anchoredSeq, final.verification.lastSeq], [true, 3, 3]);
  });

  it('an expired consent is refused from the day after its last day', async () => {
    const granted = await request(consentHub.app)
      .post(`/v1/enterprises/${USCC}/consents`)
      .set(bearer('dev-wuhan-admin'))
      .send({ bank: 'BankMSP', scope: ['credit-detail'], expiresOn: consentHub.today() });
    assert.equal(granted.status, 201, JSON.stringify(granted.body));
    const lastDay = consentHub.today();
    assert.equal((await profile('dev-bank', { detail: 'true', purpose: 'same day' })).status, 200);
    consentHub.advance(DAY_MS);
    try {
      const next = await profile('dev-bank', { detail: 'true', purpose: 'next day' });
      assert.equal(next.status, 403, JSON.stringify(next.body));
      assert.match((next.body as { detail: string }).detail, new RegExp(`expired on ${lastDay}`));
    } finally {
      consentHub.advance(-DAY_MS);
    }
  });

  it('a detail query without a purpose is a 400, and nothing is logged', async () => {
    const before = (await accessLog('dev-enterprise')).total;
    const res = await profile('dev-bank', { detail: 'true' });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal((res.body as { code: string }).code, 'VALIDATION_FAILED');
    assert.equal((await accessLog('dev-enterprise')).total, before);
  });
});
