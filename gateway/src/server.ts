import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayConfig } from './config';
import { runHealthChecks, type HealthCheck } from './http/health';
import type { Logger } from './http/logger';
import { HttpError, fromBodyParserError, problemFor } from './http/problem';
import { createDocsRouter } from './openapi/docs-router';
import { readsOwnBody } from './openapi/routes';
import { createApiRouter, type ApiDeps } from './routes';
import { createWebRouter } from './web';

/** What the gateway is built from; tests pass fakes, main.ts passes the real ones. */
export interface ServerDeps {
  readonly config: Pick<GatewayConfig, 'bodyLimitBytes' | 'mode'>;
  readonly logger: Logger;
  readonly healthChecks: readonly HealthCheck[];
  readonly healthTimeoutMs?: number;
  /** The /v1 API and its OpenAPI docs; without it the server answers only /healthz and /metrics (tests of the edge). */
  readonly api?: ApiDeps;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Which bodies the JSON parser reads: application/json, except on routes that read their own body (bulk import, whose
 * much larger, possibly NDJSON body is streamed with its own limits).
 */
function isParsedJsonBody(req: IncomingMessage): boolean {
  if (readsOwnBody(req.method ?? '', (req.url ?? '').split('?')[0] ?? '')) return false;
  const essence = (req.headers['content-type'] ?? '').split(';')[0] ?? '';
  return essence.trim().toLowerCase() === 'application/json';
}

/** Builds the Express app without listening: `main.ts` listens, tests drive it with supertest. */
export function createServer(deps: ServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  // Metrics live in a registry of this server, not the process-global one, so several servers can run in one test.
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const requests = new Counter({
    name: 'certhub_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [metrics],
  });
  const duration = new Histogram({
    name: 'certhub_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics],
  });

  const requestContext: RequestHandler = (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The matched route pattern, never the raw URL: paths and queries may carry identifiers of people.
      const matched = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof matched === 'string' ? `${req.baseUrl}${matched}` : 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      duration.observe({ route }, seconds);
      deps.logger.info('request', {
        requestId,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 1000 * 10) / 10,
      });
    });
    next();
  };
  app.use(requestContext);
  app.use(express.json({ limit: deps.config.bodyLimitBytes, strict: true, type: isParsedJsonBody }));

  app.get('/healthz', async (_req, res) => {
    const report = await runHealthChecks(deps.healthChecks, deps.healthTimeoutMs ?? 2000);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  if (deps.api !== undefined) {
    // The API before the docs: its calls are the frequent ones, and each router before them costs a path match.
    app.use(createApiRouter(deps.api));
    app.use(createDocsRouter());
    // The verify, clerk and admin pages call the API above, so they are served only with it.
    app.use(createWebRouter());
  }

  app.use((req, _res, next) => {
    next(new HttpError('NOT_FOUND', `no route for ${req.method} ${req.path}`, { method: req.method }));
  });
  const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const translated = fromBodyParserError(error) ?? error;
    const problem = problemFor(translated, req.originalUrl.split('?')[0]);
    const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined;
    if (problem.status >= 500) {
      deps.logger.error('request failed', { requestId, error: error instanceof Error ? error.stack : String(error) });
    }
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify({ ...problem, requestId }));
  };
  app.use(errorHandler);
  return app;
}
