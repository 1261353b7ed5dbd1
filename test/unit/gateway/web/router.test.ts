import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { createJsonLogger } from '@certhub/gateway/dist/http/logger';
import { createServer } from '@certhub/gateway/dist/server';
import {
  DEFAULT_WEB_ROOT,
  WEB_ASSETS,
  WEB_PAGES,
  WebAssetsMissingError,
  createWebRouter,
} from '@certhub/gateway/dist/web';

/** The web router alone, in front of a bare Express app whose fallback is a plain 404. */
function webApp(): express.Express {
  const app = express();
  app.use(createWebRouter());
  app.use((_req, res) => {
    res.status(404).send('fallthrough');
  });
  return app;
}

describe('gateway/web/router', () => {
  it('serves every page as HTML with a same-origin content security policy and revalidation', async () => {
    const app = webApp();
    const titles: Record<string, RegExp> = {
      '/': /Verify/,
      '/clerk': /Clerk/,
      '/admin': /Region admin/,
      '/bank': /Enterprise credit/,
      '/consent': /Consent/,
    };
    for (const path of Object.keys(WEB_PAGES)) {
      const res = await request(app).get(path).expect(200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.text, /<html lang="zh-CN">/);
      assert.match(res.text, titles[path]!);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'(;|$)/, 'no inline scripts');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['cache-control'], 'no-cache');
    }
  });

  it('serves every asset a page references, with its media type, and the pages reference only /web/ assets', async () => {
    const app = webApp();
    for (const asset of WEB_ASSETS) {
      const res = await request(app).get(`/web/${asset}`).expect(200);
      assert.match(String(res.headers['content-type']), asset.endsWith('.css') ? /^text\/css/ : /javascript/);
    }
    const unused = new Set<string>(WEB_ASSETS);
    for (const path of Object.keys(WEB_PAGES)) {
      const html = (await request(app).get(path)).text;
      // Everything but the empty data: favicon (which keeps browsers from asking for /favicon.ico) is same-origin.
      const references = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)]
        .map((m) => m[1]!)
        .filter((reference) => reference !== 'data:,');
      assert.ok(references.length > 0);
      for (const reference of references) {
        assert.ok(
          reference.startsWith('/web/')
            ? WEB_ASSETS.includes(reference.slice(5) as (typeof WEB_ASSETS)[number])
            : reference in WEB_PAGES,
          `${path} references ${reference}`,
        );
        if (reference.startsWith('/web/')) unused.delete(reference.slice(5));
      }
    }
    // The shared scripts (common.js, sign-in.js, …) are listed for the pages that load them, and none is left over.
    assert.deepEqual([...unused], []);
  });

  it('gives every page the same navigation: every page in the same order and words, its own marked current', async () => {
    const app = webApp();
    const navs = new Set<string>();
    for (const path of Object.keys(WEB_PAGES)) {
      const html = (await request(app).get(path)).text;
      const nav = /<nav aria-label="页面 \(pages\)">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
      const links = [...nav.matchAll(/<a href="([^"]+)"( aria-current="page")?>/g)];
      assert.deepEqual(
        links.map((link) => link[1]),
        Object.keys(WEB_PAGES),
        path,
      );
      assert.deepEqual(
        links.filter((link) => link[2] !== undefined).map((link) => link[1]),
        [path],
        path,
      );
      navs.add(nav.replace(' aria-current="page"', ''));
    }
    assert.equal(navs.size, 1, [...navs].join('\n'));
  });

  it('gives each shared script the markup it works on, in every page that loads it', async () => {
    const app = webApp();
    // The pages are static HTML with no includes: these ids are the contract between a page and the shared scripts.
    const markup: Record<string, string[]> = {
      'sign-in.js': ['signin', 'signin-form', 'token', 'account', 'whoami', 'signout'],
      'reason-dialog.js': [
        'reason-dialog',
        'reason-form',
        'reason-title',
        'reason-subject',
        'reason-text',
        'reason-confirm',
        'reason-cancel',
      ],
    };
    const loaders: Record<string, string[]> = {};
    for (const path of Object.keys(WEB_PAGES)) {
      const html = (await request(app).get(path)).text;
      for (const [script, ids] of Object.entries(markup)) {
        if (!html.includes(`<script src="/web/${script}" defer></script>`)) continue;
        (loaders[script] ??= []).push(path);
        for (const id of ids) assert.ok(html.includes(` id="${id}"`), `${path} loads ${script} but has no #${id}`);
      }
    }
    assert.deepEqual(loaders, {
      'sign-in.js': ['/clerk', '/admin', '/bank', '/consent'],
      'reason-dialog.js': ['/admin', '/consent'],
    });
  });

  it('serves nothing else from the folder: unlisted files and traversal fall through to the next handler', async () => {
    const app = webApp();
    for (const path of ['/web/verify.html', '/web/', '/web/../router.ts', '/web/%2e%2e/router.js', '/web/missing.js']) {
      const res = await request(app).get(path);
      assert.equal(res.status, 404, path);
      assert.equal(res.text, 'fallthrough', path);
    }
    await request(app).post('/').expect(404);
  });

  it('refuses to start when a page or asset is missing, naming the file', () => {
    const root = mkdtempSync(join(tmpdir(), 'certhub-web-'));
    try {
      for (const file of Object.values(WEB_PAGES)) copyFileSync(join(DEFAULT_WEB_ROOT, file), join(root, file));
      assert.throws(
        () => createWebRouter({ root }),
        (error: unknown) =>
          error instanceof WebAssetsMissingError &&
          error.context.missing === WEB_ASSETS[0] &&
          error.context.directory === root,
      );
      for (const asset of WEB_ASSETS) copyFileSync(join(DEFAULT_WEB_ROOT, asset), join(root, asset));
      assert.doesNotThrow(() => createWebRouter({ root }));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('mounted in front of the gateway, leaves the API, health and problem+json 404s as they were', async () => {
    const outer = express();
    outer.use(createWebRouter());
    outer.use(
      createServer({
        config: { bodyLimitBytes: 1024, mode: 'development' },
        logger: createJsonLogger('silent'),
        healthChecks: [],
      }),
    );
    await request(outer).get('/').expect(200).expect('content-type', /html/);
    await request(outer).get('/healthz').expect(200);
    const missing = await request(outer).get('/web/nothing.js').expect(404);
    assert.match(String(missing.headers['content-type']), /application\/problem\+json/);
  });
});
