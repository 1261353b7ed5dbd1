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

/** The record a request names (an issuer, a certificate, an agreement) does not exist. */
export class RecordNotFoundError extends CertHubError {
  readonly code = 'NOT_FOUND';
}

/** The record a request would create exists already (an issuer registered twice). */
export class RecordExistsError extends CertHubError {
  readonly code = 'ALREADY_EXISTS';
}

/** A request body names a region or license type the registry does not know: the request, not the URL, is wrong. */
export class UnknownReferenceError extends CertHubError {
  readonly code = 'UNKNOWN_REFERENCE';
}

/** An issuer certificate the gateway will not register: a CA, another organisation's, or one without the USCC. */
export class IssuerCertificateRefusedError extends CertHubError {
  readonly code = 'CERTIFICATE_REJECTED';
}

/** The gateway cannot certify a new issuer key: it does not hold the SM2 root key of that region. */
export class RegionRootKeyUnavailableError extends CertHubError {
  readonly code = 'REGION_ROOT_KEY_UNAVAILABLE';
}

/** An enterprise has no consent with the ID asked for (or it is another enterprise's). */
export class ConsentNotFoundError extends CertHubError {
  readonly code = 'NOT_FOUND';
}

/** A license's current status does not allow the change asked for (amending a withdrawn or revoked license). */
export class LicenseStateError extends CertHubError {
  readonly code = 'INVALID_STATE_TRANSITION';
}

/** An amendment that is not one: it would change the holder, or the license ID has no version left. */
export class AmendmentRefusedError extends CertHubError {
  readonly code = 'AMENDMENT_REFUSED';
}
