import { InvalidIdentifierError } from './errors';
import { succeeds } from './predicate';

/*
 * Unified social credit code, GB 32100-2015: 18 characters from a 31-character alphabet (digits and upper-case
 * letters without I, O, Z, S, V, so they cannot be misread); the 18th is a check character over the first 17.
 */

/** The USCC alphabet; a character's value is its index (0-30). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_LENGTH = 18;
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

function checkAlphabet(value: string, body: string): void {
  for (const char of body) {
    if (!USCC_ALPHABET.includes(char)) {
      throw new InvalidIdentifierError('USCC', value, 'ALPHABET', `character ${JSON.stringify(char)}`);
    }
  }
}

function computeCheckChar(value: string, first17: string): string {
  checkAlphabet(value, first17);
  let sum = 0;
  WEIGHTS.forEach((weight, index) => {
    sum += USCC_ALPHABET.indexOf(first17.charAt(index)) * weight;
  });
  // check = 31 − (Σ mod 31), where 31 wraps to 0.
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * The check character for the first 17 characters of a USCC.
 * @throws InvalidIdentifierError if `first17` is not 17 characters of the USCC alphabet
 */
export function usccCheckChar(first17: string): string {
  if (first17.length !== USCC_LENGTH - 1) {
    throw new InvalidIdentifierError('USCC', first17, 'LENGTH', `expected 17 characters, got ${first17.length}`);
  }
  return computeCheckChar(first17, first17);
}

/**
 * Checks a USCC: length, alphabet and check character.
 * @throws InvalidIdentifierError with the reason it fails
 */
export function validateUscc(code: string): void {
  if (code.length !== USCC_LENGTH) {
    throw new InvalidIdentifierError('USCC', code, 'LENGTH', `expected 18 characters, got ${code.length}`);
  }
  checkAlphabet(code, code);
  const expected = computeCheckChar(code, code.slice(0, 17));
  if (code.charAt(17) !== expected) {
    throw new InvalidIdentifierError('USCC', code, 'CHECK_CHARACTER', `expected ${expected}`);
  }
}

/** Whether `code` is a valid USCC. */
export function isValidUscc(code: string): boolean {
  return succeeds(() => {
    validateUscc(code);
  });
}
