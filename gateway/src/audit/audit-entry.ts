import { canonicalBytes, sm3Hex } from '@certhub/certs-service';

/**
 * One entry of the audit log of banks' detailed credit queries (issue 6): who (bank organisation and user) asked about
 * which enterprise, when, why (purpose), for what, under which consent, and whether it was allowed. Entries are
 * numbered from 1 and chained: each carries the hash of the one before, and its own hash covers all of its fields, so
 * changing or removing any entry breaks every later link.
 */
export const AUDIT_OUTCOMES = [
  'ALLOWED',
  'REFUSED_NO_CONSENT',
  'REFUSED_EXPIRED',
  'REFUSED_REVOKED',
  'REFUSED_SCOPE',
] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** The `prevHash` of entry 1: 64 zeros, a value no SM3 digest is expected to take. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records; the log adds `seq`, `prevHash`, `at` and the hash. */
export interface AuditRecord {
  /** MSP ID of the bank. */
  readonly bank: string;
  /** ID of the bank's user (the enrollment ID the ledger knows). */
  readonly user: string;
  /** USCC of the enterprise asked about. */
  readonly enterprise: string;
  /** Why, in the bank's words (required). */
  readonly purpose: string;
  /** What was asked for, e.g. `credit-detail`. */
  readonly what: string;
  /** The consent the decision rests on (the one used, or the expired/revoked/too narrow one); null when none. */
  readonly consentId: string | null;
  readonly outcome: AuditOutcome;
}

/** The hashed fields of an entry, exactly. */
export interface AuditEntryBody extends AuditRecord {
  readonly seq: number;
  readonly prevHash: string;
  /** ISO 8601 UTC instant of the query. */
  readonly at: string;
}

export interface AuditEntry extends AuditEntryBody {
  /** SM3 hex over the canonical JSON (RFC 8785) of the body. */
  readonly entryHash: string;
}

/** SM3 over the canonical JSON of exactly the body's fields (anything else an entry carries is not covered). */
export function auditEntryHash(body: AuditEntryBody): string {
  return sm3Hex(
    canonicalBytes({
      seq: body.seq,
      prevHash: body.prevHash,
      at: body.at,
      bank: body.bank,
      user: body.user,
      enterprise: body.enterprise,
      purpose: body.purpose,
      what: body.what,
      consentId: body.consentId,
      outcome: body.outcome,
    }),
  );
}

/** Builds entry `seq` after an entry hashing to `prevHash`. */
export function chainEntry(seq: number, prevHash: string, at: Date, record: AuditRecord): AuditEntry {
  const body: AuditEntryBody = {
    seq,
    prevHash,
    at: at.toISOString(),
    bank: record.bank,
    user: record.user,
    enterprise: record.enterprise,
    purpose: record.purpose,
    what: record.what,
    consentId: record.consentId,
    outcome: record.outcome,
  };
  return { ...body, entryHash: auditEntryHash(body) };
}

/** The bytes stored for an entry (sealed by AuditRecords): its JSON. */
export function encodeAuditEntry(entry: AuditEntry): Uint8Array {
  return Buffer.from(JSON.stringify(entry), 'utf8');
}

const isText = (value: unknown): value is string => typeof value === 'string';

/** Reads stored bytes back as an entry; a string says why they are not one. */
export function decodeAuditEntry(bytes: Uint8Array): AuditEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null) return 'not an object';
  const e = value as Record<string, unknown>;
  const fieldsOk =
    typeof e.seq === 'number' &&
    Number.isInteger(e.seq) &&
    isText(e.prevHash) &&
    isText(e.at) &&
    isText(e.bank) &&
    isText(e.user) &&
    isText(e.enterprise) &&
    isText(e.purpose) &&
    isText(e.what) &&
    (e.consentId === null || isText(e.consentId)) &&
    (AUDIT_OUTCOMES as readonly unknown[]).includes(e.outcome) &&
    isText(e.entryHash);
  return fieldsOk ? (e as unknown as AuditEntry) : 'missing or mistyped fields';
}
