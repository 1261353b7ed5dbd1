import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openHubApp, type HubApp } from '../unit/gateway/routes/hub-app';

/*
 * What every browser test sets up: a development hub as `npm start` serves it (createServer with the API, so with the
 * web pages too) listening on a free port of 127.0.0.1; Debian's headless Chromium, installed by
 * scripts/install-browser.sh, driven by playwright-core; one page that records every script error, console error and
 * failed answer, so a test can say the pages raised none; and a work folder for downloads and screenshots.
 */

export const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserHubOptions {
  /** Names the work folder: certhub-<name>-XXXXXX in the system's temporary folder. */
  readonly name: string;
  /** How to open the development hub (e.g. a hand-written credit-detail access table). */
  readonly hub?: Parameters<typeof openHubApp>[0];
}

export interface BrowserHub {
  readonly hub: HubApp;
  /** http://127.0.0.1:<port> */
  readonly base: string;
  readonly page: Page;
  /** Downloads and screenshots; removed afterwards unless CERTHUB_KEEP_SCREENSHOTS=1. */
  readonly workDir: string;
  /**
   * What went wrong in the page that no test asked for, in order: script errors (CSP violations included), console
   * errors, and answers with a status of 400 or more.
   */
  readonly problems: string[];
  /** Answers `status` for `path` (e.g. 403, '/v1/enterprises/…/credit') are what the test provokes: not problems. */
  expectFailure(status: number, path: string): void;
  /** Shows a page of the gateway: '/', '/clerk', … */
  goto(path: string): Promise<void>;
  /** Signs in with a token in the shown page's sign-in form (the pages share it) and waits for the account section. */
  signIn(token: string): Promise<void>;
  /** Saves a full-page screenshot as <name>.png in the work folder. */
  screenshot(name: string): Promise<void>;
}

interface Opened {
  hub?: HubApp;
  server?: Server;
  browser?: Browser;
  context?: BrowserContext;
  page?: Page;
  base?: string;
  workDir?: string;
}

/** A status of a failed load Chromium logs: "Failed to load resource: the server responded with a status of 403 …". */
const FAILED_LOAD = /^Failed to load resource: the server responded with a status of (\d+)/;

/**
 * Opens a BrowserHub in the calling describe block's before() hook and closes it in its after() hook; call it at the
 * top of the describe. The block is skipped when Chromium is missing. Its fields can be read from the tests on.
 */
export function browserHub(options: BrowserHubOptions): BrowserHub {
  // Filled in as before() gets on (nothing when it skips), so after() closes only what was opened.
  const opened: Opened = {};
  const problems: string[] = [];
  const expected = new Set<string>();
  const isExpected = (status: number, url: string): boolean => expected.has(`${status} ${new URL(url).pathname}`);
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the browser hub's ${what} is used before its before() hook ran`);
    return value;
  };

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      (skipped: ${CHROMIUM} is missing; run scripts/install-browser.sh)`);
      this.skip();
    }
    opened.workDir = mkdtempSync(join(tmpdir(), `certhub-${options.name}-`));
    const hub = await openHubApp(options.hub);
    opened.hub = hub;
    const server = await new Promise<Server>((resolve) => {
      const started = hub.app.listen(0, '127.0.0.1', () => {
        resolve(started);
      });
    });
    opened.server = server;
    opened.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    opened.browser = browser;
    opened.context = await browser.newContext({
      acceptDownloads: true,
      locale: 'zh-CN',
      viewport: { width: 1280, height: 900 },
    });
    const page = await opened.context.newPage();
    opened.page = page;
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400 && !isExpected(response.status(), response.url())) {
        problems.push(`HTTP ${response.status()} ${response.url()}`);
      }
    });
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // Chromium also logs each failed answer; one the test provoked is no problem there either.
      const failedLoad = FAILED_LOAD.exec(message.text());
      if (failedLoad !== null && isExpected(Number(failedLoad[1]), message.location().url)) return;
      problems.push(message.text());
    });
  });

  after(async () => {
    await opened.context?.close();
    await opened.browser?.close();
    const server = opened.server;
    if (server !== undefined) await new Promise((resolve) => server.close(resolve));
    await opened.hub?.dispose();
    if (opened.workDir === undefined) return;
    // CERTHUB_KEEP_SCREENSHOTS=1 keeps the downloads and screenshots to look at.
    if (process.env.CERTHUB_KEEP_SCREENSHOTS === '1') console.log(`      (screenshots in ${opened.workDir})`);
    else rmSync(opened.workDir, { recursive: true, force: true });
  });

  const self: BrowserHub = {
    get hub() {
      return need(opened.hub, 'hub');
    },
    get base() {
      return need(opened.base, 'address');
    },
    get page() {
      return need(opened.page, 'page');
    },
    get workDir() {
      return need(opened.workDir, 'work folder');
    },
    problems,
    expectFailure(status, path) {
      expected.add(`${status} ${path}`);
    },
    async goto(path) {
      await self.page.goto(`${self.base}${path}`);
    },
    async signIn(token) {
      const page = self.page;
      await page.getByLabel('访问令牌 (bearer token)').fill(token);
      await page.getByRole('button', { name: '登录 Sign in' }).click();
      await page.locator('#account').waitFor({ state: 'visible' });
    },
    async screenshot(name) {
      await self.page.screenshot({ path: join(self.workDir, `${name}.png`), fullPage: true });
    },
  };
  return self;
}
