import type { Stamp } from './registry';

/**
 * The anchored head of an off-chain, hash-chained audit log (issue 6: banks' detailed credit queries). The gateway
 * that keeps log `logId` periodically anchors the sequence number and entry hash of its newest entry; a verifier
 * recomputes the chain and compares it with every head anchored here, so an edited, deleted or truncated entry shows.
 * One key per log, rewritten by each anchor: the key's history is the list of heads.
 */
export interface AuditHead {
  readonly logId: string;
  /** Sequence number of the newest entry covered (entries are numbered from 1). */
  readonly seq: number;
  /** SM3 hex of that entry (its entryHash, which chains every earlier entry). */
  readonly headHash: string;
  /** The seq of the head this one replaced; null for the first. */
  readonly previousSeq: number | null;
  /** The identity that keeps the log: fixed by the first anchor, so no one else can extend it. */
  readonly writer: { readonly mspId: string; readonly actor: string };
  readonly anchored: Stamp;
}
