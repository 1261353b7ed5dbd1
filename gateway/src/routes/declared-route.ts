import { Router, type RequestHandler } from 'express';
import { optionalAuthentication, requireAuthentication, requireRole, type TokenLookup } from '../auth';
import { ROUTES, type RouteSpec } from '../openapi/routes';
import { validateRequest } from '../schemas';

/** An operation of openapi/routes.ts that no route declares: a programming error, caught at start-up. */
export class UndeclaredRouteError extends Error {}

function specOf(operationId: string): RouteSpec {
  const spec = ROUTES.find((r) => r.operationId === operationId);
  if (spec === undefined) throw new UndeclaredRouteError(`no route declares operationId ${operationId}`);
  return spec;
}

/** `/v1/licenses/{id}/qr.svg` → `/v1/licenses/:id/qr.svg` (Express 5 / path-to-regexp 8 syntax). */
export const expressPath = (template: string): string => template.replace(/\{(\w+)\}/g, ':$1');

function accessGuards(spec: RouteSpec, users: TokenLookup): RequestHandler[] {
  if (spec.access === 'public') return [];
  if (spec.access === 'optional') return [optionalAuthentication(users)];
  if (spec.access === 'signed-in') return [requireAuthentication(users)];
  return [requireAuthentication(users), requireRole(...spec.access)];
}

/**
 * Mounts a handler for an operation of the declared route table (openapi/routes.ts): its method and path, who may
 * call it and the schemas its parameters, query and body are checked against all come from the one declaration that
 * GET /openapi.json publishes, so the documentation and the checks cannot disagree.
 */
export function mountDeclared(router: Router, users: TokenLookup, operationId: string, handler: RequestHandler): void {
  const spec = specOf(operationId);
  const checks = validateRequest({
    ...(spec.params === undefined ? {} : { params: spec.params }),
    ...(spec.query === undefined ? {} : { query: spec.query }),
    // A route that streams its own body (NDJSON-capable) checks each item itself; there is no parsed body here yet.
    ...(spec.body === undefined || spec.ndjsonItem !== undefined ? {} : { body: spec.body }),
  });
  router[spec.method](expressPath(spec.path), ...accessGuards(spec, users), checks, handler);
}

export { Router };
