import assert from 'node:assert/strict';
import { problemFor } from '@certhub/gateway/dist/http/problem';
import {
  BatchBodyTooLargeError,
  BatchItemTooLargeError,
  BatchTooLargeError,
  JobNotFoundError,
  MalformedBatchJsonError,
  MalformedNdjsonError,
  UnsupportedBatchMediaError,
} from '@certhub/gateway/dist/jobs';
import { ChaincodeError, LedgerError } from '@certhub/gateway/dist/ledger';
import { AuditLogUnavailableError } from '@certhub/gateway/dist/audit';
import { ConsentRequiredError } from '@certhub/gateway/dist/services/credit-detail-access';
import {
  CreditRecordStateError,
  CreditRepairTooEarlyError,
  CreditSourceNotRegisteredError,
} from '@certhub/gateway/dist/services/credit-errors';
import { CreditRecordNotFoundError } from '@certhub/certs-service';
import {
  AccessDeniedError,
  AmendmentRefusedError,
  ConsentNotFoundError,
  IdempotencyConflictError,
  IssuanceRefusedError,
  IssuerCertificateRefusedError,
  LicenseStateError,
  RecordExistsError,
  RecordNotFoundError,
  RegionRootKeyUnavailableError,
  SigningKeyUnavailableError,
  UnknownReferenceError,
} from '@certhub/gateway/dist/services';

describe('HTTP status of the errors the /v1 services and the chaincode raise', () => {
  const cases: [Error, number, string][] = [
    [new AccessDeniedError('no', {}), 403, 'FORBIDDEN'],
    [new IssuanceRefusedError('no', {}), 403, 'ISSUER_NOT_AUTHORISED'],
    [new ChaincodeError('ISSUER_NOT_AUTHORISED', 'no', 'tx'), 403, 'ISSUER_NOT_AUTHORISED'],
    [new IdempotencyConflictError('again', {}), 422, 'IDEMPOTENCY_KEY_REUSED'],
    [new ChaincodeError('CERTIFICATE_REJECTED', 'retired', 'tx', { reason: 'RETIRED' }), 422, 'CERTIFICATE_REJECTED'],
    [new ChaincodeError('INCLUSION_PROOF_INVALID', 'bad proof', 'tx'), 422, 'INCLUSION_PROOF_INVALID'],
    [new SigningKeyUnavailableError('no key', {}), 503, 'SIGNING_KEY_UNAVAILABLE'],
    [new JobNotFoundError('no job', {}), 404, 'JOB_NOT_FOUND'],
    [new MalformedNdjsonError('line 3', { line: 3 }), 400, 'MALFORMED_NDJSON'],
    [new MalformedBatchJsonError('line 2', { line: 2 }), 400, 'MALFORMED_JSON'],
    [new BatchTooLargeError('too many', {}), 413, 'BATCH_TOO_LARGE'],
    [new BatchItemTooLargeError('too big', {}), 413, 'BATCH_ITEM_TOO_LARGE'],
    [new BatchBodyTooLargeError('too long', {}), 413, 'PAYLOAD_TOO_LARGE'],
    [new UnsupportedBatchMediaError('text/plain', {}), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [new RecordNotFoundError('no issuer', {}), 404, 'NOT_FOUND'],
    [new RecordExistsError('registered', {}), 409, 'ALREADY_EXISTS'],
    [new UnknownReferenceError('no such region', {}), 422, 'UNKNOWN_REFERENCE'],
    [new IssuerCertificateRefusedError('a CA', {}), 422, 'CERTIFICATE_REJECTED'],
    [new RegionRootKeyUnavailableError('no root key', {}), 422, 'REGION_ROOT_KEY_UNAVAILABLE'],
    [new AmendmentRefusedError('another holder', {}), 422, 'AMENDMENT_REFUSED'],
    [new LicenseStateError('withdrawn', {}), 409, 'INVALID_STATE_TRANSITION'],
    [new LedgerError('LEDGER_CLOSED', 'closed'), 503, 'LEDGER_CLOSED'],
    [new ChaincodeError('HUB_NOT_INITIALISED', 'no hub', 'tx'), 503, 'HUB_NOT_INITIALISED'],
    [new ConsentRequiredError('no consent', {}), 403, 'CONSENT_REQUIRED'],
    [new ConsentNotFoundError('no such consent', {}), 404, 'NOT_FOUND'],
    [new ChaincodeError('STALE_AUDIT_HEAD', 'anchored further', 'tx'), 409, 'STALE_AUDIT_HEAD'],
    [new AuditLogUnavailableError('entries lost', {}), 503, 'AUDIT_LOG_UNAVAILABLE'],
    [new CreditRepairTooEarlyError('cr-1', '2026-09-01', '2026-09-02'), 409, 'REPAIR_TOO_EARLY'],
    [new CreditRecordStateError('withdrawn', {}), 409, 'INVALID_STATE_TRANSITION'],
    [new CreditSourceNotRegisteredError('not registered', {}), 422, 'CREDIT_SOURCE_NOT_REGISTERED'],
    [new CreditRecordNotFoundError('ab'.repeat(32)), 404, 'CREDIT_RECORD_NOT_FOUND'],
  ];
  for (const [error, status, code] of cases) {
    it(`${code} → ${status}`, () => {
      const problem = problemFor(error, '/v1/licenses');
      assert.equal(problem.status, status);
      assert.equal(problem.code, code);
      assert.equal(problem.type, `https://certhub.example/problems/${code.toLowerCase().replace(/_/g, '-')}`);
      assert.equal(problem.detail, error.message);
    });
  }

  it('names the line of a batch body error', () => {
    assert.equal(problemFor(new MalformedNdjsonError('line 3 is not valid JSON', { line: 3 })).line, 3);
    assert.equal(problemFor(new JobNotFoundError('no job', { jobId: 'x' })).line, undefined);
  });

  it('tells a bank why it needs consent, in fields its system can act on', () => {
    const problem = problemFor(
      new ConsentRequiredError('revoked', {
        extensions: { reason: 'REVOKED', consentId: 'cs-1', since: '2026-11-21', auditSeq: 7 },
      }),
    );
    assert.deepEqual(
      [problem.reason, problem.consentId, problem.since, problem.auditSeq],
      ['REVOKED', 'cs-1', '2026-11-21', 7],
    );
  });

  it('tells a credit source from which day a repair is allowed', () => {
    const problem = problemFor(new CreditRepairTooEarlyError('cr-1', '2026-09-01', '2026-09-02'));
    assert.equal(problem.repairAllowedFrom, '2026-09-02');
    assert.equal(problem.minimumUntil, undefined, 'only the declared extensions, not the whole context');
  });

  it('keeps an unstructured chaincode failure a 500 without details', () => {
    const problem = problemFor(new ChaincodeError('CHAINCODE_ERROR', 'TypeError at line 3', 'tx'));
    assert.equal(problem.status, 500);
    assert.equal(problem.code, 'INTERNAL');
    assert.doesNotMatch(problem.detail, /TypeError/);
  });
});
