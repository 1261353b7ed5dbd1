import type { TransactionRequest } from '../ledger';

/** Bounds of the cache: entries and payload bytes (a credit profile answer alone can be most of a megabyte). */
export const EVALUATION_CACHE_ENTRIES = 10_000;
export const EVALUATION_CACHE_BYTES = 64 * 1024 * 1024;
/** How many recent write sets are kept to check answers computed while transactions committed. */
const WRITE_LOG_LENGTH = 1024;

/**
 * What an evaluation read: state keys (a history read counts as a read of its key, whose writes are what change
 * it) and key ranges [start, end), an empty end meaning unbounded, in level's order (UTF-8 bytes).
 */
export interface ReadSet {
  readonly keys: ReadonlySet<string>;
  readonly ranges: readonly (readonly [string, string])[];
}

interface Entry {
  readonly payload: Uint8Array;
  readonly keys: ReadonlySet<string>;
  readonly ranges: readonly (readonly [Buffer, Buffer | undefined])[];
}

/**
 * Answers of read-only evaluations, each remembered until a transaction writes something it read. An evaluation is a
 * deterministic function of (caller identity, contract, function, arguments, the state it read, transaction context);
 * the ledger only caches evaluations that did not read the transaction context (timestamp, tx ID) and sent no transient
 * data, and keys them by identity, contract, function and arguments. Each answer carries the keys and ranges it read,
 * Fabric's read set: a staged write to one of those keys (or into one of those ranges), or the withdrawal of staged
 * writes when their block cannot be written, forgets it, so a remembered answer is exactly what running the chaincode
 * again would return. Writes elsewhere leave it be: a clerk issuing licenses does not flush the registry records and
 * anchors that verifications of other licenses keep reading, and each evaluation through fabric-shim's dispatch costs
 * about as much as the HTTP request around it.
 */
export class EvaluationCache {
  readonly #entries = new Map<string, Entry>();
  /** State key → the entries that read it. */
  readonly #readers = new Map<string, Set<string>>();
  /** Entries that read a range (checked against every write; few are cached in practice). */
  readonly #rangeReaders = new Set<string>();
  #bytes = 0;
  /** Write sets seen so far, and the most recent of them (sequence, keys). */
  #sequence = 0;
  readonly #writeLog: { readonly sequence: number; readonly keys: readonly string[] }[] = [];

  constructor(
    private readonly maxEntries = EVALUATION_CACHE_ENTRIES,
    private readonly maxBytes = EVALUATION_CACHE_BYTES,
  ) {}

  /** The key of a request by an identity, or undefined when the request carries transient data (never cached). */
  static keyOf(mspId: string, creatorHash: string, request: TransactionRequest): string | undefined {
    if (request.transient !== undefined && Object.keys(request.transient).length > 0) return undefined;
    return JSON.stringify([mspId, creatorHash, request.contract, request.fn, request.args ?? []]);
  }

  /** Counts write sets; an evaluation notes it before it reads anything and hands it back to `set`. */
  get sequence(): number {
    return this.#sequence;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Keys whose state just changed: a transaction's writes were staged, or staged writes were taken back. */
  written(keys: readonly string[]): void {
    this.#sequence += 1;
    this.#writeLog.push({ sequence: this.#sequence, keys });
    if (this.#writeLog.length > WRITE_LOG_LENGTH) this.#writeLog.shift();
    for (const key of keys) {
      const readers = this.#readers.get(key);
      if (readers !== undefined) for (const reader of [...readers]) this.#forget(reader);
    }
    if (this.#rangeReaders.size > 0) {
      const written = keys.map((key) => Buffer.from(key, 'utf8'));
      for (const reader of [...this.#rangeReaders]) {
        const entry = this.#entries.get(reader);
        if (entry !== undefined && written.some((key) => inAnyRange(key, entry.ranges))) this.#forget(reader);
      }
    }
  }

  /** The remembered payload for `key`, or undefined. */
  get(key: string): Uint8Array | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry as the most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.payload;
  }

  /**
   * Remembers the payload of an evaluation that began when `sequence` write sets had been seen and read `reads`,
   * unless a write set seen since touched what it read (or is too old to tell).
   */
  set(key: string, sequence: number, payload: Uint8Array, reads: ReadSet): void {
    if (payload.byteLength > this.maxBytes / 16) return;
    const ranges = reads.ranges.map(
      ([start, end]) => [Buffer.from(start, 'utf8'), end === '' ? undefined : Buffer.from(end, 'utf8')] as const,
    );
    if (sequence !== this.#sequence) {
      const oldest = this.#writeLog[0]?.sequence;
      if (oldest === undefined || oldest > sequence + 1) return;
      for (const write of this.#writeLog) {
        if (write.sequence <= sequence) continue;
        for (const written of write.keys) {
          if (reads.keys.has(written) || inAnyRange(Buffer.from(written, 'utf8'), ranges)) return;
        }
      }
    }
    this.#forget(key);
    const entry: Entry = { payload, keys: new Set(reads.keys), ranges };
    this.#entries.set(key, entry);
    this.#bytes += payload.byteLength;
    for (const read of entry.keys) {
      let readers = this.#readers.get(read);
      if (readers === undefined) {
        readers = new Set();
        this.#readers.set(read, readers);
      }
      readers.add(key);
    }
    if (ranges.length > 0) this.#rangeReaders.add(key);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#forget(oldest);
    }
  }

  #forget(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.payload.byteLength;
    for (const read of entry.keys) {
      const readers = this.#readers.get(read);
      readers?.delete(key);
      if (readers?.size === 0) this.#readers.delete(read);
    }
    this.#rangeReaders.delete(key);
  }
}

function inAnyRange(key: Buffer, ranges: readonly (readonly [Buffer, Buffer | undefined])[]): boolean {
  return ranges.some(
    ([start, end]) => Buffer.compare(key, start) >= 0 && (end === undefined || Buffer.compare(key, end) < 0),
  );
}
