import { InvalidIdentifierError } from './errors';
import { succeeds } from './predicate';
import { validateUscc } from './uscc';

/** A license type code: the USCC of the ministry that defines the type, then a 3-digit number it assigns (21 characters). */
export const LICENSE_TYPE_CODE_LENGTH = 21;

/**
 * Checks a license type code such as `11100000000013338W032`.
 * @throws InvalidIdentifierError (kind `LICENSE_TYPE`); an invalid ministry USCC is reason `PART` with the USCC error as `cause`
 */
export function validateLicenseTypeCode(code: string): void {
  if (code.length !== LICENSE_TYPE_CODE_LENGTH) {
    throw new InvalidIdentifierError('LICENSE_TYPE', code, 'LENGTH', `expected 21 characters, got ${code.length}`);
  }
  if (!/^\d{3}$/.test(code.slice(18))) {
    throw new InvalidIdentifierError('LICENSE_TYPE', code, 'FORMAT', 'must end in 3 digits');
  }
  try {
    validateUscc(code.slice(0, 18));
  } catch (error) {
    throw new InvalidIdentifierError('LICENSE_TYPE', code, 'PART', 'the ministry USCC is invalid', { cause: error });
  }
}

/** Whether `code` is a valid license type code. */
export function isValidLicenseTypeCode(code: string): boolean {
  return succeeds(() => {
    validateLicenseTypeCode(code);
  });
}
