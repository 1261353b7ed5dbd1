import { Type, type SchemaOptions, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { IdentifierFormat } from './formats';

/*
 * Building blocks shared by the route schemas: identifiers with their check characters, dates, hashes, free text
 * with sane bounds. Every string has a maxLength so no field can be used to make the server hold a huge value.
 */

/** `T` or JSON null, written the 2020-12 way (`type: [T, "null"]`) so failures read "must be string or null". */
export function Nullable<T extends TSchema & { type: string }>(schema: T): TUnsafe<Static<T> | null> {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}

export const Uscc = (options: SchemaOptions = {}) =>
  Type.String({
    format: IdentifierFormat.USCC,
    description: 'Unified social credit code (GB 32100-2015); the check character is verified.',
    examples: ['914403001922038216'],
    ...options,
  });

export const ResidentId = (options: SchemaOptions = {}) =>
  Type.String({
    format: IdentifierFormat.RESIDENT_ID,
    description: 'Resident ID number (GB 11643-1999); the check character is verified.',
    ...options,
  });

export const LicenseId = (options: SchemaOptions = {}) =>
  Type.String({
    format: IdentifierFormat.LICENSE_ID,
    description:
      'National e-license identifier `1.2.156.3005.2.<typeCode>.<issuerUSCC>.<serial>.<version>.<check>`; every check character is verified.',
    examples: ['1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F'],
    ...options,
  });

export const LicenseTypeCode = (options: SchemaOptions = {}) =>
  Type.String({
    format: IdentifierFormat.LICENSE_TYPE_CODE,
    description: "License type code: the defining ministry's USCC followed by 3 digits.",
    examples: ['11100000000013338W032'],
    ...options,
  });

export const RegionCode = (options: SchemaOptions = {}) =>
  Type.String({
    pattern: '^[1-9][0-9]{5}$',
    description: 'Administrative region, GB/T 2260 code (e.g. 420100 Wuhan, 420200 Huangshi, 341882 Guangde).',
    examples: ['420100'],
    ...options,
  });

export const MspId = (options: SchemaOptions = {}) =>
  Type.String({
    pattern: '^[A-Za-z][A-Za-z0-9.-]{0,62}MSP$',
    description: 'Fabric MSP ID of an organisation (WuhanMSP, BankMSP, …).',
    ...options,
  });

/** A calendar day, YYYY-MM-DD (the format also rejects days that do not exist, such as 2026-02-30). */
export const DateString = (options: SchemaOptions = {}) =>
  Type.String({ format: 'date', description: 'Calendar date YYYY-MM-DD.', ...options });

export const DateTime = (options: SchemaOptions = {}) =>
  Type.String({ format: 'date-time', description: 'RFC 3339 date-time.', ...options });

/** SM3 digest, lower-case hex: what docHash and Merkle roots are. */
export const Sm3Hex = (options: SchemaOptions = {}) =>
  Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SM3 digest, 64 lower-case hex digits.', ...options });

export const TxId = () => Type.String({ minLength: 1, maxLength: 128, description: 'Ledger transaction ID.' });

/** Printable text of bounded length: names, numbers, reasons. Control characters are refused (they break logs and faces). */
export const Text = (maxLength: number, options: SchemaOptions = {}) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[^\\u0000-\\u001f\\u007f]*$', ...options });

export const Reason = () => Text(500, { description: 'Why, in words recorded on the ledger.' });

export const Pem = (label: string, options: SchemaOptions = {}) =>
  Type.String({
    maxLength: 16_384,
    pattern: `^-----BEGIN ${label}-----\\r?\\n[\\s\\S]+-----END ${label}-----\\s*$`,
    description: `PEM (${label}).`,
    ...options,
  });

/** A string from a fixed list, as a plain `enum` (clearer errors than a union of literals). */
export function StringEnum<T extends string>(values: readonly T[], options: SchemaOptions = {}): TUnsafe<T> {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

export const LICENSE_STATUS_CODES = ['01', '02', '03', '04', '05', '07'] as const;
export type LicenseStatusCode = (typeof LICENSE_STATUS_CODES)[number];

export const LicenseStatusCode = () =>
  StringEnum(LICENSE_STATUS_CODES, {
    description: 'National status code: 01 valid, 02 suspended, 03 withdrawn, 04 cancelled, 05 expired, 07 revoked.',
  });

/** Who changed a ledger record and when (the transaction's time, not a clock). */
export const Stamp = () =>
  Type.Object(
    {
      txId: TxId(),
      timestamp: DateTime(),
      mspId: MspId(),
      actor: Type.String({ maxLength: 256, description: 'Enrollment ID of the submitting identity.' }),
    },
    { additionalProperties: false },
  );

/** RFC 9457 problem details, the body of every error response. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'URI naming the error kind.' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    code: Type.String({ description: 'Stable error code, e.g. VALIDATION_FAILED, UNAUTHENTICATED.' }),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    line: Type.Optional(Type.Integer({ minimum: 1, description: 'The line of a malformed or oversized batch body.' })),
  },
  { description: 'RFC 9457 problem details.' },
);
