import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { WebAssetsMissingError } from './errors';

/*
 * The gateway's web pages: Verify (public), Clerk and Region admin (issue 4), Bank and Consent (issue 6). They are
 * plain HTML, CSS and vanilla JavaScript under src/web/public, served as they are: no CDN, no bundler, nothing to
 * build at run time. The pages only call the public /v1 API with the user's token, so they have no privileges of
 * their own.
 */

/** Where the pages live: next to this module's source (dist/web → ../../src/web/public), since tsc copies no assets. */
export const DEFAULT_WEB_ROOT = resolve(__dirname, '..', '..', 'src', 'web', 'public');

/** Page path → HTML file. */
export const WEB_PAGES: Readonly<Record<string, string>> = {
  '/': 'verify.html',
  '/clerk': 'clerk.html',
  '/admin': 'admin.html',
  '/bank': 'bank.html',
  '/consent': 'consent.html',
};

/** Scripts and styles the pages load from /web/. */
export const WEB_ASSETS = [
  'web.css',
  'common.js',
  'sign-in.js',
  'reason-dialog.js',
  'verify.js',
  'clerk.js',
  'admin.js',
  'bank.js',
  'consent.js',
] as const;

export interface WebRouterOptions {
  /** Folder holding the pages and assets; DEFAULT_WEB_ROOT unless a test or a packaged build says otherwise. */
  readonly root?: string;
}

/*
 * Same-origin only, no inline script or style: what a page can do is fixed by the files served here. `data:` and
 * `blob:` images are for the QR code preview and downloads the clerk page makes from API responses.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  next();
};

/**
 * Serves GET / (verify), /clerk, /admin and their /web/* assets. Mount it before the API's not-found handler, e.g.
 * `app.use(createWebRouter())` in createServer. Throws WebAssetsMissingError at start-up, not on the first request,
 * when a file is missing.
 */
export function createWebRouter(options: WebRouterOptions = {}): Router {
  const root = options.root ?? DEFAULT_WEB_ROOT;
  for (const file of [...Object.values(WEB_PAGES), ...WEB_ASSETS]) {
    if (!existsSync(join(root, file))) throw new WebAssetsMissingError(root, file);
  }

  const router = Router();
  for (const [path, file] of Object.entries(WEB_PAGES)) {
    const absolute = join(root, file);
    router.get(path, securityHeaders, (_req, res, next) => {
      // Pages are small and change with the gateway; revalidate so an upgrade is seen at once.
      res.set('Cache-Control', 'no-cache');
      res.type('html').sendFile(absolute, (error?: Error) => {
        if (error !== undefined) next(error);
      });
    });
  }
  const allowed = new Set<string>(WEB_ASSETS);
  const assets = express.static(root, { index: false, dotfiles: 'deny', fallthrough: true, maxAge: 0 });
  router.use('/web', securityHeaders, (req, res, next) => {
    // Only the listed assets: the HTML is served under its page path, and nothing else in the folder leaks.
    if (!allowed.has(req.path.replace(/^\//, ''))) {
      next();
      return;
    }
    void assets(req, res, next);
  });
  return router;
}
