import { dirname, join } from 'node:path';
import express, { type Router } from 'express';
import { buildOpenApiDocument } from './document';

/*
 * GET /openapi.json and GET /docs. The interactive docs are Swagger UI served from the swagger-ui-dist package's own
 * files, so they work on a machine without internet; no CDN, no inline script (the page is CSP-clean). All URLs in the
 * page are relative, so the router works wherever it is mounted.
 */

const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
/** Only the files the page needs are served, not the package's demo index.html (which points at a remote petstore). */
const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'] as const;

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CertHub API 接口文档</title>
<link rel="icon" href="docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
<noscript>CertHub API: the machine-readable description is at <a href="openapi.json">openapi.json</a>.</noscript>
<div id="swagger-ui"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/assets/init.js"></script>
</body>
</html>
`;

const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true });
});
`;

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Swagger UI sets style attributes at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
].join('; ');

export interface DocsRouterOptions {
  /** The document to serve; default buildOpenApiDocument(). */
  readonly document?: object;
}

export function createDocsRouter(options: DocsRouterOptions = {}): Router {
  // Built and serialised once: the document does not change while the process runs.
  const documentJson = JSON.stringify(options.document ?? buildOpenApiDocument());
  const router = express.Router();

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(documentJson);
  });
  router.get('/docs', (_req, res) => {
    res.set('Content-Security-Policy', CSP).type('html').send(PAGE);
  });
  router.get('/docs/assets/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  for (const asset of ASSETS) {
    router.get(`/docs/assets/${asset}`, (_req, res, next) => {
      res.sendFile(join(SWAGGER_UI_DIR, asset), { maxAge: '1d' }, (error) => {
        if (error !== undefined) next(error);
      });
    });
  }
  return router;
}
