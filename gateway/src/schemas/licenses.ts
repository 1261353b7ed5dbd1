import { Type, type Static } from '@sinclair/typebox';
import { DATE_ORDER_KEYWORD } from './keywords';
import {
  DateString,
  LicenseId,
  LicenseStatusCode,
  LicenseTypeCode,
  Nullable,
  Reason,
  RegionCode,
  Sm3Hex,
  Stamp,
  StringEnum,
  Text,
  TxId,
  Uscc,
  DateTime,
  MspId,
} from './common';
import { FaceFields, Holder, LicenseDocumentSchema } from './license-document';

/**
 * Most issue requests in one POST /v1/licenses/batch (JSON array or NDJSON lines); a server may be configured lower
 * (CERTHUB_BATCH_MAX_ITEMS). More → 413 BATCH_TOO_LARGE; larger imports go as several batches.
 */
export const MAX_BATCH_ITEMS = 10_000;

/** Path parameter `{id}` of every /v1/licenses/{id} route: the license ID with all its check characters. */
export const LicenseIdParams = Type.Object({ id: LicenseId() }, { additionalProperties: false });

/** Optional `Idempotency-Key` header: a retried issuance with the same key never issues twice. */
export const IdempotencyKey = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[\\x21-\\x7e]+$',
  description:
    'Client-chosen key; a retried request with the same key returns the first result instead of issuing again.',
});

/** POST /v1/licenses: the issuer comes from the caller, the ID, dates of issue and signature from the server. */
export const LicenseIssueRequest = Type.Object(
  {
    typeCode: LicenseTypeCode(),
    number: Text(100, { description: 'Number printed on the license face.' }),
    name: Text(200, { description: 'License title.' }),
    holder: Holder(),
    validFrom: DateString(),
    validUntil: Nullable(DateString()),
    fields: FaceFields(),
  },
  { additionalProperties: false, [DATE_ORDER_KEYWORD]: [['validFrom', 'validUntil']] },
);
export type LicenseIssueRequest = Static<typeof LicenseIssueRequest>;

/**
 * POST /v1/licenses/batch as a JSON array (NDJSON bodies carry one LicenseIssueRequest a line). The body is read as a
 * stream and each item checked on its own: an item that fails this item schema becomes a FAILED job item rather than
 * refusing the whole batch.
 */
export const LicenseBatchRequest = Type.Array(LicenseIssueRequest, {
  minItems: 1,
  maxItems: MAX_BATCH_ITEMS,
  description: `1 to ${MAX_BATCH_ITEMS} issue requests (or the server's configured maximum, if lower); as NDJSON, one per line.`,
});
export type LicenseBatchRequest = Static<typeof LicenseBatchRequest>;

export const LicenseIssueResponse = Type.Object({
  licenseId: LicenseId(),
  docHash: Sm3Hex(),
  txId: TxId(),
  document: LicenseDocumentSchema,
});

/** POST /v1/licenses/{id}/suspend · reinstate · revoke · cancel. */
export const LicenseStatusChangeRequest = Type.Object({ reason: Reason() }, { additionalProperties: false });
export type LicenseStatusChangeRequest = Static<typeof LicenseStatusChangeRequest>;

export const LicenseStatusChangeResponse = Type.Object({
  licenseId: LicenseId(),
  status: LicenseStatusCode(),
  txId: TxId(),
});

/**
 * POST /v1/licenses/{id}/amend: the complete new face. The type, issuer and serial stay those of the license, and so
 * does the holder (its name may be corrected, its ID not); the issuer, ID and dates of issue come from the server.
 */
export const LicenseAmendRequest = Type.Object(
  {
    number: Text(100, { description: 'Number printed on the license face.' }),
    name: Text(200, { description: 'License title.' }),
    holder: Holder(),
    validFrom: DateString(),
    validUntil: Nullable(DateString()),
    fields: FaceFields(),
    reason: Text(500, { description: 'Why, recorded on the ledger with the previous version’s supersede entry.' }),
  },
  { additionalProperties: false, [DATE_ORDER_KEYWORD]: [['validFrom', 'validUntil']] },
);
export type LicenseAmendRequest = Static<typeof LicenseAmendRequest>;

export const LicenseAmendResponse = Type.Object({
  licenseId: LicenseId(),
  previous: LicenseId(),
  docHash: Sm3Hex(),
  txId: TxId(),
  document: LicenseDocumentSchema,
});

export const LICENSE_ACTIONS = [
  'issue',
  'batch-member',
  'suspend',
  'reinstate',
  'revoke',
  'cancel',
  'expire',
  'amend',
  'renew',
  'transfer-in',
  'supersede',
] as const;

/** GET /v1/licenses/{id}: the on-chain anchor and its current status (no personal data: a person is a holderRef). */
export const LicenseState = Type.Object({
  licenseId: LicenseId(),
  typeCode: LicenseTypeCode(),
  issuer: Uscc(),
  region: RegionCode(),
  docHash: Sm3Hex(),
  holderRef: Type.String({ description: 'Enterprise USCC, or HMAC-SM3 of a person’s ID number.' }),
  validFrom: DateString(),
  validUntil: Nullable(DateString()),
  status: LicenseStatusCode(),
  version: Type.Integer({ minimum: 1, maximum: 999 }),
  previous: Nullable(LicenseId()),
  supersededBy: Type.Optional(Nullable(LicenseId())),
  batchId: Type.Optional(Nullable(Type.String())),
  signedAt: Type.Optional(
    Nullable(DateTime({ description: 'The document’s proof.created as anchored; the verifier compares them.' })),
  ),
  issued: Type.Optional(Stamp()),
});

export const LicenseHistoryEntry = Type.Object({
  txId: TxId(),
  timestamp: DateTime(),
  mspId: MspId(),
  actor: Type.String(),
  action: StringEnum(LICENSE_ACTIONS),
  status: LicenseStatusCode(),
  docHash: Sm3Hex(),
  reason: Type.Optional(Nullable(Type.String())),
});

export const LicenseHistory = Type.Object({
  licenseId: LicenseId(),
  entries: Type.Array(LicenseHistoryEntry, { description: 'Oldest first.' }),
});

/** GET /v1/enterprises/{uscc}/licenses and /credit: the enterprise by its USCC. */
export const EnterpriseParams = Type.Object({ uscc: Uscc() }, { additionalProperties: false });

/** GET /v1/enterprises/{uscc}/licenses paging: a page size, and the bookmark the previous page answered. */
export const EnterpriseLicensesQuery = Type.Object(
  {
    // Query values arrive as text: the pattern is the integer range 1..1000.
    pageSize: Type.Optional(
      Type.String({ pattern: '^(?:[1-9][0-9]{0,2}|1000)$', description: 'Licenses per page, 1 to 1000 (default 50).' }),
    ),
    bookmark: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1024,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'Opaque: the `bookmark` of the previous page.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EnterpriseLicensesQuery = Static<typeof EnterpriseLicensesQuery>;

export const EnterpriseLicenses = Type.Object({
  uscc: Uscc(),
  licenses: Type.Array(LicenseState, { description: 'Each anchor with its current status; oldest license ID first.' }),
  bookmark: Nullable(Type.String({ description: 'Pass as `bookmark` for the next page; null after the last.' })),
});
