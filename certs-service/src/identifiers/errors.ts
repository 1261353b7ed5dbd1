import { CertHubError } from '../errors';

/** Which identifier scheme a value failed. */
export type IdentifierKind = 'USCC' | 'RESIDENT_ID' | 'LICENSE_ID' | 'LICENSE_TYPE';

/**
 * Why a value is not a valid identifier:
 * - `LENGTH`: wrong number of characters;
 * - `ALPHABET`: a character outside the scheme's alphabet (including lower case, which no scheme here accepts);
 * - `CHECK_CHARACTER`: well-formed but the check character does not match;
 * - `BIRTH_DATE`: a resident ID whose birth date is not a calendar date;
 * - `FORMAT`: the structure is wrong (license ID root, parts, version digits);
 * - `PART`: a part of a license ID (type code, issuer USCC) is itself invalid; the `cause` says why.
 */
export type IdentifierFailure = 'LENGTH' | 'ALPHABET' | 'CHECK_CHARACTER' | 'BIRTH_DATE' | 'FORMAT' | 'PART';

/** A USCC, resident ID, license ID or license type code that does not satisfy its standard. */
export class InvalidIdentifierError extends CertHubError {
  readonly code = 'INVALID_IDENTIFIER';
  declare readonly context: Readonly<{ kind: IdentifierKind; value: string; reason: IdentifierFailure }>;

  constructor(
    kind: IdentifierKind,
    value: string,
    reason: IdentifierFailure,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid ${kind}: ${reason}${detail === undefined ? '' : ` (${detail})`}`, { kind, value, reason }, options);
  }
}
