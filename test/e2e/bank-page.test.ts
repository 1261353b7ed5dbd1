import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { DEVELOPMENT_ENTERPRISE } from '@certhub/gateway/dist/auth';
import { CREDIT_SUBJECT, penaltyRequest } from '../support/credit-requests';
import { TableCreditDetailAccess } from '../support/table-credit-detail-access';
import { bearer, businessLicenseRequest } from '../unit/gateway/routes/hub-app';
import { browserHub } from './browser-hub';

/*
 * Issue 6's Bank page in headless Chromium: anyone sees the demo enterprise's class with its reasons, the public
 * records each with its signature/anchor/status checks, list memberships and licenses held; a bank signed in with a
 * purpose sees the detail where the enterprise consented (a hand-written consent table stands in for the consent
 * service) and the refusal's reason, with the public part, where it did not.
 */

interface ShownProfile {
  badge: string | null;
  records: { category: string | null; checks: (string | null)[] }[];
  lists: (string | null)[];
  licenses: number;
  detail: boolean;
  message: string;
}

async function readProfile(page: Page): Promise<ShownProfile> {
  await page.locator('#profile').waitFor({ state: 'visible' });
  const records = [];
  for (const row of await page.locator('#records tbody tr[data-record]').all()) {
    const checks = [];
    for (const item of await row.locator('ul.checks li').all()) checks.push(await item.getAttribute('data-ok'));
    records.push({ category: await row.locator('th').textContent(), checks });
  }
  const lists = [];
  for (const item of await page.locator('#lists li[data-list]').all()) lists.push(await item.getAttribute('data-list'));
  const message = page.locator('#bank-message');
  return {
    badge: await page.locator('#class-badge').getAttribute('data-class'),
    records,
    lists,
    licenses: await page.locator('#licenses tbody tr code').count(),
    detail: await page.locator('#detail').isVisible(),
    message: (await message.isVisible()) ? ((await message.textContent()) ?? '') : '',
  };
}

describe('e2e: the Bank page in headless Chromium (issue 6)', function () {
  this.timeout(120_000);
  const access = new TableCreditDetailAccess();
  const web = browserHub({ name: 'bank-page', hub: { creditAccess: access } });
  let page: Page;

  before(async () => {
    page = web.page;
    const { app } = web.hub;
    access.set('bank', DEVELOPMENT_ENTERPRISE.code, { consentId: 'consent-demo-1', expiresOn: '2099-12-31' });
    // A license for the demo enterprise, and an enterprise with a penalty but no consent for the bank.
    const issued = await request(app)
      .post('/v1/licenses')
      .set(bearer('dev-wuhan-clerk'))
      .send(businessLicenseRequest());
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    const decided = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const penalty = await request(app)
      .post('/v1/credit-records')
      .set(bearer('dev-wuhan-credit'))
      .send(penaltyRequest(decided));
    assert.equal(penalty.status, 201, JSON.stringify(penalty.body));
  });

  const lookUp = async (uscc: string, purpose = ''): Promise<ShownProfile> => {
    await page.locator('#uscc').fill(uscc);
    await page.locator('#purpose').fill(purpose);
    // Keyboard only: Enter in the purpose field submits the form.
    await page.locator('#purpose').press('Enter');
    await page.locator('#query-button:not([disabled])').waitFor();
    return readProfile(page);
  };

  it('shows anyone the class, reasons, public records with their checks, lists and licenses', async () => {
    await web.goto('/bank');
    assert.equal(await page.title(), '企业信用查询 · Enterprise credit · CertHub');
    const shown = await lookUp(DEVELOPMENT_ENTERPRISE.code);
    assert.equal(shown.badge, 'B');
    assert.equal(shown.records.length, 4, 'licence, two penalties and the red list; the removed listing is not public');
    for (const record of shown.records) assert.deepEqual(record.checks, ['true', 'true', 'true']);
    assert.deepEqual(shown.lists, ['REDLIST']);
    assert.equal(shown.licenses, 1);
    assert.equal(shown.detail, false);
    const reasons = await page.locator('#reasons li').allTextContents();
    assert.ok(
      reasons.some((r) => r.includes('一般行政处罚') && r.includes('→ B')),
      reasons.join(' | '),
    );
    await web.screenshot('bank-public');
  });

  it('shows a signed-in bank the detail the enterprise consented to, after it enters a purpose', async () => {
    await web.signIn('dev-bank');
    assert.match((await page.locator('#whoami').textContent()) ?? '', /· bank · BankMSP/);
    const shown = await lookUp(DEVELOPMENT_ENTERPRISE.code, '流动资金贷款授信审查');
    assert.equal(shown.detail, true);
    assert.equal(await page.locator('#detail-records article.credit-record').count(), 4);
    const meta = (await page.locator('#detail-meta').textContent()) ?? '';
    assert.match(meta, /consent-demo-1/);
    assert.match(meta, /#1 · [0-9a-f]{64}/);
    assert.match((await page.locator('#detail-records').textContent()) ?? '', /虚假宣传/);
    // The query went through the consent check with the purpose typed in, and only once.
    assert.equal(access.logged.length, 1);
    const logged = access.logged[0]!;
    assert.deepEqual(
      [logged.userId, logged.enterprise, logged.purpose],
      ['bank', DEVELOPMENT_ENTERPRISE.code, '流动资金贷款授信审查'],
    );
    assert.match(logged.what, /^credit detail \(full records, tax rating\) as of \d{4}-\d{2}-\d{2}$/);
    await web.screenshot('bank-detail');
  });

  it('says why there is no detail without consent, and still shows the public part', async () => {
    web.expectFailure(403, `/v1/enterprises/${CREDIT_SUBJECT}/credit`);
    const shown = await lookUp(CREDIT_SUBJECT, '授信审查');
    assert.equal(shown.detail, false);
    assert.equal(shown.badge, 'B');
    assert.equal(shown.records.length, 1);
    assert.match(shown.message, /未获企业授权/);
    assert.match(shown.message, new RegExp(`${CREDIT_SUBJECT} has given BankMSP no consent`));
    assert.match(shown.message, /CONSENT_REQUIRED/);
  });

  it('names the bad check character of a mistyped USCC', async () => {
    web.expectFailure(400, '/v1/enterprises/91420100303217469A/credit');
    await page.locator('#uscc').fill('91420100303217469A');
    await page.locator('#purpose').fill('');
    await page.getByRole('button', { name: '查询 Look up' }).click();
    await page.locator('#query-button:not([disabled])').waitFor();
    const message = (await page.locator('#bank-message').textContent()) ?? '';
    assert.match(message, /\/uscc invalid USCC: CHECK_CHARACTER \(expected Q\)/);
    assert.equal(await page.locator('#profile').isVisible(), false);
    assert.deepEqual(web.problems, []);
  });
});
