import { Type, type Static } from '@sinclair/typebox';
import { DISTINCT_KEYWORD, DATE_ORDER_KEYWORD } from './keywords';
import { DateString, LicenseTypeCode, Nullable, Reason, RegionCode, Stamp, StringEnum, TxId } from './common';

/** Mutual recognition (DESIGN.md §1): region A accepts license types T issued in region B, within a period. */

export const RECOGNITION_STATUSES = ['PROPOSED', 'ACTIVE', 'REVOKED'] as const;

export const RecognitionIdParams = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,128}$' }) },
  { additionalProperties: false },
);

/** POST /v1/recognitions, by the accepting region's admin. */
export const RecognitionProposal = Type.Object(
  {
    acceptingRegion: RegionCode(),
    issuingRegion: RegionCode(),
    licenseTypes: Type.Array(LicenseTypeCode(), { minItems: 1, maxItems: 100, uniqueItems: true }),
    validFrom: DateString(),
    validUntil: Nullable(DateString()),
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

export const RecognitionStatusChange = Type.Object({
  id: Type.String(),
  status: StringEnum(RECOGNITION_STATUSES),
  txId: Type.Optional(TxId()),
});

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
});

export const RecognitionQuery = Type.Object(
  {
    region: Type.Optional(RegionCode({ description: 'Only agreements where this region accepts or issues.' })),
    status: Type.Optional(StringEnum(RECOGNITION_STATUSES)),
  },
  { additionalProperties: false },
);

export const RecognitionList = Type.Object({ recognitions: Type.Array(RecognitionAgreement) });
