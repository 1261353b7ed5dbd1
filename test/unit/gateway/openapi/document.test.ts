import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument, ROUTES } from '@certhub/gateway/dist/openapi';

interface Operation {
  security: Record<string, string[]>[];
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  parameters?: { name: string; in: string; required: boolean; schema: { format?: string } }[];
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
}

/** Every route of DESIGN.md §5 (the table, one row per method and path), plus the PNG QR variant of issue 4. */
const DESIGN_ROUTES = [
  'POST /v1/licenses',
  'POST /v1/licenses/batch',
  'GET /v1/jobs/{jobId}',
  'GET /v1/licenses/{id}',
  'GET /v1/licenses/{id}/document',
  'GET /v1/licenses/{id}/history',
  'GET /v1/licenses/{id}/qr.svg',
  'GET /v1/licenses/{id}/qr.png',
  'POST /v1/licenses/{id}/suspend',
  'POST /v1/licenses/{id}/reinstate',
  'POST /v1/licenses/{id}/revoke',
  'POST /v1/licenses/{id}/cancel',
  'POST /v1/licenses/{id}/amend',
  'POST /v1/verify',
  'GET /v1/enterprises/{uscc}/licenses',
  'POST /v1/credit-records',
  'POST /v1/credit-records/{id}/repair',
  'POST /v1/credit-records/{id}/withdraw',
  'GET /v1/enterprises/{uscc}/credit',
  'POST /v1/enterprises/{uscc}/consents',
  // Issue 6: consents are revoked and listed, and the enterprise's registration authority lists who looked.
  'POST /v1/enterprises/{uscc}/consents/{id}/revoke',
  'GET /v1/enterprises/{uscc}/consents',
  'GET /v1/enterprises/{uscc}/access-log',
  'POST /v1/recognitions',
  'POST /v1/recognitions/{id}/accept',
  'POST /v1/recognitions/{id}/revoke',
  'GET /v1/recognitions',
  'POST /v1/issuers',
  'GET /v1/issuers',
  // "rotate/retire keys" of the same row, and an issuer's authorised types (registry setIssuerLicenseTypes).
  'GET /v1/issuers/{uscc}',
  'POST /v1/issuers/{uscc}/certificates',
  'POST /v1/issuers/{uscc}/certificates/{fingerprint}/retire',
  'PUT /v1/issuers/{uscc}/license-types',
  'GET /v1/me',
  'GET /v1/license-types',
  'GET /healthz',
  'GET /metrics',
  'GET /openapi.json',
  'GET /docs',
];

function declared(doc: Document): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('openapi/document', () => {
  const doc = buildOpenApiDocument() as unknown as Document;

  it('validates as an OpenAPI 3.1 document', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(buildOpenApiDocument());
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    assert.equal(doc.openapi, '3.1.0');
    // The validator is not a rubber stamp: a document without info or with a broken path item fails.
    const broken = { ...buildOpenApiDocument(), info: undefined, paths: { '/x': { get: { responses: 'no' } } } };
    assert.equal(
      (await new Validator().validate(JSON.parse(JSON.stringify(broken)) as Record<string, unknown>)).valid,
      false,
    );
  });

  it('has every route of DESIGN.md §5 and nothing else', () => {
    assert.deepEqual(declared(doc).sort(), [...DESIGN_ROUTES].sort());
  });

  it('has every route of the §5 table in ../shared/DESIGN.md when that file is beside the repository', function () {
    const design = resolve(__dirname, '../../../../../../shared/DESIGN.md');
    if (!existsSync(design)) this.skip();
    const section = readFileSync(design, 'utf8').split('## 5.')[1]?.split('## 6.')[0] ?? '';
    const rows = [...section.matchAll(/^\| `(GET|POST) ([^`]+)`/gm)];
    assert.ok(rows.length > 10);
    const names = new Set(declared(doc));
    for (const [, method, rest] of rows) {
      // Rows like `POST /v1/licenses/{id}/suspend` · `/reinstate` name the first path in full.
      assert.ok(names.has(`${method} ${String(rest)}`), `${method} ${rest}`);
    }
  });

  it('declares bearer security per route: none for public, optional for verify, required elsewhere', () => {
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      description: 'Bearer token mapped to a user (organisation, role, region, issuer).',
    });
    assert.deepEqual(doc.paths['/v1/licenses/{id}/qr.svg']?.get?.security, []);
    assert.deepEqual(doc.paths['/v1/verify']?.post?.security, [{}, { bearerAuth: [] }]);
    assert.deepEqual(doc.paths['/v1/licenses']?.post?.security, [{ bearerAuth: [] }]);
  });

  it('answers errors as problem+json on every operation', () => {
    const issueOp = doc.paths['/v1/licenses']?.post;
    for (const status of ['400', '401', '403', '413', '415', '500', '503']) {
      assert.ok(issueOp?.responses[status]?.$ref?.startsWith('#/components/responses/'), status);
    }
    const responses = (doc.components as unknown as { responses: Record<string, { content: Record<string, unknown> }> })
      .responses;
    for (const response of Object.values(responses)) assert.ok('application/problem+json' in response.content);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const op of Object.values(item)) assert.ok(op.responses['500'] !== undefined, path);
    }
  });

  it('publishes the very schemas the edge validates with (unknown fields refused, identifier formats)', () => {
    const body = doc.paths['/v1/licenses']?.post?.requestBody?.content['application/json']?.schema;
    assert.deepEqual(body, { $ref: '#/components/schemas/LicenseIssueRequest' });
    const schema = doc.components.schemas.LicenseIssueRequest;
    assert.equal(schema?.additionalProperties, false);
    assert.deepEqual(schema['x-date-order'], [['validFrom', 'validUntil']]);
    const id = doc.paths['/v1/licenses/{id}/revoke']?.post?.parameters?.find((p) => p.name === 'id');
    assert.deepEqual([id?.in, id?.required, id?.schema.format], ['path', true, 'license-id']);
    const ndjson = doc.paths['/v1/licenses/batch']?.post?.requestBody?.content['application/x-ndjson'];
    assert.ok(ndjson !== undefined);
    const key = doc.paths['/v1/licenses']?.post?.parameters?.find((p) => p.name === 'Idempotency-Key');
    assert.equal(key?.in, 'header');
  });

  it('keeps every request body closed to unknown fields, except a credit record’s (issue 6: extra fields allowed)', () => {
    for (const route of ROUTES) {
      if (route.body === undefined || route.body.type !== 'object') continue;
      assert.equal(route.body.additionalProperties, route.operationId === 'createCreditRecord', route.path);
    }
  });

  it('refers only to components it defines', () => {
    const text = JSON.stringify(doc);
    for (const [, kind, name] of text.matchAll(/"#\/components\/(schemas|responses)\/([^"]+)"/g)) {
      const components = doc.components as unknown as Record<string, Record<string, unknown>>;
      assert.ok(components[String(kind)]?.[String(name)] !== undefined, `${kind}/${name}`);
    }
  });
});
