import assert from 'node:assert/strict';
import { CertHubError } from '@certhub/certs-service';
import { RequestValidationError } from '@certhub/gateway/dist/schemas/errors';
import { HttpError, fromBodyParserError, problemFor } from '@certhub/gateway/dist/http/problem';

class Forbidden extends CertHubError {
  readonly code = 'FORBIDDEN';
}

describe('problem details', () => {
  it('maps a typed error by its code, keeping its message as detail', () => {
    const p = problemFor(new Forbidden('a bank may not write'), '/v1/licenses');
    assert.equal(p.status, 403);
    assert.equal(p.code, 'FORBIDDEN');
    assert.equal(p.detail, 'a bank may not write');
    assert.equal(p.instance, '/v1/licenses');
    assert.match(p.type, /\/problems\/forbidden$/);
  });
  it('carries the failing fields of a validation error as `issues`', () => {
    const issue = { pointer: '/holder/id', message: 'invalid USCC' };
    const err = new RequestValidationError('body', [issue]);
    const p = problemFor(err);
    assert.equal(p.status, 400);
    assert.equal(p.code, 'VALIDATION_FAILED');
    assert.deepEqual(p.issues, [issue]);
  });
  it('maps a malformed QR payload to 400', () => {
    class QrError extends CertHubError {
      readonly code = 'INVALID_QR_PAYLOAD';
    }
    assert.equal(problemFor(new QrError('not a certhub QR')).status, 400);
  });
  it('hides everything about an unknown error behind a 500', () => {
    const p = problemFor(new Error('secret internal state at /srv/x.ts:10'));
    assert.equal(p.status, 500);
    assert.equal(p.code, 'INTERNAL');
    assert.doesNotMatch(JSON.stringify(p), /secret|x\.ts/);
  });
  it('translates body-parser errors to stable codes', () => {
    assert.equal(fromBodyParserError({ type: 'entity.parse.failed' })?.code, 'MALFORMED_JSON');
    assert.equal(fromBodyParserError({ type: 'entity.too.large', limit: 10 })?.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(fromBodyParserError(new Error('x')), undefined);
    assert.equal(new HttpError('NOT_FOUND', 'x').name, 'HttpError');
  });
});
