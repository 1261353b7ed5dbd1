import { Type, type Static } from '@sinclair/typebox';
import { DISTINCT_KEYWORD, DATE_ORDER_KEYWORD } from './keywords';
import { DateString, LicenseTypeCode, Nullable, Reason, RegionCode, Stamp, StringEnum, TxId } from './common';

/** Mutual recognition (DESIGN.md §1): region A accepts license types T issued in region B, within a period. */

export const RECOGNITION_STATUSES = ['PROPOSED', 'ACTIVE', 'REVOKED'] as const;

export const RecognitionIdParams = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,128}$' }) },
  { additionalProperties: false },
);

/**
 * POST /v1/recognitions, by an admin of either region (normally the accepting one, DESIGN.md §5); the other region's
 * admin accepts.
 */
export const RecognitionProposal = Type.Object(
  {
    acceptingRegion: RegionCode(),
    issuingRegion: RegionCode(),
    licenseTypes: Type.Array(LicenseTypeCode(), { minItems: 1, maxItems: 100, uniqueItems: true }),
    validFrom: DateString(),
    validUntil: Type.Optional(Nullable(DateString({ description: 'Last day; null or absent: until revoked.' }))),
  },
  {
    additionalProperties: false,
    [DATE_ORDER_KEYWORD]: [['validFrom', 'validUntil']],
    [DISTINCT_KEYWORD]: [['acceptingRegion', 'issuingRegion']],
  },
);
export type RecognitionProposal = Static<typeof RecognitionProposal>;

export const RecognitionRevokeRequest = Type.Object({ reason: Reason() }, { additionalProperties: false });
export type RecognitionRevokeRequest = Static<typeof RecognitionRevokeRequest>;

export const RecognitionAgreement = Type.Object({
  id: Type.String(),
  acceptingRegion: RegionCode(),
  issuingRegion: RegionCode(),
  licenseTypes: Type.Array(LicenseTypeCode()),
  validFrom: DateString(),
  validUntil: Nullable(DateString()),
  status: StringEnum(RECOGNITION_STATUSES),
  proposedBy: Type.String(),
  proposed: Stamp(),
  accepted: Nullable(Stamp()),
  revoked: Nullable(Stamp()),
  revocationReason: Type.Optional(Nullable(Type.String({ description: 'Why it was revoked, as recorded.' }))),
});

/** What propose, accept and revoke answer: the agreement's new status, the transaction, and the whole agreement. */
export const RecognitionStatusChange = Type.Object({
  id: Type.String(),
  status: StringEnum(RECOGNITION_STATUSES),
  txId: TxId(),
  agreement: RecognitionAgreement,
});

export const RecognitionQuery = Type.Object(
  {
    region: Type.Optional(
      RegionCode({ description: 'Only agreements where this region accepts or issues (default: every region).' }),
    ),
    status: Type.Optional(StringEnum(RECOGNITION_STATUSES)),
  },
  { additionalProperties: false },
);
export type RecognitionQuery = Static<typeof RecognitionQuery>;

export const RecognitionList = Type.Object({ recognitions: Type.Array(RecognitionAgreement) });
