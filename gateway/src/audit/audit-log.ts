import { AuditLogUnavailableError } from './errors';
import {
  GENESIS_HASH,
  chainEntry,
  decodeAuditEntry,
  encodeAuditEntry,
  type AuditEntry,
  type AuditRecord,
} from './audit-entry';
import type { AuditRecords, StoredAuditRecord } from './audit-records';

/** The newest entry of a log: what gets anchored. */
export interface AuditHeadRef {
  readonly seq: number;
  readonly entryHash: string;
}

export interface AuditLogOptions {
  /** Time of each entry; tests pin it. */
  readonly clock?: () => Date;
}

/**
 * The append-only, hash-chained audit log, with one writer: appends run one after another (each needs the previous
 * entry's hash), and an entry is durable in level before `append` resolves, so a caller that waits for it never
 * serves a query the log does not hold.
 */
export class AuditLog {
  readonly #records: AuditRecords;
  readonly #clock: () => Date;
  readonly #listeners: ((entry: AuditEntry) => void)[] = [];
  #head: AuditHeadRef | null;
  #unavailable: string | null;
  /** The previous append: the next one starts when it has settled. */
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(records: AuditRecords, head: AuditHeadRef | null, unavailable: string | null, clock: () => Date) {
    this.#records = records;
    this.#head = head;
    this.#unavailable = unavailable;
    this.#clock = clock;
  }

  /** Opens the log on its records, continuing the chain after the newest stored entry. */
  static async open(records: AuditRecords, options: AuditLogOptions = {}): Promise<AuditLog> {
    const clock = options.clock ?? ((): Date => new Date());
    const lastSeq = await records.lastSeq();
    if (lastSeq === 0) return new AuditLog(records, null, null, clock);
    const stored = await records.get(lastSeq);
    const last = stored === undefined ? 'missing' : readEntry(stored);
    if (typeof last === 'string') {
      // Without the newest entry's hash, nothing can be chained after it.
      return new AuditLog(records, null, `the newest entry (${String(lastSeq)}) cannot be read: ${last}`, clock);
    }
    return new AuditLog(records, { seq: last.seq, entryHash: last.entryHash }, null, clock);
  }

  /** The newest entry's number and hash; null for an empty log. */
  get head(): AuditHeadRef | null {
    return this.#head;
  }

  /** Why the log takes no entries, or null when it does. */
  get unavailable(): string | null {
    return this.#unavailable;
  }

  /** Appends one entry after every earlier append has settled; resolves once it is stored. */
  append(record: AuditRecord): Promise<AuditEntry> {
    const run = this.#tail.then(() => this.#appendNow(record));
    // A failed append must not block the ones behind it.
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Refuses every later append (e.g. the chain anchors entries this log no longer holds). */
  markUnavailable(reason: string): void {
    this.#unavailable = reason;
  }

  /** Called after each stored entry (the anchoring counts pending entries). */
  onAppend(listener: (entry: AuditEntry) => void): void {
    this.#listeners.push(listener);
  }

  /** The stored entries in sequence order, as read back (for verification and listings). */
  scan(): AsyncIterable<StoredAuditRecord> {
    return this.#records.scan();
  }

  async #appendNow(record: AuditRecord): Promise<AuditEntry> {
    if (this.#unavailable !== null) {
      throw new AuditLogUnavailableError(`the audit log takes no entries: ${this.#unavailable}`, {
        reason: this.#unavailable,
      });
    }
    const seq = (this.#head?.seq ?? 0) + 1;
    const entry = chainEntry(seq, this.#head?.entryHash ?? GENESIS_HASH, this.#clock(), record);
    await this.#records.put(seq, encodeAuditEntry(entry));
    this.#head = { seq, entryHash: entry.entryHash };
    for (const listener of this.#listeners) listener(entry);
    return entry;
  }
}

/** A stored record as an entry, or why it is not one. */
export function readEntry(stored: StoredAuditRecord): AuditEntry | string {
  if ('unreadable' in stored) return `does not open (${stored.unreadable})`;
  const entry = decodeAuditEntry(stored.plaintext);
  if (typeof entry === 'string') return entry;
  if (entry.seq !== stored.seq) return `stored as ${String(stored.seq)} but numbered ${String(entry.seq)}`;
  return entry;
}
