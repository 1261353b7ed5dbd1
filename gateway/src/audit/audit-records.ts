import { EnvelopeError, openEnvelope, sealEnvelope } from '@certhub/certs-service';
import type { Level } from 'level';

/** The sublevel of the gateway's database that holds the audit log, one sealed value per entry. */
export const AUDIT_LOG_SUBLEVEL = 'audit-log';

/** Keys are the sequence number zero-padded, so level's key order is entry order. */
const SEQ_DIGITS = 15;
const keyOf = (seq: number): string => String(seq).padStart(SEQ_DIGITS, '0');

/** One stored entry as read back: its plaintext, or why it does not open (edited bytes, moved under another key). */
export type StoredAuditRecord =
  { readonly seq: number; readonly plaintext: Uint8Array } | { readonly seq: number; readonly unreadable: string };

/**
 * Audit log entries at rest: each value is an SM4 envelope (purposes may be sensitive) whose associated data is its
 * sequence number, so an entry copied under another number no longer opens. Ordered by sequence number.
 */
export interface AuditRecords {
  put(seq: number, plaintext: Uint8Array): Promise<void>;
  /** The highest stored sequence number; 0 when the log is empty. */
  lastSeq(): Promise<number>;
  /** Entry `seq`; undefined when absent. */
  get(seq: number): Promise<StoredAuditRecord | undefined>;
  /** Every stored entry in sequence order. */
  scan(): AsyncIterable<StoredAuditRecord>;
}

export function openAuditRecords(db: Level, masterKey: Uint8Array): AuditRecords {
  const sub = db.sublevel<string, Uint8Array>(AUDIT_LOG_SUBLEVEL, { keyEncoding: 'utf8', valueEncoding: 'view' });
  const aad = (seq: number): Uint8Array => Buffer.from(`${AUDIT_LOG_SUBLEVEL}:${keyOf(seq)}`, 'utf8');
  const open = (key: string, sealed: Uint8Array): StoredAuditRecord => {
    const seq = Number(key);
    try {
      return { seq, plaintext: openEnvelope(masterKey, sealed, aad(seq)) };
    } catch (error) {
      if (error instanceof EnvelopeError) return { seq, unreadable: error.message };
      throw error;
    }
  };
  return {
    put: (seq, plaintext) => sub.put(keyOf(seq), sealEnvelope(masterKey, plaintext, aad(seq))),
    async lastSeq() {
      const [last] = await sub.keys({ reverse: true, limit: 1 }).all();
      return last === undefined ? 0 : Number(last);
    },
    async get(seq) {
      const sealed = await sub.get(keyOf(seq));
      return sealed === undefined ? undefined : open(keyOf(seq), sealed);
    },
    async *scan() {
      for await (const [key, sealed] of sub.iterator()) yield open(key, sealed);
    },
  };
}
