import { Type, type Static } from '@sinclair/typebox';
import { IdentifierFormat } from './formats';
import { DateTime, LicenseId, Nullable, Sm3Hex, StringEnum } from './common';
import { LicenseHistoryEntry } from './licenses';

/*
 * POST /v1/verify (DESIGN.md §6). The request names what to verify in exactly one of three ways. A `document` is
 * only required to be an object here: whether it is a well-formed license is the report's `format` step (checked
 * against LicenseDocumentSchema), so a malformed document yields an INVALID verdict naming that step, not a 400.
 */

export const VerifyRequest = Type.Object(
  {
    document: Type.Optional(
      Type.Unsafe<Record<string, unknown>>({ type: 'object', description: 'A signed e-license document (§3).' }),
    ),
    licenseId: Type.Optional(LicenseId()),
    docHash: Type.Optional(Sm3Hex({ description: 'With licenseId: the exact version expected.' })),
    qr: Type.Optional(
      Type.String({
        maxLength: 256,
        format: IdentifierFormat.QR_PAYLOAD,
        description: 'The scanned QR payload certhub:1:<licenseId>:<docHash>.',
      }),
    ),
  },
  {
    additionalProperties: false,
    oneOf: [{ required: ['document'] }, { required: ['licenseId'] }, { required: ['qr'] }],
    dependentRequired: { docHash: ['licenseId'] },
  },
);
export type VerifyRequest = Static<typeof VerifyRequest>;

/** The steps of §6, in the order they run. */
export const VERIFICATION_STEPS = [
  'format',
  'hash',
  'signature',
  'issuer',
  'anchor',
  'status',
  'validity',
  'recognition',
] as const;
export type VerificationStep = (typeof VERIFICATION_STEPS)[number];

export const VerificationCheck = Type.Object({
  step: StringEnum(VERIFICATION_STEPS),
  ok: Nullable(Type.Boolean({ description: 'null when the step was not run because an earlier one failed.' })),
  detail: Type.String(),
});

export const VerificationReport = Type.Object({
  verdict: StringEnum(['VALID', 'INVALID', 'UNKNOWN'] as const, {
    description: 'Authenticity, status and validity; UNKNOWN only when the ledger cannot be reached.',
  }),
  recognized: Nullable(
    Type.Boolean({
      description: "Whether the caller's region accepts it: null for anonymous callers, true in the issuing region.",
    }),
  ),
  checkedAt: DateTime(),
  license: Nullable(Type.Object({}, { additionalProperties: true, description: 'The license face and anchor.' })),
  checks: Type.Array(VerificationCheck),
  history: Type.Array(LicenseHistoryEntry),
});
