import { InvalidIdentifierError } from './errors';
import { mod3736CheckChar } from './iso7064';
import { validateLicenseTypeCode } from './license-type';
import { succeeds } from './predicate';
import { validateUscc } from './uscc';

/*
 * National e-license identifier:
 *   1.2.156.3005.2.<typeCode>.<issuerUSCC>.<serial>.<version, 3 digits>.<check>
 * The root is the OID arc for national e-licenses; the check character is ISO/IEC 7064 MOD 37,36 over
 * typeCode ‖ issuerUSCC ‖ serial ‖ version (no dots, no root). Real example:
 *   1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F
 */

export const LICENSE_ID_ROOT = '1.2.156.3005.2';
/** Serial numbers are assigned by the issuer; upper-case letters and digits so the check alphabet covers them. */
const SERIAL_PATTERN = /^[0-9A-Z]{1,32}$/;
const MAX_VERSION = 999;

export interface LicenseIdParts {
  readonly typeCode: string;
  readonly issuerUscc: string;
  readonly serial: string;
  /** 1 to 999; written as 3 digits. */
  readonly version: number;
}

export interface ParsedLicenseId extends LicenseIdParts {
  readonly check: string;
}

/**
 * The MOD 37,36 check character over a license ID body (typeCode ‖ issuerUSCC ‖ serial ‖ version, upper case).
 * @throws InvalidIdentifierError (reason `ALPHABET`) if the body is empty or has characters outside 0-9A-Z
 */
export function licenseIdCheckChar(body: string): string {
  const check = mod3736CheckChar(body);
  if (check === undefined) {
    throw new InvalidIdentifierError('LICENSE_ID', body, 'ALPHABET', 'the body must be non-empty 0-9A-Z');
  }
  return check;
}

function checkParts(value: string, parts: LicenseIdParts): string {
  const { typeCode, issuerUscc, serial, version } = parts;
  try {
    validateLicenseTypeCode(typeCode);
    validateUscc(issuerUscc);
  } catch (error) {
    throw new InvalidIdentifierError('LICENSE_ID', value, 'PART', 'type code or issuer USCC is invalid', {
      cause: error,
    });
  }
  if (!SERIAL_PATTERN.test(serial)) {
    throw new InvalidIdentifierError('LICENSE_ID', value, 'FORMAT', 'serial must be 1-32 characters 0-9A-Z');
  }
  if (!Number.isInteger(version) || version < 1 || version > MAX_VERSION) {
    throw new InvalidIdentifierError('LICENSE_ID', value, 'FORMAT', 'version must be an integer from 1 to 999');
  }
  return `${typeCode}${issuerUscc}${serial}${String(version).padStart(3, '0')}`;
}

/**
 * Builds a license ID with its check character.
 * @throws InvalidIdentifierError if any part is invalid
 */
export function buildLicenseId(parts: LicenseIdParts): string {
  const versionText = String(parts.version).padStart(3, '0');
  const describe = `${LICENSE_ID_ROOT}.${parts.typeCode}.${parts.issuerUscc}.${parts.serial}.${versionText}`;
  const body = checkParts(describe, parts);
  return `${describe}.${licenseIdCheckChar(body)}`;
}

/**
 * License IDs parsed before, each frozen: a verification parses the same ID in the request's schema check, the
 * document's and its format step, and the same few thousand licenses are verified again and again. Parsing is a pure
 * function of the string; only successes are kept (a failure's error is built afresh each time).
 */
const PARSED_IDS_KEPT = 10_000;
const parsedIds = new Map<string, ParsedLicenseId>();

/**
 * Splits and fully validates a license ID: root, type code, issuer USCC (with their own check characters), serial,
 * 3-digit version and the MOD 37,36 check character. The answer is frozen.
 * @throws InvalidIdentifierError with the reason it fails
 */
export function parseLicenseId(id: string): ParsedLicenseId {
  const known = parsedIds.get(id);
  if (known !== undefined) return known;
  const parsed = Object.freeze(parseAfresh(id));
  // A crude bound: dropping every kept parse now and then is correct and cheap.
  if (parsedIds.size >= PARSED_IDS_KEPT) parsedIds.clear();
  parsedIds.set(id, parsed);
  return parsed;
}

function parseAfresh(id: string): ParsedLicenseId {
  if (!id.startsWith(`${LICENSE_ID_ROOT}.`)) {
    throw new InvalidIdentifierError('LICENSE_ID', id, 'FORMAT', `must start with ${LICENSE_ID_ROOT}.`);
  }
  const fields = id.slice(LICENSE_ID_ROOT.length + 1).split('.');
  const [typeCode, issuerUscc, serial, versionText, check] = fields;
  if (
    fields.length !== 5 ||
    typeCode === undefined ||
    issuerUscc === undefined ||
    serial === undefined ||
    versionText === undefined ||
    check === undefined
  ) {
    throw new InvalidIdentifierError('LICENSE_ID', id, 'FORMAT', 'expected typeCode.issuerUSCC.serial.version.check');
  }
  if (!/^\d{3}$/.test(versionText)) {
    throw new InvalidIdentifierError('LICENSE_ID', id, 'FORMAT', 'version must be 3 digits');
  }
  const parts = { typeCode, issuerUscc, serial, version: Number(versionText) };
  const expected = licenseIdCheckChar(checkParts(id, parts));
  if (check !== expected) {
    throw new InvalidIdentifierError('LICENSE_ID', id, 'CHECK_CHARACTER', `expected ${expected}`);
  }
  return { ...parts, check };
}

/** Whether `id` is a valid license ID. */
export function isValidLicenseId(id: string): boolean {
  return succeeds(() => {
    parseLicenseId(id);
  });
}
