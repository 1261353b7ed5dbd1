import { CertHubError } from '../../errors';

/** Which input had the wrong size. */
export type Sm4LengthParameter = 'key' | 'block' | 'masterKey';

/** A key or block of the wrong size was passed to SM4 or the envelope: a caller bug or bad configuration, not an attack. */
export class Sm4LengthError extends CertHubError {
  readonly code = 'INVALID_SM4_LENGTH';

  constructor(parameter: Sm4LengthParameter, expected: number, actual: number) {
    super(`SM4 ${parameter} must be ${expected} bytes, got ${actual}`, { parameter, expected, actual });
  }
}

/** Why an envelope was refused. Callers must treat them all alike (never tell an attacker which check failed). */
export type EnvelopeFailure = 'TRUNCATED' | 'UNSUPPORTED_VERSION' | 'UNSUPPORTED_ALGORITHM' | 'AUTHENTICATION_FAILED';

/**
 * An envelope could not be opened: it was altered, truncated, made under another key or AAD, or by a format we do not know.
 * No plaintext is ever released in these cases.
 */
export class EnvelopeError extends CertHubError {
  readonly code = 'ENVELOPE_INVALID';

  constructor(reason: EnvelopeFailure, context: Record<string, unknown> = {}) {
    super(`envelope rejected: ${reason}`, { reason, ...context });
  }
}
