import assert from 'node:assert/strict';
import request from 'supertest';
import type { Problem } from '@certhub/gateway/dist/http/problem';
import type { HealthCheck, HealthReport } from '@certhub/gateway/dist/http/health';
import { createJsonLogger } from '@certhub/gateway/dist/http/logger';
import { createServer } from '@certhub/gateway/dist/server';

const problem = (res: request.Response): Problem => res.body as Problem;

describe('gateway server', () => {
  const lines: string[] = [];
  const build = (healthChecks: HealthCheck[] = []) =>
    createServer({
      config: { bodyLimitBytes: 1024, mode: 'development' },
      logger: createJsonLogger('info', (l) => lines.push(l)),
      healthChecks,
    });

  it('answers /healthz 200 when the checks pass and 503 when one fails', async () => {
    await request(build([{ name: 'ledger', check: () => Promise.resolve() }]))
      .get('/healthz')
      .expect(200, { status: 'ok', checks: { ledger: { ok: true } } });
    const res = await request(build([{ name: 'ledger', check: () => Promise.reject(new Error('down')) }])).get(
      '/healthz',
    );
    assert.equal(res.status, 503);
    assert.equal((res.body as HealthReport).status, 'failing');
  });

  it('serves Prometheus metrics that count requests by route', async () => {
    const app = build();
    await request(app).get('/healthz');
    const res = await request(app).get('/metrics').expect(200);
    assert.match(res.text, /certhub_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/);
  });

  it('answers an unknown route with a 404 problem+json', async () => {
    const res = await request(build()).get('/v1/nothing').expect(404);
    assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/);
    assert.equal(problem(res).code, 'NOT_FOUND');
    assert.equal(problem(res).status, 404);
    assert.equal(problem(res).instance, '/v1/nothing');
  });

  it('answers malformed JSON with 400 MALFORMED_JSON and an oversized body with 413, without a stack trace', async () => {
    const bad = await request(build()).post('/v1/licenses').set('content-type', 'application/json').send('{"a":');
    assert.equal(bad.status, 400);
    assert.equal(problem(bad).code, 'MALFORMED_JSON');
    assert.doesNotMatch(bad.text, /at .*\.js:\d+/);
    const big = await request(build())
      .post('/v1/licenses')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ x: 'a'.repeat(2000) }));
    assert.equal(big.status, 413);
    assert.equal(problem(big).code, 'PAYLOAD_TOO_LARGE');
  });

  it('echoes a well-formed X-Request-Id, replaces a malformed one, and logs the route, not the URL', async () => {
    lines.length = 0;
    const app = build();
    const a = await request(app).get('/healthz').set('X-Request-Id', 'abc-123');
    assert.equal(a.headers['x-request-id'], 'abc-123');
    const b = await request(app).get('/healthz').set('X-Request-Id', 'bad id with spaces');
    assert.match(b.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    await request(app).get('/v1/enterprises/914403001922038216/licenses');
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(logged.some((l) => l.requestId === 'abc-123' && l.route === '/healthz' && l.status === 200));
    assert.ok(!lines.some((l) => l.includes('914403001922038216')));
  });
});
