import { GENESIS_HASH, auditEntryHash, type AuditEntry } from './audit-entry';
import { readEntry } from './audit-log';
import type { StoredAuditRecord } from './audit-records';

/** A head as anchored on chain. */
export interface AnchoredHead {
  readonly seq: number;
  readonly headHash: string;
  readonly anchoredAt: string;
  readonly txId: string;
}

/**
 * What can be wrong, at the first bad entry: it does not open or parse (UNREADABLE, MALFORMED), is absent (MISSING, a
 * gap), does not link to the entry before it (BROKEN_LINK), its hash does not match its fields (HASH_MISMATCH), its hash
 * differs from the head anchored for it (ANCHOR_MISMATCH), or the log ends before the newest anchored head (TRUNCATED).
 */
export type AuditProblemKind =
  'UNREADABLE' | 'MALFORMED' | 'MISSING' | 'BROKEN_LINK' | 'HASH_MISMATCH' | 'ANCHOR_MISMATCH' | 'TRUNCATED';

export interface AuditVerification {
  readonly ok: boolean;
  /** Entries that passed every check. */
  readonly verifiedEntries: number;
  /** The highest sequence number stored. */
  readonly lastSeq: number;
  /** The newest anchored head (0 / null when nothing is anchored yet). */
  readonly anchoredSeq: number;
  readonly anchoredAt: string | null;
  /** How many anchored heads the log matched. */
  readonly anchorsChecked: number;
  readonly firstBadSeq: number | null;
  readonly problem: { readonly kind: AuditProblemKind; readonly detail: string } | null;
}

/**
 * Recomputes the chain from entry 1 and compares it with every anchored head. Each readable entry is passed to
 * `visit` with whether everything up to it verified (entries after the first bad one are shown, unverified). Entries
 * newer than the newest anchor verify only as a chain: deleting them leaves no trace until the next anchor covers the
 * log, which is why anchoring runs on a timer and after every N entries.
 */
export async function verifyAuditChain(
  records: AsyncIterable<StoredAuditRecord>,
  heads: readonly AnchoredHead[],
  visit: (entry: AuditEntry, verified: boolean) => void = () => undefined,
): Promise<AuditVerification> {
  const anchored = new Map(heads.map((h) => [h.seq, h]));
  const newest = heads.reduce<AnchoredHead | null>((a, h) => (a === null || h.seq > a.seq ? h : a), null);
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let lastSeq = 0;
  let verifiedEntries = 0;
  let anchorsChecked = 0;
  let problem: Problem | null = null;
  for await (const stored of records) {
    lastSeq = stored.seq;
    const entry = readEntry(stored);
    if (problem === null) {
      problem = checkEntry(stored, entry, expected, prevHash, anchored.get(stored.seq));
      if (problem === null && typeof entry !== 'string') {
        if (anchored.has(entry.seq)) anchorsChecked += 1;
        verifiedEntries += 1;
        prevHash = entry.entryHash;
        expected += 1;
      }
    }
    if (typeof entry !== 'string') visit(entry, problem === null);
  }
  if (problem === null && newest !== null && newest.seq > lastSeq) {
    const detail = `the chain anchors entry ${String(newest.seq)} but the log ends at ${String(lastSeq)}`;
    problem = { seq: lastSeq + 1, kind: 'TRUNCATED', detail };
  }
  return {
    ok: problem === null,
    verifiedEntries,
    lastSeq,
    anchoredSeq: newest?.seq ?? 0,
    anchoredAt: newest?.anchoredAt ?? null,
    anchorsChecked,
    firstBadSeq: problem?.seq ?? null,
    problem: problem === null ? null : { kind: problem.kind, detail: problem.detail },
  };
}

interface Problem {
  readonly seq: number;
  readonly kind: AuditProblemKind;
  readonly detail: string;
}

/** The first thing wrong with the stored entry expected at `expected`, or null when it verifies. */
function checkEntry(
  stored: StoredAuditRecord,
  entry: AuditEntry | string,
  expected: number,
  prevHash: string,
  head: AnchoredHead | undefined,
): Problem | null {
  const seq = stored.seq;
  if (seq !== expected) {
    return {
      seq: expected,
      kind: 'MISSING',
      detail: `entry ${String(expected)} is missing (the next stored is ${String(seq)})`,
    };
  }
  if (typeof entry === 'string') {
    return { seq, kind: 'unreadable' in stored ? 'UNREADABLE' : 'MALFORMED', detail: `entry ${String(seq)} ${entry}` };
  }
  if (entry.prevHash !== prevHash) {
    return {
      seq,
      kind: 'BROKEN_LINK',
      detail: `entry ${String(seq)} does not follow entry ${String(seq - 1)} as stored`,
    };
  }
  if (auditEntryHash(entry) !== entry.entryHash) {
    return { seq, kind: 'HASH_MISMATCH', detail: `entry ${String(seq)} was changed after it was written` };
  }
  if (head !== undefined && head.headHash !== entry.entryHash) {
    return {
      seq,
      kind: 'ANCHOR_MISMATCH',
      detail: `entry ${String(seq)} differs from the head anchored in tx ${head.txId}`,
    };
  }
  return null;
}
