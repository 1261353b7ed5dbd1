import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserHub } from './browser-hub';

/*
 * Issue 6's consent page in headless Chromium (Debian's, installed by scripts/install-browser.sh): the enterprise
 * grants BankMSP consent in the Consent page, the bank's detailed credit query through the API succeeds, the page's
 * access log lists it (and says the log verifies), the enterprise revokes in the page, and the bank then gets 403. The
 * registration authority (the Wuhan admin) sees the same consents and log for the enterprise.
 */

const USCC = '91420100303217469Q';

describe('e2e: the Consent page in headless Chromium', function () {
  this.timeout(120_000);
  const web = browserHub({ name: 'consent-browser' });
  let page: Page;
  before(() => {
    page = web.page;
  });
  let consentId: string;
  const PURPOSE = '流动资金贷款授信审查 credit review 2026-0042';

  /** The bank's detailed profile query, as a bank's own system would send it. */
  const bankQuery = async (): Promise<{ status: number; body: Record<string, unknown> }> => {
    const url = `${web.base}/v1/enterprises/${USCC}/credit?detail=true&purpose=${encodeURIComponent(PURPOSE)}`;
    const res = await fetch(url, { headers: { Authorization: 'Bearer dev-bank' } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const signIn = async (token: string): Promise<void> => {
    await web.goto('/consent');
    await web.signIn(token);
  };

  it('the enterprise grants BankMSP consent in the page; the bank’s detailed query then succeeds', async () => {
    assert.equal((await bankQuery()).status, 403, 'no consent yet');
    await signIn('dev-enterprise');
    await page.locator('#workspace').waitFor({ state: 'visible' });
    // An enterprise user acts only for its own enterprise.
    assert.equal(await page.locator('#uscc').inputValue(), USCC);
    assert.equal(await page.locator('#uscc').getAttribute('readonly'), '');
    await page.locator('#consents-status').filter({ hasText: 'no consents yet' }).waitFor();
    assert.equal(await page.getByLabel('银行机构标识 (bank MSP ID)').inputValue(), 'BankMSP');
    assert.equal(await page.getByLabel(/信用详细信息/).isChecked(), true);
    await page.getByRole('button', { name: '授权 Grant' }).click();
    const granted = page.locator('#consent-message.message-ok');
    await granted.waitFor();
    assert.match((await granted.textContent()) ?? '', /已授权 \(granted\) BankMSP/);
    const row = page.locator('#consents tbody tr[data-state="ACTIVE"]');
    await row.waitFor();
    consentId = (await row.getAttribute('data-consent')) ?? '';
    assert.match(consentId, /^cs-[0-9a-f]{32}$/);
    assert.match((await row.textContent()) ?? '', /企业签名 signed by the enterprise/);

    const allowed = await bankQuery();
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
    assert.equal((allowed.body.detail as { consent: { id: string } }).consent.id, consentId);
  });

  it('the access log in the page lists the bank’s query with its purpose, and says the log verifies', async () => {
    await page.getByRole('button', { name: '刷新 Refresh' }).click();
    const entry = page.locator('#access-log tbody tr[data-outcome="ALLOWED"]');
    await entry.waitFor();
    const text = (await entry.textContent()) ?? '';
    assert.match(text, /BankMSP/);
    assert.match(text, new RegExp(PURPOSE));
    assert.match(text, new RegExp(consentId));
    assert.equal(await entry.getAttribute('data-verified'), 'true');
    assert.equal(await page.locator('#log-verification').getAttribute('data-ok'), 'true');
    assert.match((await page.locator('#log-verification').textContent()) ?? '', /the log verifies/);
    // The refused attempt before the consent is listed too.
    assert.equal(await page.locator('#access-log tbody tr[data-outcome="REFUSED_NO_CONSENT"]').count(), 1);
    await web.screenshot('consent-granted');
  });

  it('revokes in the page with a reason (Escape cancels); the bank then gets 403 naming the revocation', async () => {
    const row = page.locator(`#consents tbody tr[data-consent="${consentId}"]`);
    await row.getByRole('button', { name: /revoke the consent for BankMSP/ }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: '撤销授权 Revoke consent' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await row.getAttribute('data-state'), 'ACTIVE', 'cancelling sends nothing');

    await row.getByRole('button', { name: /revoke the consent for BankMSP/ }).click();
    await dialog.waitFor();
    await page.keyboard.type('贷款已结清 loan repaid');
    await dialog.getByRole('button', { name: '撤销 Revoke' }).click();
    await page.locator(`#consents tbody tr[data-consent="${consentId}"][data-state="REVOKED"]`).waitFor();
    assert.match((await page.locator('#consent-message').textContent()) ?? '', /已撤销 \(revoked\)/);

    const refused = await bankQuery();
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'CONSENT_REQUIRED');
    assert.match(String(refused.body.detail), new RegExp(`${consentId} .* was revoked on`));
  });

  it('the registration authority sees the same consents and who looked; the page raised no errors', async () => {
    await page.getByRole('button', { name: '退出 Sign out' }).click();
    await signIn('dev-wuhan-admin');
    await page.locator('#enterprise-form').waitFor({ state: 'visible' });
    await page.getByLabel('统一社会信用代码 (unified social credit code, 18 characters)').fill(USCC);
    await page.getByRole('button', { name: /Show consents and access log/ }).click();
    await page.locator(`#consents tbody tr[data-consent="${consentId}"][data-state="REVOKED"]`).waitFor();
    const outcomes = page.locator('#access-log tbody tr[data-outcome]');
    await page.locator('#access-log tbody tr[data-outcome="REFUSED_REVOKED"]').waitFor();
    const listed: (string | null)[] = [];
    for (const row of await outcomes.all()) listed.push(await row.getAttribute('data-outcome'));
    assert.deepEqual(listed, ['REFUSED_REVOKED', 'ALLOWED', 'REFUSED_NO_CONSENT']);
    assert.match((await page.locator('#grant-basis').textContent()) ?? '', /registration authority/);
    await web.screenshot('consent-authority');
    assert.deepEqual(web.problems, []);
  });
});
