import assert from 'node:assert/strict';
import { AuditLogUnavailableError, verifyAuditChain, type AuditEntry } from '@certhub/gateway/dist/audit';
import { RequestValidationError } from '@certhub/gateway/dist/schemas';
import { ConsentRequiredError } from '@certhub/gateway/dist/services/credit-detail-access';
import { AccessDeniedError } from '@certhub/gateway/dist/services/errors';
import { DAY_MS, developmentUser, openConsentHub, type ConsentHub } from '../routes/consent-app';

/**
 * CreditDetailAccess as the credit profile route uses it: a bank's query of an enterprise's credit detail is decided
 * by the enterprise's consent on chain (as of today, China date) and logged — allowed or refused — before the answer.
 */
describe('ConsentedDetailAccess (bank access to credit detail by consent, every query logged)', function () {
  this.timeout(60_000);
  let consentHub: ConsentHub;
  const bank = developmentUser('dev-bank');
  const enterprise = developmentUser('dev-enterprise');
  const wuhanAdmin = developmentUser('dev-wuhan-admin');
  const uscc = '91420100303217469Q';

  const access = () => consentHub.hub.api.creditAccess;
  const consents = () => consentHub.hub.api.consents;
  const logged = async (): Promise<AuditEntry[]> => {
    const entries: AuditEntry[] = [];
    await verifyAuditChain(consentHub.hub.audit.log.scan(), [], (e) => entries.push(e));
    return entries;
  };
  const single = (entries: AuditEntry[]): AuditEntry => {
    assert.equal(entries.length, 1);
    return entries[0] as AuditEntry;
  };
  const refusal = async (purpose = 'loan application 42'): Promise<ConsentRequiredError> => {
    let caught: unknown;
    try {
      await access().openDetail(bank, uscc, purpose, 'credit-detail');
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ConsentRequiredError, `expected CONSENT_REQUIRED, got ${String(caught)}`);
    return caught;
  };

  beforeEach(async () => {
    consentHub = await openConsentHub();
  });
  afterEach(async () => {
    await consentHub.dispose();
  });

  it('allows a bank with a current consent covering credit-detail, after logging the query', async () => {
    const consent = await consents().grant(enterprise, uscc, {
      bank: 'BankMSP',
      scope: ['credit-detail', 'licenses'],
      expiresOn: consentHub.today(),
    });
    const before = consentHub.now().getTime();
    const grant = await access().openDetail(
      bank,
      uscc,
      '流动资金贷款审批 working-capital loan 2026-118',
      'credit-detail',
    );
    const after = consentHub.now().getTime();
    assert.equal(grant.consentId, consent.id);
    assert.deepEqual(grant.scope, ['credit-detail', 'licenses']);
    assert.equal(grant.expiresOn, consentHub.today());
    // The entry is stored before the grant is returned: the log's head is this query.
    assert.deepEqual(consentHub.hub.audit.log.head, { seq: grant.audit.seq, entryHash: grant.audit.entryHash });
    const entry = single(await logged());
    assert.deepEqual(
      [entry.bank, entry.user, entry.enterprise, entry.purpose, entry.what, entry.consentId, entry.outcome],
      [
        'BankMSP',
        'bank',
        uscc,
        '流动资金贷款审批 working-capital loan 2026-118',
        'credit-detail',
        consent.id,
        'ALLOWED',
      ],
    );
    assert.ok(Date.parse(entry.at) >= before && Date.parse(entry.at) <= after, entry.at);
  });

  it('refuses without consent, and logs the attempt (a bank fishing is what the enterprise wants to see)', async () => {
    const error = await refusal('checking a competitor');
    assert.equal(error.code, 'CONSENT_REQUIRED');
    assert.match(error.message, /has given BankMSP no consent/);
    assert.equal(error.context['reason'], 'NO_CONSENT');
    const entry = single(await logged());
    assert.deepEqual(
      [entry.outcome, entry.consentId, entry.purpose],
      ['REFUSED_NO_CONSENT', null, 'checking a competitor'],
    );
    assert.equal(error.context['auditSeq'], entry.seq);
  });

  it('a consent for another bank, or without credit-detail, does not let this bank in', async () => {
    await consents().grant(enterprise, uscc, {
      bank: 'OtherBankMSP',
      scope: ['credit-detail'],
      expiresOn: consentHub.today(),
    });
    assert.equal((await refusal()).context['reason'], 'NO_CONSENT');
    const licensesOnly = await consents().grant(wuhanAdmin, uscc, {
      bank: 'BankMSP',
      scope: ['licenses'],
      expiresOn: consentHub.today(),
    });
    const error = await refusal();
    assert.equal(error.context['reason'], 'SCOPE');
    assert.match(
      error.message,
      new RegExp(`${licensesOnly.id} .* does not include credit-detail \\(its scope: licenses\\)`),
    );
    assert.deepEqual(
      (await logged()).map((e) => e.outcome),
      ['REFUSED_NO_CONSENT', 'REFUSED_SCOPE'],
    );
  });

  it('a consent covers its last day (China date) and is refused from the next, naming when it expired', async () => {
    const consent = await consents().grant(enterprise, uscc, {
      bank: 'BankMSP',
      scope: ['credit-detail'],
      expiresOn: consentHub.today(),
    });
    const lastDay = consentHub.today();
    await access().openDetail(bank, uscc, 'loan 1', 'credit-detail');
    consentHub.advance(DAY_MS);
    const error = await refusal('loan 1, a day later');
    assert.deepEqual(
      [error.context['reason'], error.context['since'], error.context['consentId']],
      ['EXPIRED', lastDay, consent.id],
    );
    assert.match(error.message, new RegExp(`expired on ${lastDay}`));
    assert.deepEqual(
      (await logged()).map((e) => [e.outcome, e.consentId]),
      [
        ['ALLOWED', consent.id],
        ['REFUSED_EXPIRED', consent.id],
      ],
    );
  });

  it('a revoked consent is refused from the day of revocation, naming it', async () => {
    const consent = await consents().grant(enterprise, uscc, {
      bank: 'BankMSP',
      scope: ['credit-detail'],
      expiresOn: new Date(consentHub.now().getTime() + 30 * DAY_MS).toISOString().slice(0, 10),
    });
    await access().openDetail(bank, uscc, 'loan 7', 'credit-detail');
    await consents().revoke(enterprise, uscc, consent.id, 'the loan was declined');
    const error = await refusal('loan 7 again');
    assert.deepEqual([error.context['reason'], error.context['since']], ['REVOKED', consentHub.today()]);
    assert.match(error.message, /was revoked on/);
  });

  it('refuses callers that are not banks and queries without a purpose, with nothing logged', async () => {
    await consents().grant(enterprise, uscc, {
      bank: 'BankMSP',
      scope: ['credit-detail'],
      expiresOn: consentHub.today(),
    });
    for (const token of ['dev-enterprise', 'dev-guangde-verifier', 'dev-wuhan-admin']) {
      await assert.rejects(
        access().openDetail(developmentUser(token), uscc, 'curious', 'credit-detail'),
        AccessDeniedError,
      );
    }
    for (const purpose of ['', '   ', 'x'.repeat(501)]) {
      await assert.rejects(access().openDetail(bank, uscc, purpose, 'credit-detail'), RequestValidationError);
    }
    assert.deepEqual(await logged(), []);
  });

  it('serves no detail when the query cannot be logged', async () => {
    await consents().grant(enterprise, uscc, {
      bank: 'BankMSP',
      scope: ['credit-detail'],
      expiresOn: consentHub.today(),
    });
    consentHub.hub.audit.log.markUnavailable('test: the log is being investigated');
    await assert.rejects(access().openDetail(bank, uscc, 'loan 9', 'credit-detail'), AuditLogUnavailableError);
  });
});
