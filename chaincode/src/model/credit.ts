import { canonicalBytes } from '@certhub/certs-service';
import type { Stamp } from './registry';

/** Credit records as anchored on chain (issue 6). The full record stays off chain; the chain holds its SM3 hash. */
export const CREDIT_CATEGORIES = [
  'ADMIN_LICENSE',
  'ADMIN_PENALTY',
  'TAX_RATING',
  'ABNORMAL_OPERATION',
  'DISHONEST_DEBTOR',
  'BLACKLIST',
  'REDLIST',
] as const;
export type CreditCategory = (typeof CREDIT_CATEGORIES)[number];

export const SEVERITIES = ['MINOR', 'GENERAL', 'SERIOUS'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The field a penalty falls in. Work safety, fire and special-equipment penalties stay public at least one year
 * whatever their severity; everything else is OTHER.
 */
export const PENALTY_DOMAINS = ['OTHER', 'WORK_SAFETY', 'FIRE', 'SPECIAL_EQUIPMENT'] as const;
export type PenaltyDomain = (typeof PENALTY_DOMAINS)[number];

/** National tax credit rating levels (A, B, M for new taxpayers, C, D). */
export const TAX_RATINGS = ['A', 'B', 'M', 'C', 'D'] as const;
export type TaxRating = (typeof TAX_RATINGS)[number];

/** ACTIVE: published; REPAIRED: credit repaired, publication ended early; WITHDRAWN: decision annulled. */
export type CreditStatus = 'ACTIVE' | 'REPAIRED' | 'WITHDRAWN';

export type CreditAction = 'anchor' | 'repair' | 'withdraw';

export interface CreditChange extends Stamp {
  readonly action: CreditAction;
  readonly status: CreditStatus;
  /** The date the change takes effect (tx date, YYYY-MM-DD). */
  readonly effective: string;
  readonly reason: string | null;
}

export interface CreditRecord {
  readonly recordId: string;
  /** The enterprise's USCC. */
  readonly subject: string;
  readonly category: CreditCategory;
  readonly severity: Severity;
  readonly domains: readonly PenaltyDomain[];
  /** Only for TAX_RATING. */
  readonly rating: TaxRating | null;
  readonly decisionDate: string;
  /** Repair is allowed from the day after this date (end of the minimum publicity period). */
  readonly minimumUntil: string;
  /** The last day the record is public (null: in force until repaired or withdrawn). */
  readonly publicUntil: string | null;
  /** The source department's USCC and region. */
  readonly source: string;
  readonly region: string;
  /** SM3 hex of the full record's canonical bytes (held off chain). */
  readonly recordHash: string;
  /** Base64 DER SM2 signature over `creditSigningBytes` and the fingerprint of the certificate that verified it. */
  readonly signature: string;
  readonly signerFingerprint: string;
  readonly status: CreditStatus;
  readonly repairedOn: string | null;
  readonly withdrawnOn: string | null;
  readonly anchored: Stamp;
  readonly lastChange: CreditChange;
}

/**
 * A record as a profile lists it: the facts a bank reads and what a verifier needs to find and check the anchor
 * (hash, signer). Who anchored it and when is in `get` and `history`; leaving it out keeps a 1,000-record profile small.
 */
export type CreditRecordSummary = Omit<CreditRecord, 'anchored' | 'lastChange' | 'signature'> & {
  readonly anchoredTxId: string;
};

export function summarize(record: CreditRecord): CreditRecordSummary {
  const { anchored, lastChange: _lastChange, signature: _signature, ...facts } = record;
  // anchoredTxId sorts before every other field: put first, a summary of a record read back from state (written
  // sorted) is already in sorted order, and serialising a profile's thousand summaries copies none of them.
  return { anchoredTxId: anchored.txId, ...facts };
}

/** What the source signs: the record hash bound to the facts the chain keeps about it. */
export interface CreditHeader {
  readonly recordHash: string;
  readonly subject: string;
  readonly category: CreditCategory;
  readonly severity: Severity;
  readonly decisionDate: string;
  readonly source: string;
}

/**
 * The bytes of a source's signature: canonical JSON of the header, so a signed hash cannot be replayed under another
 * subject, category or date.
 */
export function creditSigningBytes(header: CreditHeader): Uint8Array {
  return canonicalBytes({
    purpose: 'certhub-credit-record',
    recordHash: header.recordHash,
    subject: header.subject,
    category: header.category,
    severity: header.severity,
    decisionDate: header.decisionDate,
    source: header.source,
  });
}
