import { Kind, type TSchema } from '@sinclair/typebox';
import * as schemas from '../schemas';
import { ROUTES, type RouteSpec } from './routes';

/*
 * The OpenAPI 3.1 document of the gateway, assembled from the route table and the very schema objects the edge
 * validates with. Schemas exported by name from schemas/ become components and are referenced wherever they occur;
 * everything else is inlined. Errors are RFC 9457 problem+json, one shared response per status.
 */

export const OPENAPI_VERSION = '3.1.0';
const BEARER = 'bearerAuth';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isSchema(value: unknown): value is TSchema {
  return typeof value === 'object' && value !== null && Kind in value;
}

/** Schema object → its component name, for every schema exported by name. */
function namedSchemas(): Map<object, string> {
  const names = new Map<object, string>();
  for (const [name, value] of Object.entries(schemas)) {
    // LicenseDocumentSchema is named so to stay clear of certs-service's LicenseDocument type; the API calls it LicenseDocument.
    if (isSchema(value) && !names.has(value)) names.set(value, name.replace(/Schema$/, ''));
  }
  return names;
}

const ERROR_RESPONSES: Readonly<Record<number, { name: string; description: string }>> = {
  400: { name: 'BadRequest', description: 'Malformed JSON or a request that fails validation (VALIDATION_FAILED).' },
  401: { name: 'Unauthenticated', description: 'Missing, malformed or unknown bearer token (UNAUTHENTICATED).' },
  403: { name: 'Forbidden', description: 'The caller’s role or organisation may not do this (FORBIDDEN).' },
  404: { name: 'NotFound', description: 'No such resource.' },
  409: { name: 'Conflict', description: 'Already exists, or a status change not allowed from the current status.' },
  413: { name: 'PayloadTooLarge', description: 'Body larger than the server accepts.' },
  415: { name: 'UnsupportedMediaType', description: 'Body is not UTF-8 JSON (or NDJSON where accepted).' },
  422: { name: 'Unprocessable', description: 'Well-formed but refused: bad signature or certificate chain.' },
  500: { name: 'Internal', description: 'Unexpected failure; the request ID identifies it in the logs.' },
  503: { name: 'Unavailable', description: 'The ledger (or another dependency) cannot be reached.' },
};

class DocumentBuilder {
  readonly #names = namedSchemas();
  readonly #components: Record<string, Json> = {};

  /** Plain JSON of a schema (TypeBox's symbol keys dropped), named sub-schemas replaced by $ref. */
  json(value: unknown, root = false): Json {
    if (Array.isArray(value)) return value.map((item) => this.json(item));
    if (typeof value === 'object' && value !== null) {
      const name = root ? undefined : this.#names.get(value);
      if (name !== undefined) return this.ref(name, value as TSchema);
      const out: JsonObject = {};
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined && typeof item !== 'function') out[key] = this.json(item);
      }
      return out;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
      return value;
    }
    throw new TypeError(`schema holds a value JSON cannot carry: ${typeof value}`);
  }

  /** The $ref of a schema, registering it as a component (once) under its exported name. */
  ref(name: string, schema: TSchema): Json {
    if (!(name in this.#components)) {
      this.#components[name] = {}; // placeholder first: a schema that refers to itself must not recurse forever
      this.#components[name] = this.json(schema, true);
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  schema(schema: TSchema): Json {
    const name = this.#names.get(schema);
    return name !== undefined ? this.ref(name, schema) : this.json(schema, true);
  }

  get components(): Record<string, Json> {
    return Object.fromEntries(Object.entries(this.#components).sort(([a], [b]) => a.localeCompare(b)));
  }
}

function objectProperties(schema: TSchema): [string, TSchema, boolean][] {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties ?? {};
  const required = new Set((schema as { required?: string[] }).required ?? []);
  return Object.entries(properties).map(([name, property]) => [name, property, required.has(name)]);
}

function parameters(route: RouteSpec, builder: DocumentBuilder): Json[] {
  const list: Json[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (schema === undefined) continue;
    for (const [name, property, required] of objectProperties(schema)) {
      const description = (property as { description?: string }).description;
      list.push({
        name,
        in: where,
        required: where === 'path' ? true : required,
        ...(description === undefined ? {} : { description }),
        schema: builder.schema(property),
      });
    }
  }
  if (route.idempotent === true) {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Retrying with the same key returns the first result instead of acting twice.',
      schema: builder.schema(schemas.IdempotencyKey),
    });
  }
  return list;
}

function errorStatuses(route: RouteSpec): number[] {
  const statuses = new Set<number>(route.errors ?? []);
  if (route.params !== undefined || route.query !== undefined || route.body !== undefined) statuses.add(400);
  if (route.access !== 'public') statuses.add(401);
  if (typeof route.access !== 'string') statuses.add(403);
  if (route.body !== undefined) {
    statuses.add(413);
    statuses.add(415);
  }
  if (route.path.startsWith('/v1/')) statuses.add(503);
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

function security(route: RouteSpec): Json[] {
  if (route.access === 'public') return [];
  if (route.access === 'optional') return [{}, { [BEARER]: [] }];
  return [{ [BEARER]: [] }];
}

function accessText(route: RouteSpec): string {
  if (route.access === 'public') return 'Public.';
  if (route.access === 'optional') return 'Anonymous or signed in (a sent token must be valid).';
  if (route.access === 'signed-in') return 'Any signed-in user.';
  return `Roles: ${route.access.join(', ')}.`;
}

function operation(route: RouteSpec, builder: DocumentBuilder): JsonObject {
  const responses: JsonObject = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const content: JsonObject = {};
    if (spec.schema !== undefined) content['application/json'] = { schema: builder.schema(spec.schema) };
    for (const [media, description] of Object.entries(spec.media ?? {})) {
      content[media] = { schema: { type: 'string', description } };
    }
    responses[status] = { description: spec.description, ...(Object.keys(content).length > 0 ? { content } : {}) };
  }
  for (const status of errorStatuses(route)) {
    const known = ERROR_RESPONSES[status];
    if (known === undefined) throw new TypeError(`no shared error response for status ${status}`);
    responses[String(status)] = { $ref: `#/components/responses/${known.name}` };
  }
  const op: JsonObject = {
    operationId: route.operationId,
    summary: route.summary,
    description: accessText(route),
    tags: [route.tag],
    security: security(route),
    responses,
  };
  if (typeof route.access !== 'string') op['x-roles'] = [...route.access];
  const params = parameters(route, builder);
  if (params.length > 0) op.parameters = params;
  if (route.body !== undefined) {
    const content: JsonObject = { 'application/json': { schema: builder.schema(route.body) } };
    if (route.ndjsonItem !== undefined) {
      // OpenAPI 3.1 has no schema for a stream of items; the item schema travels as an extension of the media type.
      content['application/x-ndjson'] = {
        schema: { type: 'string', description: 'Newline-delimited JSON: one object per line, each an x-item-schema.' },
        'x-item-schema': builder.schema(route.ndjsonItem),
      };
    }
    op.requestBody = { required: true, content };
  }
  return op;
}

/** The complete OpenAPI 3.1 document of the gateway. A fresh object on each call. */
export function buildOpenApiDocument(routes: readonly RouteSpec[] = ROUTES): JsonObject {
  const builder = new DocumentBuilder();
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    if (route.method in item) throw new TypeError(`route declared twice: ${route.method.toUpperCase()} ${route.path}`);
    item[route.method] = operation(route, builder);
  }
  const problem = builder.schema(schemas.Problem);
  const responses: JsonObject = {};
  for (const { name, description } of Object.values(ERROR_RESPONSES)) {
    responses[name] = { description, content: { 'application/problem+json': { schema: problem } } };
  }
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'CertHub gateway',
      version: '1.0.0',
      summary: 'E-licenses and enterprise credit on a permissioned ledger, with SM2/SM3/SM4.',
      description:
        'Issue, anchor and verify Chinese government e-licenses (SM2-signed canonical JSON anchored on Hyperledger Fabric), credit records, consents and mutual recognition between regions. Errors are RFC 9457 problem+json with a stable `code`.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'licenses', description: 'Issue, change and read e-licenses.' },
      { name: 'verification', description: 'DESIGN.md §6 verification.' },
      { name: 'enterprises', description: 'Licenses by holder.' },
      { name: 'credit', description: 'Credit records, profiles and consents.' },
      { name: 'recognitions', description: 'Mutual-recognition agreements between regions.' },
      { name: 'issuers', description: 'Issuing departments and their SM2 certificates.' },
      { name: 'account', description: 'The caller and reference data.' },
      { name: 'operations', description: 'Health, metrics and this documentation.' },
    ],
    paths,
    components: {
      schemas: builder.components,
      responses,
      securitySchemes: {
        [BEARER]: {
          type: 'http',
          scheme: 'bearer',
          description: 'Bearer token mapped to a user (organisation, role, region, issuer).',
        },
      },
    },
  };
}
