import assert from 'node:assert/strict';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import {
  LicenseBatchRequest,
  LicenseDocumentSchema,
  LicenseIdParams,
  LicenseIssueRequest,
  MAX_BATCH_ITEMS,
  RecognitionProposal,
  RequestValidationError,
  validate,
  validateRequest,
  validationIssues,
  VerifyRequest,
} from '@certhub/gateway/dist/schemas';
import { problemFor } from '@certhub/gateway/dist/http/problem';

const LICENSE_ID = '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F';
const HASH = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';

const issue = {
  typeCode: '11100000000013338W032',
  number: '420100000123456',
  name: '营业执照',
  holder: { name: '深圳示例有限公司', idType: '001', id: '914403001922038216' },
  validFrom: '2026-11-21',
  validUntil: '2031-11-20',
  fields: { 注册资本: '100万元', 经营范围: '软件开发' },
};

const issues = (schema: Parameters<typeof validationIssues>[0], value: unknown) => validationIssues(schema, value);

describe('schemas/validator', () => {
  describe('license issue requests', () => {
    it('accept a well-formed request, with or without an end date, and a person holder by resident ID', () => {
      assert.deepEqual(issues(LicenseIssueRequest, issue), []);
      assert.deepEqual(issues(LicenseIssueRequest, { ...issue, validUntil: null }), []);
      const person = { ...issue, holder: { name: '张三', idType: '111', id: '11010519491231002X' } };
      assert.deepEqual(issues(LicenseIssueRequest, person), []);
    });

    it('reject unknown fields and missing ones, by JSON pointer', () => {
      const { number: _n, ...withoutNumber } = issue;
      assert.deepEqual(issues(LicenseIssueRequest, { ...withoutNumber, extra: 1, holder: { ...issue.holder, x: 2 } }), [
        { pointer: '/number', message: 'is required' },
        { pointer: '/extra', message: 'is not a known field' },
        { pointer: '/holder/x', message: 'is not a known field' },
      ]);
    });

    it('check the holder ID by the scheme its idType names, with the failing check character', () => {
      const badUscc = { ...issue, holder: { ...issue.holder, id: '914403001922038217' } };
      assert.deepEqual(issues(LicenseIssueRequest, badUscc), [
        { pointer: '/holder/id', message: 'invalid USCC: CHECK_CHARACTER (expected 6)' },
      ]);
      // A valid USCC is not a valid resident ID.
      const mismatch = { ...issue, holder: { ...issue.holder, idType: '111' } };
      assert.equal(issues(LicenseIssueRequest, mismatch)[0]?.pointer, '/holder/id');
      assert.match(String(issues(LicenseIssueRequest, mismatch)[0]?.message), /^invalid RESIDENT_ID/);
      const badId = { ...issue, holder: { name: 'x', idType: '111', id: '110105194912310021' } };
      assert.match(String(issues(LicenseIssueRequest, badId)[0]?.message), /RESIDENT_ID: CHECK_CHARACTER/);
      const badType = { ...issue, holder: { ...issue.holder, idType: '999' } };
      assert.deepEqual(issues(LicenseIssueRequest, badType), [
        { pointer: '/holder/idType', message: 'must be one of "001", "111"' },
      ]);
    });

    it('check the license type code', () => {
      assert.match(
        String(issues(LicenseIssueRequest, { ...issue, typeCode: '11100000000013338X032' })[0]?.message),
        /invalid LICENSE_TYPE/,
      );
    });

    it('require real calendar dates in order', () => {
      assert.deepEqual(issues(LicenseIssueRequest, { ...issue, validUntil: '2026-11-20' }), [
        { pointer: '/validUntil', message: 'must not be before validFrom (2026-11-21)' },
      ]);
      assert.deepEqual(issues(LicenseIssueRequest, { ...issue, validFrom: '2026-02-30' }), [
        { pointer: '/validFrom', message: 'must be a calendar date YYYY-MM-DD' },
      ]);
      assert.deepEqual(issues(LicenseIssueRequest, { ...issue, validFrom: '2026/11/21' })[0]?.pointer, '/validFrom');
      assert.deepEqual(issues(LicenseIssueRequest, { ...issue, validUntil: 20311120 }), [
        { pointer: '/validUntil', message: 'must be string or null' },
      ]);
    });

    it('refuse control characters and oversized text', () => {
      assert.equal(issues(LicenseIssueRequest, { ...issue, name: 'a\u0000b' })[0]?.pointer, '/name');
      assert.equal(issues(LicenseIssueRequest, { ...issue, number: '9'.repeat(101) })[0]?.pointer, '/number');
    });
  });

  it('bounds batches and points into the failing item', () => {
    assert.deepEqual(issues(LicenseBatchRequest, [issue, issue]), []);
    assert.equal(issues(LicenseBatchRequest, [])[0]?.pointer, '');
    assert.match(
      String(issues(LicenseBatchRequest, Array(MAX_BATCH_ITEMS + 1).fill(issue))[0]?.message),
      new RegExp(`more than ${MAX_BATCH_ITEMS} items`),
    );
    assert.deepEqual(issues(LicenseBatchRequest, [issue, { ...issue, validFrom: '2040-01-01' }]), [
      { pointer: '/1/validUntil', message: 'must not be before validFrom (2040-01-01)' },
    ]);
  });

  it('checks every check character of a license ID in a path', () => {
    assert.deepEqual(issues(LicenseIdParams, { id: LICENSE_ID }), []);
    assert.deepEqual(issues(LicenseIdParams, { id: LICENSE_ID.replace(/F$/, 'G') }), [
      { pointer: '/id', message: 'invalid LICENSE_ID: CHECK_CHARACTER (expected F)' },
    ]);
  });

  it('takes exactly one way to name what to verify', () => {
    assert.deepEqual(issues(VerifyRequest, { licenseId: LICENSE_ID, docHash: HASH }), []);
    assert.deepEqual(issues(VerifyRequest, { qr: `certhub:1:${LICENSE_ID}:${HASH}` }), []);
    assert.deepEqual(issues(VerifyRequest, { document: { anything: true } }), []);
    assert.deepEqual(issues(VerifyRequest, {}), [
      { pointer: '', message: 'must contain exactly one of: document | licenseId | qr' },
    ]);
    assert.equal(issues(VerifyRequest, { licenseId: LICENSE_ID, qr: `certhub:1:${LICENSE_ID}:${HASH}` }).length, 1);
    assert.deepEqual(issues(VerifyRequest, { qr: 'certhub:1:x' }), [
      { pointer: '/qr', message: 'QR payload must be certhub:1:<licenseId>:<docHash>' },
    ]);
    assert.ok(
      issues(VerifyRequest, { document: {}, docHash: HASH }).some(
        (i) => i.pointer === '/licenseId' && i.message === 'is required when docHash is given',
      ),
    );
  });

  it('refuses a recognition of a region by itself', () => {
    const proposal = {
      acceptingRegion: '341882',
      issuingRegion: '420100',
      licenseTypes: ['11100000000013338W032'],
      validFrom: '2026-12-01',
      validUntil: null,
    };
    assert.deepEqual(issues(RecognitionProposal, proposal), []);
    assert.deepEqual(issues(RecognitionProposal, { ...proposal, issuingRegion: '341882' }), [
      { pointer: '/issuingRegion', message: 'must differ from acceptingRegion' },
    ]);
  });

  it('describes a signed document, including its proof', () => {
    const doc = {
      licenseId: LICENSE_ID,
      version: 1,
      previous: null,
      type: { code: '11100000000013338W032', name: '营业执照' },
      number: 'N1',
      name: '营业执照',
      holder: issue.holder,
      issuer: { code: '11220000013544541J', name: '某局', region: '220000' },
      issuedOn: '2026-11-21',
      validFrom: '2026-11-21',
      validUntil: null,
      fields: {},
      proof: {
        type: 'SM2SignatureSM3',
        created: '2026-11-21T10:00:00.000Z',
        certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        signatureValue: 'MEUCIQ==',
      },
    };
    assert.deepEqual(issues(LicenseDocumentSchema, doc), []);
    assert.deepEqual(issues(LicenseDocumentSchema, { ...doc, proof: { ...doc.proof, created: '2026-11-21 10:00' } }), [
      { pointer: '/proof/created', message: 'must be an RFC 3339 date-time with offset' },
    ]);
  });

  it('throws RequestValidationError (VALIDATION_FAILED, 400) with a precise message and every issue', () => {
    try {
      validate(LicenseIssueRequest, { ...issue, validUntil: '2000-01-01', x: 1 });
      assert.fail('expected a RequestValidationError');
    } catch (error) {
      assert.ok(error instanceof RequestValidationError);
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.equal(
        error.message,
        'body failed validation: /x: is not a known field; /validUntil: must not be before validFrom (2026-11-21)',
      );
      assert.equal(error.issues.length, 2);
      assert.equal(problemFor(error).status, 400);
    }
    assert.deepEqual(validate(LicenseIssueRequest, issue), issue);
  });

  it('validates params before the body in middleware, and lets a good request through', async () => {
    const app = express();
    app.use(express.json());
    app.post(
      '/v1/licenses/:id/revoke',
      validateRequest({ params: LicenseIdParams, body: LicenseIssueRequest }),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
    const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
      const context = error instanceof RequestValidationError ? error.context : undefined;
      res.status(problemFor(error).status).json({ ...problemFor(error), context });
    };
    app.use(onError);
    await request(app).post(`/v1/licenses/${LICENSE_ID}/revoke`).send(issue).expect(200);
    const bad = await request(app).post('/v1/licenses/1.2.3/revoke').send({}).expect(400);
    const body = bad.body as { code: string; detail: string; context: { location: string } };
    assert.equal(body.code, 'VALIDATION_FAILED');
    assert.equal(body.context.location, 'params');
    assert.match(body.detail, /^params failed validation: \/id: invalid LICENSE_ID/);
  });
});
