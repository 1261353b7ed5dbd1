import { Type, type Static } from '@sinclair/typebox';
import {
  DateString,
  DateTime,
  MspId,
  Nullable,
  Pem,
  Reason,
  RegionCode,
  Sm3Hex,
  Stamp,
  StringEnum,
  Text,
  TxId,
  Uscc,
} from './common';

/*
 * Consents (issue 6): an enterprise lets a bank see the detail of its credit profile, for a scope and until a date;
 * and the access log that shows the enterprise every bank query of its detail, allowed or refused.
 */

export const CONSENT_SCOPES = ['credit-detail', 'licenses'] as const;
export const CONSENT_STATES = ['ACTIVE', 'EXPIRED', 'REVOKED'] as const;
export const ACCESS_OUTCOMES = [
  'ALLOWED',
  'REFUSED_NO_CONSENT',
  'REFUSED_EXPIRED',
  'REFUSED_REVOKED',
  'REFUSED_SCOPE',
] as const;

/** Path of one consent: the enterprise and the consent ID the ledger assigned. */
export const ConsentParams = Type.Object(
  { uscc: Uscc(), id: Type.String({ pattern: '^cs-[0-9a-f]{32}$', description: 'Consent ID (cs-…).' }) },
  { additionalProperties: false },
);

/**
 * POST /v1/enterprises/{uscc}/consents: the enterprise lets a bank read more, until a date. Without `signature`, an
 * enterprise user's consent is signed by the gateway with the enterprise's SM2 key it holds, and a registration
 * authority's is recorded in its name. With `signature`, the enterprise signed itself.
 */
export const ConsentRequest = Type.Object(
  {
    bank: MspId({ description: 'MSP ID of the bank given consent.' }),
    scope: Type.Array(StringEnum(CONSENT_SCOPES), { minItems: 1, uniqueItems: true }),
    expiresOn: DateString({ description: 'Last day (China date, inclusive) the consent covers; today or later.' }),
    signedAt: Type.Optional(
      DateTime({
        pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$',
        description: 'When the enterprise signed, as in the signed bytes (toISOString form); within the last 24 h.',
      }),
    ),
    signature: Type.Optional(
      Type.String({
        minLength: 8,
        maxLength: 200,
        pattern: '^[A-Za-z0-9+/]+={0,2}$',
        description:
          'Base64 DER SM2 signature (ID 1234567812345678) over the canonical JSON (RFC 8785) of {bank, enterprise, expiresOn, purpose: "certhub-consent", scope (sorted), signedAt}, e.g. {"bank":"BankMSP","enterprise":"91420100303217469Q","expiresOn":"2027-06-30","purpose":"certhub-consent","scope":["credit-detail"],"signedAt":"2026-11-21T08:00:00.000Z"} (no spaces, no newline); `certhub sm2 sign` makes one.',
      }),
    ),
    certificate: Type.Optional(
      Pem('CERTIFICATE', {
        description:
          'The enterprise’s SM2 certificate (organizationIdentifier = its USCC), from its registration region’s root.',
      }),
    ),
  },
  {
    additionalProperties: false,
    // A self-signed consent comes with all three fields, or none.
    dependentRequired: { signature: ['signedAt', 'certificate'], signedAt: ['signature'], certificate: ['signature'] },
  },
);
export type ConsentRequest = Static<typeof ConsentRequest>;

/** POST /v1/enterprises/{uscc}/consents/{id}/revoke. */
export const ConsentRevokeRequest = Type.Object({ reason: Reason() }, { additionalProperties: false });
export type ConsentRevokeRequest = Static<typeof ConsentRevokeRequest>;

export const Consent = Type.Object({
  id: Type.String({ description: 'Consent ID (cs-…).' }),
  enterprise: Uscc(),
  region: RegionCode({
    description: 'The enterprise’s registration region, whose admin is its registration authority.',
  }),
  bank: MspId(),
  scope: Type.Array(StringEnum(CONSENT_SCOPES)),
  expiresOn: DateString(),
  grantedOn: DateString(),
  state: StringEnum(CONSENT_STATES, { description: 'As of today (China date).' }),
  basis: StringEnum(['SIGNED', 'RECORDED'] as const, {
    description: 'SIGNED with the enterprise’s SM2 key, or RECORDED by its registration authority.',
  }),
  signedAt: Nullable(DateTime()),
  certificateFingerprint: Nullable(Sm3Hex({ description: 'SM3 of the signing certificate (SIGNED only).' })),
  recordedBy: Nullable(
    Type.Object({ region: RegionCode(), mspId: MspId(), actor: Type.String() }, { additionalProperties: false }),
  ),
  revokedOn: Nullable(DateString()),
  revocationReason: Nullable(Type.String()),
  granted: Stamp(),
});

/** A consent as granted or revoked, with the transaction that did it. */
export const ConsentChanged = Type.Composite([Consent, Type.Object({ txId: TxId() })]);

/** GET /v1/enterprises/{uscc}/consents. */
export const ConsentList = Type.Object({
  enterprise: Uscc(),
  onDate: DateString({ description: 'The China date `state` is given for.' }),
  consents: Type.Array(Consent, { description: 'By bank, then oldest first; a bank sees only those naming it.' }),
});

/** GET /v1/enterprises/{uscc}/access-log query. */
export const AccessLogQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.String({
        pattern: '^(?:[1-9][0-9]{0,2}|1000)$',
        description: 'Newest entries to list, 1 to 1000 (default 100).',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AccessLogQuery = Static<typeof AccessLogQuery>;

export const AccessLogEntry = Type.Object({
  seq: Type.Integer({ minimum: 1, description: 'Position in the gateway’s audit log.' }),
  at: DateTime(),
  bank: MspId({ description: 'The bank organisation that asked.' }),
  user: Type.String({ description: 'The bank user who asked.' }),
  purpose: Text(500, { description: 'Why, in the bank’s words.' }),
  what: Type.String({ description: 'What was asked for (credit-detail).' }),
  consentId: Nullable(Type.String()),
  outcome: StringEnum(ACCESS_OUTCOMES),
  entryHash: Sm3Hex(),
  verified: Type.Boolean({ description: 'Whether the log verifies up to and including this entry.' }),
});

export const AuditLogVerification = Type.Object({
  ok: Type.Boolean({ description: 'The whole log recomputes and matches every head anchored on chain.' }),
  logId: Type.String(),
  verifiedEntries: Type.Integer({ minimum: 0 }),
  lastSeq: Type.Integer({ minimum: 0 }),
  anchoredSeq: Type.Integer({ minimum: 0, description: 'The newest head anchored on chain (0: none yet).' }),
  anchoredAt: Nullable(DateTime()),
  anchorsChecked: Type.Integer({ minimum: 0 }),
  firstBadSeq: Nullable(Type.Integer({ minimum: 1 })),
  problem: Nullable(
    Type.Object({
      kind: StringEnum([
        'UNREADABLE',
        'MALFORMED',
        'MISSING',
        'BROKEN_LINK',
        'HASH_MISMATCH',
        'ANCHOR_MISMATCH',
        'TRUNCATED',
      ] as const),
      detail: Type.String(),
    }),
  ),
  checkedAt: DateTime(),
});

/** GET /v1/enterprises/{uscc}/access-log: who looked at the enterprise's credit detail, newest first. */
export const AccessLog = Type.Object({
  enterprise: Uscc(),
  entries: Type.Array(AccessLogEntry),
  total: Type.Integer({
    minimum: 0,
    description: 'Entries about this enterprise in the log (entries lists the newest).',
  }),
  verification: AuditLogVerification,
});
