import { Type, type Static } from '@sinclair/typebox';
import { IdentifierFormat } from './formats';
import { DATE_ORDER_KEYWORD } from './keywords';
import {
  DateString,
  DateTime,
  LicenseId,
  LicenseTypeCode,
  Nullable,
  Pem,
  RegionCode,
  Sm3Hex,
  StringEnum,
  Text,
  Uscc,
} from './common';

/*
 * The e-license document of DESIGN.md §3. Requests that issue or amend a license and the verification `format` step
 * both check documents with these schemas, so "a well-formed license" means one thing everywhere.
 */

export const HOLDER_ID_TYPES = ['001', '111'] as const;

/** The holder's ID is checked by the scheme its idType names: 001 a USCC, 111 a resident ID. */
export const Holder = () =>
  Type.Object(
    {
      name: Text(200, { description: 'Holder name (enterprise or person).' }),
      idType: StringEnum(HOLDER_ID_TYPES, { description: '001 enterprise by USCC, 111 person by resident ID.' }),
      id: Type.String({ minLength: 1, maxLength: 64, description: 'USCC (idType 001) or resident ID (idType 111).' }),
    },
    {
      additionalProperties: false,
      allOf: [
        {
          if: { type: 'object', properties: { idType: { const: '001' } }, required: ['idType'] },
          then: { type: 'object', properties: { id: { type: 'string', format: IdentifierFormat.USCC } } },
        },
        {
          if: { type: 'object', properties: { idType: { const: '111' } }, required: ['idType'] },
          then: { type: 'object', properties: { id: { type: 'string', format: IdentifierFormat.RESIDENT_ID } } },
        },
      ],
    },
  );

/** Type-specific face items: any JSON values under short, non-empty names. */
export const FaceFields = () =>
  Type.Unsafe<Record<string, unknown>>({
    type: 'object',
    maxProperties: 100,
    propertyNames: { minLength: 1, maxLength: 64 },
    description: 'Type-specific face items (e.g. registered capital, business scope), at most 100.',
  });

export const LicenseProof = () =>
  Type.Object(
    {
      type: Type.Literal('SM2SignatureSM3'),
      created: DateTime(),
      certificate: Pem('CERTIFICATE', { description: "PEM of the issuer's SM2 certificate." }),
      signatureValue: Type.String({
        minLength: 1,
        maxLength: 512,
        pattern: '^[A-Za-z0-9+/]+={0,2}$',
        description: 'Base64 DER SM2 signature (ID 1234567812345678) over the canonical document without proof.',
      }),
      batch: Type.Optional(
        Type.Object(
          {
            batchId: Type.String({ minLength: 1, maxLength: 128 }),
            root: Sm3Hex({ description: 'Merkle root anchored on chain.' }),
            leafIndex: Type.Integer({ minimum: 0 }),
            leafCount: Type.Integer({ minimum: 1 }),
            path: Type.Array(Sm3Hex(), { maxItems: 64 }),
          },
          { additionalProperties: false, description: 'Inclusion proof for a license anchored in a batch.' },
        ),
      ),
    },
    { additionalProperties: false },
  );

export const LicenseDocumentSchema = Type.Object(
  {
    licenseId: LicenseId(),
    version: Type.Integer({ minimum: 1, maximum: 999 }),
    previous: Nullable(LicenseId({ description: 'The version this one amends; null for a first issue.' })),
    type: Type.Object({ code: LicenseTypeCode(), name: Text(200) }, { additionalProperties: false }),
    number: Text(100, { description: 'Number printed on the license face.' }),
    name: Text(200, { description: 'License title.' }),
    holder: Holder(),
    issuer: Type.Object({ code: Uscc(), name: Text(200), region: RegionCode() }, { additionalProperties: false }),
    issuedOn: DateString(),
    validFrom: DateString(),
    validUntil: Nullable(DateString({ description: 'Null for a license without an end date.' })),
    fields: FaceFields(),
    proof: LicenseProof(),
  },
  {
    additionalProperties: false,
    [DATE_ORDER_KEYWORD]: [['validFrom', 'validUntil']],
    description: 'A signed e-license (DESIGN.md §3), canonical JSON (RFC 8785).',
  },
);
export type LicenseDocumentBody = Static<typeof LicenseDocumentSchema>;
