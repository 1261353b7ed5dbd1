import { CertHubError } from '@certhub/certs-service';

/** The caller may not do this to this record (another issuer's license, a document it may not read). */
export class AccessDeniedError extends CertHubError {
  readonly code = 'FORBIDDEN';
}

/** The issuer or license type the request needs is not on the ledger, or the issuer is not authorised for it. */
export class IssuanceRefusedError extends CertHubError {
  readonly code = 'ISSUER_NOT_AUTHORISED';
}

/** An Idempotency-Key was sent again with a different request body. */
export class IdempotencyConflictError extends CertHubError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}

/** The gateway holds no usable signing key/certificate pair for an issuer. */
export class SigningKeyUnavailableError extends CertHubError {
  readonly code = 'SIGNING_KEY_UNAVAILABLE';
}
