import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserHub } from './browser-hub';

/*
 * The scripts the pages share (common.js, sign-in.js), in headless Chromium against a development hub: api() and its
 * typed errors, sayProblem's alert, and the sign-in every signed-in page uses, where the page tests only pass through
 * it. Calls are made from a served page, so they run under the pages' content security policy.
 */

interface CallOutcome {
  resolved?: unknown;
  name?: string;
  status?: number;
  code?: string;
  detail?: string;
  message?: string;
}

describe('e2e: the pages’ shared scripts in headless Chromium', function () {
  this.timeout(120_000);
  const web = browserHub({ name: 'web-shared-scripts' });
  let page: Page;
  before(() => {
    page = web.page;
  });

  /** Runs `call` (an expression using CertHub.api) in the page: what it resolved to, or what it rejected with. */
  const outcome = (call: string): Promise<CallOutcome> =>
    page.evaluate<CallOutcome>(`(${call}).then(
      (resolved) => ({ resolved }),
      (e) => ({ name: e.name, status: e.status, code: e.code, detail: e.detail, message: e.message }),
    )`);

  it('api() resolves to the answer’s JSON, with the tab’s token unless given one', async () => {
    await web.goto('/bank');
    const me = await outcome("CertHub.api('/v1/me', { token: 'dev-bank' })");
    assert.equal((me.resolved as { org: string }).org, 'BankMSP');
    await page.evaluate("CertHub.setToken('dev-wuhan-clerk')");
    const stored = await outcome("CertHub.api('/v1/me')");
    assert.equal((stored.resolved as { role: string }).role, 'clerk');
    await page.evaluate("CertHub.setToken('')");
  });

  it('a problem answer rejects with an ApiError carrying status, code and detail, each failing field named', async () => {
    web.expectFailure(401, '/v1/me');
    web.expectFailure(400, '/v1/verify');
    await web.goto('/bank');
    const unauthenticated = await outcome("CertHub.api('/v1/me')");
    assert.deepEqual(unauthenticated, {
      name: 'ApiError',
      status: 401,
      code: 'UNAUTHENTICATED',
      detail: 'this route requires an Authorization: Bearer token',
      message: 'HTTP 401: Authentication required this route requires an Authorization: Bearer token (UNAUTHENTICATED)',
    });
    const invalid = await outcome(
      "CertHub.api('/v1/verify', { method: 'POST', token: '', body: { licenseId: 'nope', extra: 1 } })",
    );
    assert.equal(invalid.name, 'ApiError');
    assert.equal(invalid.code, 'VALIDATION_FAILED');
    assert.match(
      invalid.message ?? '',
      /^HTTP 400: Request failed validation body failed validation: .*\(VALIDATION_FAILED\)/,
    );
    assert.match(invalid.message ?? '', /\(VALIDATION_FAILED\) · \/extra is not a known field · \/licenseId invalid/);
  });

  it('an unreachable gateway rejects with a GatewayUnreachableError', async () => {
    await web.goto('/bank');
    await page.route('**/v1/me', (route) => route.abort('connectionrefused'));
    try {
      const unreachable = await outcome("CertHub.api('/v1/me', { token: 'dev-bank' })");
      assert.equal(unreachable.name, 'GatewayUnreachableError');
      assert.equal(unreachable.status, undefined);
    } finally {
      await page.unroute('**/v1/me');
    }
    // Chromium logs the refused connection; that is what this test provoked.
    assert.deepEqual(
      web.problems.splice(0).filter((line) => !/ERR_CONNECTION_REFUSED/.test(line)),
      [],
    );
  });

  it('sayProblem puts either error in the alert region after the prefix, and throws anything else on', async () => {
    await web.goto('/bank');
    const shown = await page.evaluate(`(() => {
      const { say, sayProblem, ApiError, GatewayUnreachableError } = CertHub;
      const region = document.getElementById('bank-message');
      const read = () => ({ text: region.textContent, className: region.className, hidden: region.hidden });
      const problem = new ApiError(409, { title: 'Conflict', detail: 'already revoked', code: 'INVALID_STATE_TRANSITION' });
      sayProblem(region, problem, '撤销失败 (revoke failed) ');
      const answered = read();
      sayProblem(region, new GatewayUnreachableError(new TypeError('Failed to fetch')), '撤销失败 (revoke failed) ');
      const unreachable = read();
      say(region, '');
      let thrown = null;
      try {
        sayProblem(region, new TypeError('a bug of the page'));
      } catch (error) {
        thrown = error.message;
      }
      return { answered, unreachable, thrown, afterBug: read(), role: region.getAttribute('role') };
    })()`);
    assert.deepEqual(shown, {
      answered: {
        text: '撤销失败 (revoke failed) HTTP 409: Conflict already revoked (INVALID_STATE_TRANSITION)',
        className: 'message message-error',
        hidden: false,
      },
      unreachable: {
        text: '请求失败 (request failed): Failed to fetch',
        className: 'message message-error',
        hidden: false,
      },
      thrown: 'a bug of the page',
      afterBug: { text: '', className: 'message', hidden: true },
      role: 'alert',
    });
  });

  it('signing in: a refused token is said and not kept; an accepted one signs in every page of the tab', async () => {
    web.expectFailure(401, '/v1/me');
    await web.goto('/clerk');
    await page.getByLabel('访问令牌 (bearer token)').fill('not-a-token');
    await page.getByRole('button', { name: '登录 Sign in' }).click();
    const refused = page.locator('#clerk-message.message-error');
    await refused.waitFor();
    assert.match((await refused.textContent()) ?? '', /^登录失败 \(sign-in failed\) HTTP 401: .*\(UNAUTHENTICATED\)$/);
    assert.equal(await page.evaluate("sessionStorage.getItem('certhub.token')"), null);
    assert.equal(await page.locator('#signin').isVisible(), true);

    await web.signIn('dev-wuhan-clerk');
    assert.equal(await page.locator('#clerk-message').isVisible(), false, 'the refusal is cleared');
    assert.equal(await page.locator('#token').inputValue(), '', 'the token is not left in the form');
    assert.equal(await page.evaluate("sessionStorage.getItem('certhub.token')"), 'dev-wuhan-clerk');

    // The next page of the tab signs in with the kept token by itself.
    await web.goto('/admin');
    await page.locator('#account').waitFor({ state: 'visible' });
    assert.match(
      (await page.locator('#whoami').textContent()) ?? '',
      / · clerk · WuhanMSP · 地区 region 420100 · 签发机构/,
    );
    assert.match((await page.locator('#admin-message').textContent()) ?? '', /仅供地区管理员使用/);
    assert.equal(await page.locator('#issuers').isVisible(), false);

    await page.getByRole('button', { name: '退出 Sign out' }).click();
    assert.equal(await page.locator('#signin').isVisible(), true);
    assert.equal(await page.locator('#account').isVisible(), false);
    assert.equal(await page.locator('#admin-message').isVisible(), false);
    assert.equal(await page.evaluate("sessionStorage.getItem('certhub.token')"), null);
    assert.deepEqual(web.problems, []);
  });
});
