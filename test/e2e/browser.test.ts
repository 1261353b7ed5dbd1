import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserHub } from './browser-hub';

/*
 * Issue 4's browser test: in headless Chromium (Debian's, installed by scripts/install-browser.sh) a clerk issues a
 * license in the Clerk page and downloads the signed file, the Verify page shows it VALID, the clerk revokes it, and
 * the Verify page shows it INVALID at the `status` step. The Region admin page's issuers, keys and recognition
 * agreements follow. The gateway is a development hub listening on 127.0.0.1 (see browser-hub.ts).
 */

const BUSINESS_LICENSE = '11100000000013338W032';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface VerifiedPage {
  verdict: string | null;
  steps: { step: string | null; ok: string | null }[];
  history: (string | null)[];
}

/** What the Verify page shows once a report is in. */
async function readVerifyPage(page: Page): Promise<VerifiedPage> {
  await page.locator('#result').waitFor({ state: 'visible' });
  const verdict = await page.locator('#verdict').getAttribute('data-verdict');
  const rows = page.locator('#checks tbody tr');
  const steps = [];
  for (const row of await rows.all()) {
    steps.push({ step: await row.getAttribute('data-step'), ok: await row.getAttribute('data-ok') });
  }
  const history = [];
  for (const item of await page.locator('#history li').all()) history.push(await item.getAttribute('data-action'));
  return { verdict, steps, history };
}

/** Uploads the file in the Verify page and waits for a fresh report. */
async function verifyFile(page: Page, base: string, file: string): Promise<VerifiedPage> {
  await page.goto(`${base}/`);
  await page.locator('#document-file').setInputFiles(file);
  // The upload fills the text box asynchronously (File.text()); verify only once it has.
  await page.waitForFunction("document.getElementById('document-text').value !== ''");
  await page.getByRole('button', { name: '核验 Verify' }).click();
  return readVerifyPage(page);
}

describe('e2e: web pages in headless Chromium', function () {
  this.timeout(120_000);
  const web = browserHub({ name: 'browser' });
  let page: Page;
  before(() => {
    page = web.page;
  });

  let licenseId: string;
  let docHash: string;
  let file: string;

  it('shows the gateway’s precise reason when the Clerk page’s issuance is refused, and lists nothing', async () => {
    await web.goto('/clerk');
    await web.signIn('dev-wuhan-clerk');
    await page.locator('#issue').waitFor({ state: 'visible' });
    await page.getByLabel('证照类型 (license type)').selectOption(BUSINESS_LICENSE);
    await page.locator('#number').fill('No.420100-web-bad');
    await page.locator('#holder-name').fill('武汉光谷示例科技有限公司');
    // The USCC with its last check character changed: the 400 it gets is what this test is about.
    web.expectFailure(400, '/v1/licenses');
    await page.locator('#holder-id').fill('91420100303217469R');
    await page.getByRole('button', { name: '签发 Issue' }).click();
    const refused = page.locator('#clerk-message.message-error');
    await refused.waitFor();
    const text = (await refused.textContent()) ?? '';
    assert.match(text, /签发失败/);
    assert.match(text, /HTTP 400/);
    assert.match(text, /holder/);
    assert.equal(await page.locator('#license-table tbody tr[data-license-id]').count(), 0);
    assert.deepEqual(web.problems, []);
  });

  it('issues a license in the Clerk page and downloads the signed file', async () => {
    // Signed in by the previous test: the page signs in again from the tab's sessionStorage.
    await web.goto('/clerk');
    await page.locator('#issue').waitFor({ state: 'visible' });
    assert.match((await page.locator('#whoami').textContent()) ?? '', /武汉市市场监督管理局/);

    await page.getByLabel('证照类型 (license type)').selectOption(BUSINESS_LICENSE);
    await page.locator('#number').fill('No.420100-web-0001');
    await page.locator('#holder-name').fill('武汉光谷示例科技有限公司');
    await page.locator('#holder-id').fill('91420100303217469Q');
    await page.locator('#valid-from').fill('2026-01-01');
    await page.locator('#valid-until').fill('2036-01-01');
    await page.locator('#fields').fill('scope=软件开发\ncapital=100万元');
    await page.getByRole('button', { name: '签发 Issue' }).click();

    // The page says how the issuance ended (the gateway's problem details on failure) before listing the license.
    const outcome = page.locator('#clerk-message.message-ok, #clerk-message.message-error');
    await outcome.waitFor();
    assert.match((await outcome.textContent()) ?? '', /已签发并上链/);
    const row = page.locator('#license-table tbody tr[data-license-id]');
    await row.waitFor();
    licenseId = (await row.getAttribute('data-license-id')) ?? '';
    assert.match(licenseId, /^1\.2\.156\.3005\.2\.11100000000013338W032\.114201000111350663\./);
    assert.match((await row.locator('td.status').textContent()) ?? '', /^01/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: '下载文件 File' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${licenseId}.json`);
    file = join(web.workDir, download.suggestedFilename());
    await download.saveAs(file);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { licenseId: string; proof: { type: string } };
    assert.equal(document.licenseId, licenseId);
    // The page keeps what POST /v1/licenses answered, docHash included, for this tab's list.
    const kept = JSON.parse(String(await page.evaluate("sessionStorage.getItem('certhub.issued')"))) as {
      licenseId: string;
      docHash: string;
    }[];
    assert.equal(kept[0]?.licenseId, licenseId);
    docHash = kept[0].docHash;
    assert.match(docHash, /^[0-9a-f]{64}$/);
    assert.equal(document.proof.type, 'SM2SignatureSM3');
    // The QR image loads from the public qr.svg route.
    await page.waitForFunction("document.querySelector('#license-table img.qr')?.naturalWidth > 0");
  });

  it('shows the downloaded file VALID in the Verify page, with every step, the face and the provenance', async () => {
    const shown = await verifyFile(page, web.base, file);
    assert.equal(shown.verdict, 'VALID');
    assert.deepEqual(
      shown.steps.map((s) => [s.step, s.ok]),
      [
        ['format', 'true'],
        ['hash', 'true'],
        ['signature', 'true'],
        ['issuer', 'true'],
        ['anchor', 'true'],
        ['status', 'true'],
        ['validity', 'true'],
        ['recognition', 'null'],
      ],
    );
    assert.deepEqual(shown.history, ['issue']);
    const face = (await page.locator('#face').textContent()) ?? '';
    assert.ok(face.includes(licenseId));
    assert.ok(face.includes('武汉光谷示例科技有限公司'));
    assert.ok(!face.includes('91420100303217469Q'), 'the verifier is not shown the holder’s ID number');
    assert.match((await page.locator('#verdict').textContent()) ?? '', /有效 VALID/);
    await web.screenshot('verify-valid');
  });

  it('revokes in the Clerk page with a reason', async () => {
    await web.goto('/clerk');
    // Signed in still: the token and this session's licenses live in sessionStorage.
    const row = page.locator(`#license-table tbody tr[data-license-id="${licenseId}"]`);
    await row.waitFor();
    await row.getByLabel('操作 (action)').selectOption('revoke');
    await row.getByLabel('原因 (reason)').fill('以欺骗手段取得 (obtained by fraud)');
    // A revocation is final, so the page asks first: dismissing changes nothing, accepting revokes.
    const statusChanges: string[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && /\/(revoke|suspend|cancel)$/.test(req.url())) statusChanges.push(req.url());
    });
    const dismissed = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.dismiss();
      });
    });
    await row.getByRole('button', { name: '执行 Apply' }).click();
    assert.match(await dismissed, /不可撤回/);
    // confirm() blocks the page's script, so once the page answers again no request can still be on its way.
    await page.evaluate('1');
    assert.deepEqual(statusChanges, []);
    assert.match((await row.locator('td.status').textContent()) ?? '', /^01/);
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await row.getByRole('button', { name: '执行 Apply' }).click();
    await row.locator('td.status', { hasText: /^07/ }).waitFor();
    assert.ok(asked.includes(licenseId), asked);
    assert.equal(statusChanges.length, 1);
    await web.screenshot('clerk');
  });

  it('shows the same file INVALID at the status step after the revocation', async () => {
    const shown = await verifyFile(page, web.base, file);
    assert.equal(shown.verdict, 'INVALID');
    assert.deepEqual(
      shown.steps.filter((s) => s.ok === 'false').map((s) => s.step),
      ['status'],
    );
    assert.deepEqual(shown.history, ['issue', 'revoke']);
    assert.match((await page.locator('#history').textContent()) ?? '', /以欺骗手段取得/);
    assert.match((await page.locator('#verdict').textContent()) ?? '', /无效 INVALID/);
    await web.screenshot('verify-invalid');
  });

  /** Signs in to the Region admin page afresh (the pages share the tab's sign-in, so drop any earlier one). */
  async function adminSignIn(token: string): Promise<void> {
    await page.evaluate('sessionStorage.clear()');
    await web.goto('/admin');
    await web.signIn(token);
    await page.locator('#recognitions').waitFor({ state: 'visible' });
  }
  /**
   * Waits until the page reports the outcome of an action: the expected success message, or any error (which then
   * fails the assertion with the gateway's words). An earlier action's message does not count.
   */
  const expectAdminMessage = async (expected: RegExp): Promise<void> => {
    const shown = page.locator('#admin-message');
    // Polled from here: the pages' CSP forbids the eval a function-shaped waitForFunction would need.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (await shown.isVisible()) {
        const [text, kind] = [(await shown.textContent()) ?? '', (await shown.getAttribute('class')) ?? ''];
        if (kind.includes('message-error') || expected.test(text)) break;
      }
      await sleep(50);
    }
    assert.match((await shown.textContent()) ?? '', expected);
  };
  let agreementId: string;

  it('lets a Guangde admin propose that Guangde accepts Wuhan’s business licenses', async () => {
    await adminSignIn('dev-guangde-admin');
    assert.match((await page.locator('#whoami').textContent()) ?? '', /region-admin · GuangdeMSP · 地区 region 341882/);
    // The region's issuers with their certificates.
    const issuer = page.locator('#issuer-table tbody tr[data-issuer="113418820031587274"]');
    await issuer.waitFor();
    assert.match((await issuer.textContent()) ?? '', /广德市市场监督管理局/);
    assert.equal(await issuer.locator('li[data-retired="false"]').count(), 1);
    assert.match((await issuer.locator('li code').textContent()) ?? '', /^SM3 [0-9a-f]{16}…$/);

    await page.getByLabel('签发地区代码 (issuing region code)').fill('420100');
    await page
      .locator('#recognition-types')
      .getByLabel(/营业执照 \(business license\) · 11100000000013338W032/)
      .check();
    await page.getByRole('button', { name: '提议 Propose' }).click();
    await expectAdminMessage(/已提议 \(proposed\) rec-/);
    const row = page.locator('#recognition-table tbody tr[data-status="PROPOSED"]');
    await row.waitFor();
    agreementId = (await row.getAttribute('data-recognition-id')) ?? '';
    assert.match(agreementId, /^rec-/);
    assert.match((await row.textContent()) ?? '', /341882.*420100.*11100000000013338W032/);
    // The proposer cannot accept its own proposal; it may withdraw it.
    assert.equal(await row.getByRole('button', { name: /accept/ }).count(), 0);
    assert.equal(await row.getByRole('button', { name: /revoke/ }).count(), 1);
  });

  it('lets the Wuhan admin accept it; the Guangde admin then sees it ACTIVE', async () => {
    await adminSignIn('dev-wuhan-admin');
    const row = page.locator(`#recognition-table tbody tr[data-recognition-id="${agreementId}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: /accept/ }).click();
    await expectAdminMessage(/已接受 \(accepted\): 341882 认可 420100 → ACTIVE/);
    await page
      .locator(`#recognition-table tbody tr[data-recognition-id="${agreementId}"][data-status="ACTIVE"]`)
      .waitFor();

    await adminSignIn('dev-guangde-admin');
    const active = page.locator(`#recognition-table tbody tr[data-recognition-id="${agreementId}"]`);
    await active.waitFor();
    assert.equal(await active.getAttribute('data-status'), 'ACTIVE');
    assert.match((await active.locator('td.status').textContent()) ?? '', /生效 active/);
    await web.screenshot('admin-recognitions');
  });

  it('registers an issuer, rotates its key and retires the old one with a reason, from the keyboard too', async () => {
    await adminSignIn('dev-wuhan-admin');
    await page.getByLabel('统一社会信用代码 (USCC)').fill('11420100MB0000006U');
    await page.getByLabel('机构名称 (name)').fill('武汉市交通运输局');
    await page
      .locator('#issuer-types')
      .getByLabel(/道路运输经营许可证/)
      .check();
    await page.getByRole('button', { name: '登记 Register' }).click();
    await expectAdminMessage(/已登记 \(registered\) 武汉市交通运输局 · SM3 [0-9a-f]{16}…/);
    const issuer = page.locator('#issuer-table tbody tr[data-issuer="11420100MB0000006U"]');
    await issuer.waitFor();
    const first = (await issuer.locator('li').first().getAttribute('data-fingerprint')) ?? '';
    assert.match(first, /^[0-9a-f]{64}$/);

    await issuer.getByRole('button', { name: /rotate the signing key/ }).click();
    await expectAdminMessage(/新证书 \(new certificate\)/);
    await page.waitForFunction(
      `document.querySelectorAll('#issuer-table tr[data-issuer="11420100MB0000006U"] li').length === 2`,
    );

    // Retire the first key: the dialog takes focus; Escape cancels and hands focus back to the button.
    const retire = page
      .locator(`#issuer-table tr[data-issuer="11420100MB0000006U"] li[data-fingerprint="${first}"]`)
      .getByRole('button', { name: /retire this key/ });
    await retire.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: '停用签名密钥 Retire a signing key' });
    await dialog.waitFor();
    assert.equal(await page.evaluate('document.activeElement.id'), 'reason-text');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.match(String(await page.evaluate('document.activeElement.getAttribute("aria-label")')), /retire this key/);

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.type('轮换后停用旧密钥 (old key after rotation)');
    await dialog.getByRole('button', { name: '停用 Retire' }).click();
    await expectAdminMessage(/已停用 \(retired\)/);
    const retired = page.locator(
      `#issuer-table tr[data-issuer="11420100MB0000006U"] li[data-fingerprint="${first}"][data-retired="true"]`,
    );
    await retired.waitFor();
    assert.match((await retired.textContent()) ?? '', /已停用 retired .*轮换后停用旧密钥/);
    assert.equal(await retired.getByRole('button').count(), 0);
    await web.screenshot('admin-issuers');
  });

  it('revokes the agreement with a reason given in the dialog', async () => {
    await adminSignIn('dev-wuhan-admin');
    const row = page.locator(`#recognition-table tbody tr[data-recognition-id="${agreementId}"]`);
    await row.getByRole('button', { name: /revoke/ }).click();
    const dialog = page.getByRole('dialog', { name: '撤销互认协议 Revoke an agreement' });
    await dialog.waitFor();
    // A reason is required: confirming without one sends nothing and keeps the dialog open.
    await dialog.getByRole('button', { name: '撤销 Revoke' }).click();
    assert.equal(await dialog.isVisible(), true);
    await dialog.getByLabel('原因 (reason, recorded on the ledger)').fill('试点结束 (pilot ended)');
    await dialog.getByRole('button', { name: '撤销 Revoke' }).click();
    await expectAdminMessage(/已撤销 \(revoked\)/);
    const revoked = page.locator(
      `#recognition-table tbody tr[data-recognition-id="${agreementId}"][data-status="REVOKED"]`,
    );
    await revoked.waitFor();
    assert.match((await revoked.textContent()) ?? '', /原因 reason: 试点结束 \(pilot ended\)/);
    assert.equal(await revoked.getByRole('button').count(), 0);
  });

  it('can be used from the keyboard: the first Tab reaches the skip link, which moves focus to the content', async () => {
    await web.goto('/');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.className'), 'skip');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('location.hash'), '#main');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.id'), 'document-file');
  });

  it('verifies a typed license ID or QR payload, and the pages raised no script or CSP errors', async () => {
    const failedSteps = async (reference: string): Promise<(string | null)[]> => {
      await web.goto('/');
      await page.getByLabel(/二维码内容 certhub:1/).fill(reference);
      await page.getByRole('button', { name: '核验 Verify' }).click();
      const shown = await readVerifyPage(page);
      assert.equal(shown.verdict, 'INVALID', reference);
      return shown.steps.filter((s) => s.ok === 'false').map((s) => s.step);
    };
    assert.deepEqual(await failedSteps(licenseId), ['status']);
    assert.deepEqual(await failedSteps(`certhub:1:${licenseId}:${docHash}`), ['status']);
    // A QR code of another version of the document: the hash step names the mismatch.
    assert.deepEqual((await failedSteps(`certhub:1:${licenseId}:${'f'.repeat(64)}`))[0], 'hash');
    assert.deepEqual(web.problems, []);
  });
});
