import { InvalidIdentifierError } from './errors';

/**
 * Runs a validator for the `isValid…` variants: only `InvalidIdentifierError` means "invalid"; anything else is a bug
 * and propagates. Internal to this area (not re-exported from index.ts).
 */
export function succeeds(validate: () => void): boolean {
  try {
    validate();
    return true;
  } catch (error) {
    if (error instanceof InvalidIdentifierError) return false;
    throw error;
  }
}
