import type { TransactionRequest } from '../ledger';

/** Bounds of the cache: entries and payload bytes (a credit profile answer alone can be most of a megabyte). */
export const EVALUATION_CACHE_ENTRIES = 10_000;
export const EVALUATION_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Answers of read-only evaluations, remembered while the world state they were read from is unchanged. An evaluation
 * is a deterministic function of (caller identity, contract, function, arguments, world state, transaction context);
 * the ledger only caches evaluations that did not read the transaction context (timestamp, tx ID) and sent no transient
 * data, and keys them by identity, contract, function and arguments. The world state is named by the committed
 * state's version, which changes with every ordered transaction's writes (and with a failed block write that takes
 * them back), so a remembered answer is exactly what running the chaincode again would return; a new version empties
 * the cache. Verification reads the same registry records and anchors over and over between writes, and each
 * evaluation through fabric-shim's dispatch costs about as much as the HTTP request around it.
 */
export class EvaluationCache {
  readonly #entries = new Map<string, Uint8Array>();
  #bytes = 0;
  #stateVersion = -1;

  constructor(
    private readonly maxEntries = EVALUATION_CACHE_ENTRIES,
    private readonly maxBytes = EVALUATION_CACHE_BYTES,
  ) {}

  /** The key of a request by an identity, or undefined when the request carries transient data (never cached). */
  static keyOf(mspId: string, creatorHash: string, request: TransactionRequest): string | undefined {
    if (request.transient !== undefined && Object.keys(request.transient).length > 0) return undefined;
    return JSON.stringify([mspId, creatorHash, request.contract, request.fn, request.args ?? []]);
  }

  /** The remembered payload for `key` read at `stateVersion`, or undefined. */
  get(key: string, stateVersion: number): Uint8Array | undefined {
    this.#follow(stateVersion);
    const payload = this.#entries.get(key);
    if (payload !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry as the most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, payload);
    }
    return payload;
  }

  /** Remembers the payload of an evaluation that ran entirely at `stateVersion`. */
  set(key: string, stateVersion: number, payload: Uint8Array): void {
    this.#follow(stateVersion);
    if (payload.byteLength > this.maxBytes / 16) return;
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#bytes -= previous.byteLength;
    }
    this.#entries.set(key, payload);
    this.#bytes += payload.byteLength;
    for (const [oldest, value] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= value.byteLength;
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  #follow(stateVersion: number): void {
    if (stateVersion === this.#stateVersion) return;
    this.#entries.clear();
    this.#bytes = 0;
    this.#stateVersion = stateVersion;
  }
}
