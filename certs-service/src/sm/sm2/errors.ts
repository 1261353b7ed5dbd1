import { CertHubError } from '../../errors';

/**
 * An SM2 key that cannot be used: a curve other than SM2 (1.2.156.10197.1.301), a point not on the
 * curve, a scalar outside [1, n-2], or a public key that does not belong to its private key.
 * `context.reason` says which, in words a person can act on.
 */
export class Sm2KeyError extends CertHubError {
  readonly code = 'INVALID_SM2_KEY';

  constructor(reason: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(`Invalid SM2 key: ${reason}`, { reason, ...context }, options);
  }
}

/**
 * A signature whose encoding is broken (truncated or non-canonical DER, wrong raw length) or whose r or s
 * lies outside [1, n-1]. Distinct from a well-formed signature that simply does not verify, which is `false`.
 */
export class Sm2SignatureFormatError extends CertHubError {
  readonly code = 'MALFORMED_SM2_SIGNATURE';

  constructor(reason: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(`Malformed SM2 signature: ${reason}`, { reason, ...context }, options);
  }
}

/**
 * A distinguishing ID that cannot be encoded: GB/T 32918.2 stores its length in bits in two bytes (ENTL),
 * so an ID longer than 8191 bytes has no valid Z value.
 */
export class Sm2IdError extends CertHubError {
  readonly code = 'INVALID_SM2_ID';

  constructor(reason: string, context: Record<string, unknown> = {}) {
    super(`Invalid SM2 distinguishing ID: ${reason}`, { reason, ...context });
  }
}

/** Text that is not a usable PEM block: no armour, mismatched labels, bad base64, an unexpected label, encryption headers. */
export class PemError extends CertHubError {
  readonly code = 'MALFORMED_PEM';

  constructor(reason: string, context: Record<string, unknown> = {}) {
    super(`Malformed PEM: ${reason}`, { reason, ...context });
  }
}

/** Bytes that are not the strict DER expected at `context.offset`: truncation, trailing bytes, non-minimal forms, wrong tags. */
export class DerError extends CertHubError {
  readonly code = 'MALFORMED_DER';

  constructor(reason: string, context: Record<string, unknown> = {}) {
    super(`Malformed DER: ${reason}`, { reason, ...context });
  }
}
