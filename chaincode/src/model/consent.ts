import { canonicalBytes } from '@certhub/certs-service';
import type { Stamp } from './registry';

/**
 * Consents (issue 6): an enterprise lets one bank read more of its credit profile, for a scope, until a date. A
 * consent is either signed by the enterprise's own SM2 key (its certificate chains to the root of its registration
 * region) or recorded by its registration authority (that region's admin, e.g. from a paper form); it ends by expiry or
 * revocation. Nothing is deleted: a revocation rewrites the record and the key's history keeps every version.
 */
export const CONSENT_SCOPES = ['credit-detail', 'licenses'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

/** Stored status; whether an ACTIVE consent has expired depends on the date asked about (see rules/consent.ts). */
export type ConsentStatus = 'ACTIVE' | 'REVOKED';

export type ConsentAction = 'grant' | 'revoke';

/** The enterprise's own signature: what it signed and with which certificate (kept so anyone can re-verify). */
export interface ConsentSignature {
  /** When the enterprise signed (ISO 8601 UTC with milliseconds, part of the signed bytes). */
  readonly signedAt: string;
  /** Base64 DER SM2 signature (ID 1234567812345678) over `consentSigningBytes`. */
  readonly signature: string;
  readonly certificate: string;
  readonly certificateFingerprint: string;
  /** SM3 hex of the signed bytes; one consent per signed statement, so a revoked consent cannot be replayed. */
  readonly statementHash: string;
}

/** The registration authority that recorded the consent on the enterprise's behalf. */
export interface ConsentRecorder {
  readonly region: string;
  readonly mspId: string;
  readonly actor: string;
}

export interface ConsentChange extends Stamp {
  readonly action: ConsentAction;
  readonly status: ConsentStatus;
  /** China calendar date of the change (YYYY-MM-DD). */
  readonly effective: string;
  readonly reason: string | null;
}

export interface Consent {
  readonly consentId: string;
  /** The enterprise's USCC. */
  readonly enterprise: string;
  /** The enterprise's registration region (GB/T 2260), whose root and admin vouch for it. */
  readonly region: string;
  /** MSP ID of the bank the consent is for. */
  readonly bank: string;
  /** Sorted, distinct. */
  readonly scope: readonly ConsentScope[];
  /** Last day (China date, inclusive) the consent covers. */
  readonly expiresOn: string;
  /** China date of the grant transaction. */
  readonly grantedOn: string;
  /** Exactly one of `signed` and `recordedBy` is set. */
  readonly signed: ConsentSignature | null;
  readonly recordedBy: ConsentRecorder | null;
  readonly status: ConsentStatus;
  readonly revokedOn: string | null;
  readonly revocationReason: string | null;
  readonly granted: Stamp;
  readonly lastChange: ConsentChange;
}

/** What an enterprise signs to consent. */
export interface ConsentStatement {
  readonly enterprise: string;
  readonly bank: string;
  readonly scope: readonly ConsentScope[];
  readonly expiresOn: string;
  readonly signedAt: string;
}

/**
 * The bytes of an enterprise's consent signature: RFC 8785 canonical JSON of
 * `{bank, enterprise, expiresOn, purpose: "certhub-consent", scope (sorted, distinct), signedAt}`, e.g.
 * `{"bank":"BankMSP","enterprise":"91420100303217469Q","expiresOn":"2027-06-30","purpose":"certhub-consent","scope":["credit-detail"],"signedAt":"2026-11-21T08:00:00.000Z"}`.
 * The purpose tag keeps a consent signature from being taken for any other signed statement; `signedAt` makes two
 * grants of the same terms two different statements.
 */
export function consentSigningBytes(statement: ConsentStatement): Uint8Array {
  return canonicalBytes({
    purpose: 'certhub-consent',
    enterprise: statement.enterprise,
    bank: statement.bank,
    scope: [...new Set(statement.scope)].sort(),
    expiresOn: statement.expiresOn,
    signedAt: statement.signedAt,
  });
}
