import { CertHubError } from '@certhub/certs-service';

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

/** Errors raised by the HTTP layer itself (routing, body parsing); domain errors come from the other packages. */
export class HttpError extends CertHubError {
  constructor(
    readonly code: string,
    message: string,
    context: Record<string, unknown> = {},
  ) {
    super(message, context);
  }
}

// One table maps every stable error code to its HTTP status and title; anything unknown is a 500 without details.
const statusOf: Readonly<Record<string, { status: number; title: string }>> = {
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON body' },
  MALFORMED_NDJSON: { status: 400, title: 'Malformed NDJSON line' },
  VALIDATION_FAILED: { status: 400, title: 'Request failed validation' },
  INVALID_IDENTIFIER: { status: 400, title: 'Invalid identifier' },
  INVALID_ARGUMENT: { status: 400, title: 'Invalid argument' },
  MALFORMED_PEM: { status: 400, title: 'Malformed PEM' },
  MALFORMED_DER: { status: 400, title: 'Malformed DER' },
  INVALID_SM2_KEY: { status: 400, title: 'Invalid SM2 key' },
  MALFORMED_SM2_SIGNATURE: { status: 400, title: 'Malformed SM2 signature' },
  MALFORMED_CERTIFICATE: { status: 400, title: 'Malformed certificate' },
  INVALID_SM2_ID: { status: 400, title: 'Invalid SM2 distinguishing ID' },
  INVALID_QR_PAYLOAD: { status: 400, title: 'Invalid QR payload' },
  NOT_CANONICALIZABLE: { status: 400, title: 'Value has no canonical JSON form' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  ISSUER_NOT_AUTHORISED: { status: 403, title: 'Issuer not authorised for this license type' },
  CONSENT_REQUIRED: { status: 403, title: 'The enterprise’s consent is required' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  LICENSE_NOT_FOUND: { status: 404, title: 'License not found' },
  DOCUMENT_NOT_FOUND: { status: 404, title: 'Document not found' },
  CREDIT_RECORD_NOT_FOUND: { status: 404, title: 'Credit record not found' },
  JOB_NOT_FOUND: { status: 404, title: 'Import job not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  ALREADY_EXISTS: { status: 409, title: 'Already exists' },
  INVALID_STATE_TRANSITION: { status: 409, title: 'Invalid status transition' },
  STALE_AUDIT_HEAD: { status: 409, title: 'Audit log head already anchored further' },
  REPAIR_TOO_EARLY: { status: 409, title: 'Credit repair not allowed before the minimum publicity period ends' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  BATCH_TOO_LARGE: { status: 413, title: 'Batch has more items than the server accepts' },
  BATCH_ITEM_TOO_LARGE: { status: 413, title: 'Batch item larger than the server accepts' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  BAD_SIGNATURE: { status: 422, title: 'Signature does not verify' },
  CERTIFICATE_CHAIN_INVALID: { status: 422, title: 'Certificate chain invalid' },
  CERTIFICATE_REJECTED: { status: 422, title: 'Certificate rejected by the ledger' },
  INCLUSION_PROOF_INVALID: { status: 422, title: 'Merkle inclusion proof invalid' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency-Key reused for a different request' },
  CREDIT_SOURCE_NOT_REGISTERED: { status: 422, title: 'Credit source department not registered on the ledger' },
  UNKNOWN_REFERENCE: { status: 422, title: 'The request names a region or license type that is not registered' },
  REGION_ROOT_KEY_UNAVAILABLE: { status: 422, title: 'This gateway cannot certify keys for that region' },
  AMENDMENT_REFUSED: { status: 422, title: 'Not an amendment of this license' },
  LEDGER_UNAVAILABLE: { status: 503, title: 'Ledger unavailable' },
  AUDIT_LOG_UNAVAILABLE: { status: 503, title: 'Audit log unavailable' },
  LEDGER_CLOSED: { status: 503, title: 'Ledger unavailable' },
  HUB_NOT_INITIALISED: { status: 503, title: 'Hub not initialised' },
  SIGNING_KEY_UNAVAILABLE: { status: 503, title: 'Issuer signing key unavailable' },
};

/** An error's `context.extensions`: plain fields that never override the problem's own members. */
function problemExtensions(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const reserved = new Set(['type', 'title', 'status', 'detail', 'code', 'instance', 'issues']);
  return Object.fromEntries(Object.entries(value).filter(([name]) => !reserved.has(name)));
}

const problemType = (code: string): string =>
  `https://certhub.example/problems/${code.toLowerCase().replace(/_/g, '-')}`;

export function problemFor(error: unknown, instance?: string): Problem {
  if (error instanceof CertHubError) {
    const known = statusOf[error.code];
    if (known !== undefined) {
      return {
        type: problemType(error.code),
        title: known.title,
        status: known.status,
        detail: error.message,
        code: error.code,
        ...(instance === undefined ? {} : { instance }),
        // Validation failures list every failing field (JSON pointer + message) so clients can point at them.
        ...(Array.isArray(error.context.issues) ? { issues: error.context.issues as unknown[] } : {}),
        // Machine-readable facts an error offers its client (e.g. repairAllowedFrom), named by the error class itself.
        ...problemExtensions(error.context.extensions),
        // Errors in a streamed body (a batch) name the 1-based line they are on.
        ...(typeof error.context.line === 'number' ? { line: error.context.line } : {}),
      };
    }
  }
  return {
    type: problemType('INTERNAL'),
    title: 'Internal error',
    status: 500,
    detail: 'The server could not complete the request; the request ID identifies it in the logs.',
    code: 'INTERNAL',
    ...(instance === undefined ? {} : { instance }),
  };
}

/** Translates body-parser's errors (which carry `type`) into HttpErrors with stable codes. */
export function fromBodyParserError(error: unknown): HttpError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  switch (error.type) {
    case 'entity.parse.failed':
      return new HttpError('MALFORMED_JSON', 'the request body is not valid JSON');
    case 'entity.too.large':
      return new HttpError('PAYLOAD_TOO_LARGE', 'the request body is larger than the server accepts', {
        limit: 'limit' in error ? error.limit : undefined,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError('UNSUPPORTED_MEDIA_TYPE', 'the request body must be UTF-8 JSON');
    default:
      return undefined;
  }
}
