import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { createDocsRouter } from '@certhub/gateway/dist/openapi';

describe('openapi/docs-router', () => {
  const app = express();
  app.use(createDocsRouter());

  it('serves the OpenAPI document as JSON', async () => {
    const res = await request(app)
      .get('/openapi.json')
      .expect(200)
      .expect('Content-Type', /application\/json/);
    assert.equal((res.body as { openapi: string }).openapi, '3.1.0');
  });

  it('serves a docs page whose scripts and styles all come from this server', async () => {
    const res = await request(app)
      .get('/docs')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
    const refs = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => String(m[1]));
    assert.ok(refs.length >= 4);
    for (const ref of refs) {
      assert.ok(!/^(https?:)?\/\//.test(ref), `no remote asset: ${ref}`);
      // Relative to /docs, as a browser resolves them.
      const path = new URL(ref, 'http://127.0.0.1/docs').pathname;
      const asset = await request(app).get(path);
      assert.equal(asset.status, 200, path);
    }
  });

  it('serves Swagger UI from swagger-ui-dist and points it at openapi.json', async () => {
    const bundle = await request(app).get('/docs/assets/swagger-ui-bundle.js').expect(200);
    assert.ok(bundle.text.length > 500_000 || (bundle.body as Buffer).length > 500_000);
    const init = await request(app).get('/docs/assets/init.js').expect(200);
    assert.match(init.text, /url: 'openapi\.json'/);
  });

  it('does not serve the package’s other files', async () => {
    await request(app).get('/docs/assets/index.html').expect(404);
    await request(app).get('/docs/assets/swagger-initializer.js').expect(404);
  });
});
