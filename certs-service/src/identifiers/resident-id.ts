import { InvalidIdentifierError } from './errors';
import { succeeds } from './predicate';

/*
 * Citizen identity number, GB 11643-1999: 6-digit address code, 8-digit birth date YYYYMMDD, 3-digit sequence,
 * and a check character by ISO 7064 MOD 11-2 over the first 17 digits (value 10 is written X, upper case).
 */

export const RESIDENT_ID_LENGTH = 18;
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
// Indexed by Σ mod 11.
const CHECK_CHARS = '10X98765432';
const DIGITS_17 = /^\d{17}$/;

function computeCheckChar(value: string, first17: string): string {
  if (!DIGITS_17.test(first17)) {
    throw new InvalidIdentifierError('RESIDENT_ID', value, 'ALPHABET', 'the first 17 characters must be digits');
  }
  let sum = 0;
  WEIGHTS.forEach((weight, index) => {
    sum += Number(first17.charAt(index)) * weight;
  });
  return CHECK_CHARS.charAt(sum % 11);
}

function isCalendarDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2月30日 over into March; a real date survives the round trip unchanged.
  return (
    year >= 1800 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/**
 * The check character for the first 17 digits of a resident ID.
 * @throws InvalidIdentifierError if `first17` is not 17 digits
 */
export function residentIdCheckChar(first17: string): string {
  if (first17.length !== RESIDENT_ID_LENGTH - 1) {
    throw new InvalidIdentifierError('RESIDENT_ID', first17, 'LENGTH', `expected 17 digits, got ${first17.length}`);
  }
  return computeCheckChar(first17, first17);
}

/**
 * Checks an 18-character resident ID: digits (and a final upper-case X), a real birth date, and the MOD 11-2 check.
 * @throws InvalidIdentifierError with the reason it fails
 */
export function validateResidentId(id: string): void {
  if (id.length !== RESIDENT_ID_LENGTH) {
    throw new InvalidIdentifierError('RESIDENT_ID', id, 'LENGTH', `expected 18 characters, got ${id.length}`);
  }
  const expected = computeCheckChar(id, id.slice(0, 17));
  const actual = id.charAt(17);
  if (!/^[0-9X]$/.test(actual)) {
    throw new InvalidIdentifierError('RESIDENT_ID', id, 'ALPHABET', 'the check character must be a digit or X');
  }
  if (!isCalendarDate(id.slice(6, 14))) {
    throw new InvalidIdentifierError('RESIDENT_ID', id, 'BIRTH_DATE');
  }
  if (actual !== expected) {
    throw new InvalidIdentifierError('RESIDENT_ID', id, 'CHECK_CHARACTER', `expected ${expected}`);
  }
}

/** Whether `id` is a valid resident ID. */
export function isValidResidentId(id: string): boolean {
  return succeeds(() => {
    validateResidentId(id);
  });
}
