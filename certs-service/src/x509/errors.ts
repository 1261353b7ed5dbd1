import { CertHubError } from '../errors';

/** Why a certificate chain was rejected; stable values that callers and the verification report match on. */
export type CertificateChainFailure =
  'UNKNOWN_ISSUER' | 'BAD_SIGNATURE' | 'NOT_YET_VALID' | 'EXPIRED' | 'NOT_A_CA' | 'KEY_USAGE';

/**
 * A certificate chain does not validate at the requested time. `context.reason` says which rule failed and
 * `context.subject` / `context.serialNumber` name the certificate it failed on.
 */
export class CertificateChainError extends CertHubError {
  readonly code = 'CERTIFICATE_CHAIN_INVALID';
  declare readonly context: Readonly<{ reason: CertificateChainFailure; subject: string; serialNumber: string }>;

  constructor(
    reason: CertificateChainFailure,
    certificate: { subject: string; serialNumber: string },
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, { reason, subject: certificate.subject, serialNumber: certificate.serialNumber }, options);
  }
}

/** Bytes or PEM that are not a single well-formed X.509 certificate with an SM2 public key. */
export class CertificateFormatError extends CertHubError {
  readonly code = 'MALFORMED_CERTIFICATE';
}

/** Why a CA refused to issue; stable values. */
export type CertificateIssuanceFailure =
  'CA_KEY_MISMATCH' | 'NOT_A_CA' | 'OUTLIVES_CA' | 'INVALID_VALIDITY' | 'INVALID_NAME';

/** A certificate cannot be issued as asked (the CA key does not match its certificate, bad validity, ...). */
export class CertificateIssuanceError extends CertHubError {
  readonly code = 'CERTIFICATE_ISSUANCE_REFUSED';
  declare readonly context: Readonly<{ reason: CertificateIssuanceFailure } & Record<string, unknown>>;

  constructor(
    reason: CertificateIssuanceFailure,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, { ...details, reason }, options);
  }
}

/** A Fabric identity request that Fabric would not accept (reserved `hf.` attribute names, empty IDs, bad CA PEM). */
export class FabricIdentityError extends CertHubError {
  readonly code = 'INVALID_FABRIC_IDENTITY';
}
