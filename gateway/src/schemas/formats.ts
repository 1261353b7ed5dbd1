import {
  CertHubError,
  isValidLicenseId,
  isValidLicenseTypeCode,
  isValidResidentId,
  isValidUscc,
  parseLicenseId,
  validateLicenseTypeCode,
  validateResidentId,
  validateUscc,
} from '@certhub/certs-service';
import { isQrPayload, parseQrPayload } from '../qr/payload';

/*
 * The identifier formats of DESIGN.md §1 as JSON Schema `format` names. A pattern alone would accept a code whose
 * check character is wrong, so each format runs certs-service's own check; the schema text stays plain JSON Schema
 * (`"format": "uscc"`) that OpenAPI readers understand as a named string format.
 */

export const IdentifierFormat = {
  USCC: 'uscc',
  RESIDENT_ID: 'resident-id',
  LICENSE_ID: 'license-id',
  LICENSE_TYPE_CODE: 'license-type-code',
  QR_PAYLOAD: 'certhub-qr',
} as const;
export type IdentifierFormat = (typeof IdentifierFormat)[keyof typeof IdentifierFormat];

interface FormatRule {
  /** Fast yes/no for Ajv. */
  readonly accepts: (value: string) => boolean;
  /** Throws the typed identifier error that says why a value is rejected; used only to word a failure. */
  readonly explain: (value: string) => void;
  readonly description: string;
}

const rules: Readonly<Record<IdentifierFormat, FormatRule>> = {
  uscc: {
    accepts: isValidUscc,
    explain: validateUscc,
    description: 'unified social credit code (GB 32100-2015), check character verified',
  },
  'resident-id': {
    accepts: isValidResidentId,
    explain: validateResidentId,
    description: 'resident ID number (GB 11643-1999), birth date and check character verified',
  },
  'license-id': {
    accepts: isValidLicenseId,
    explain: (value) => {
      parseLicenseId(value);
    },
    description: 'national e-license identifier 1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check> (MOD 37,36)',
  },
  'license-type-code': {
    accepts: isValidLicenseTypeCode,
    explain: validateLicenseTypeCode,
    description: "license type code: the defining ministry's USCC + 3 digits",
  },
  'certhub-qr': {
    accepts: isQrPayload,
    explain: (value) => {
      parseQrPayload(value);
    },
    description: 'QR payload certhub:1:<licenseId>:<docHash>',
  },
};

export function isIdentifierFormat(name: string): name is IdentifierFormat {
  return Object.hasOwn(rules, name);
}

/** Ajv format definitions for every identifier format. */
export function identifierFormats(): Record<
  IdentifierFormat,
  { type: 'string'; validate: (value: string) => boolean }
> {
  return {
    uscc: { type: 'string', validate: rules.uscc.accepts },
    'resident-id': { type: 'string', validate: rules['resident-id'].accepts },
    'license-id': { type: 'string', validate: rules['license-id'].accepts },
    'license-type-code': { type: 'string', validate: rules['license-type-code'].accepts },
    'certhub-qr': { type: 'string', validate: rules['certhub-qr'].accepts },
  };
}

export function describeFormat(format: IdentifierFormat): string {
  return rules[format].description;
}

/**
 * Why `value` fails `format`, in words a client can act on (e.g. "invalid USCC: CHECK_CHARACTER (expected 6)").
 * The value itself is never repeated: a resident ID is personal data.
 */
export function explainFormatFailure(format: IdentifierFormat, value: unknown): string {
  if (typeof value !== 'string') return `must be a string in format ${format}`;
  try {
    rules[format].explain(value);
  } catch (error) {
    if (error instanceof CertHubError) return error.message;
    throw error;
  }
  return `must be a valid ${format}`;
}

/** YYYY-MM-DD that names a real calendar day (so 2026-02-30 is rejected, not rolled over to March). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** RFC 3339 date-time with an explicit offset, as `proof.created` and ledger timestamps are written. */
export function isDateTime(value: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i.exec(value);
  if (match === null) return false;
  const [, date, hh, mm, ss] = match as unknown as [string, string, string, string, string];
  return isCalendarDate(date) && Number(hh) < 24 && Number(mm) < 60 && Number(ss) < 61;
}
