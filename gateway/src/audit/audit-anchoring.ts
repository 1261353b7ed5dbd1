import { ChaincodeError } from '../ledger';
import type { AuditHeads } from './audit-head-ledger';
import type { AuditLog } from './audit-log';
import type { AnchoredHead } from './audit-verification';

export interface AuditAnchoringOptions {
  /** Anchor the head this often when entries are pending (CERTHUB_AUDIT_ANCHOR_MS). */
  readonly intervalMs: number;
  /** Anchor at once when this many entries are pending (CERTHUB_AUDIT_ANCHOR_EVERY). */
  readonly every: number;
  /** Where failures of background anchoring go (the next attempt retries). */
  readonly onError: (error: unknown) => void;
}

/**
 * Anchors the log's head on chain: every `intervalMs` if entries are pending, at once when `every` are, and on close.
 * What is anchored is read back from the chain at start, so entries written before a crash (appended but never
 * anchored) are covered by the first anchor after the restart; a log that holds fewer entries than the chain anchors
 * has lost some, and is closed to appends.
 */
export class AuditAnchoring {
  #anchoredSeq = 0;
  #timer: NodeJS.Timeout | undefined;
  /** The running or last anchor attempt; a new one starts after it. */
  #chain: Promise<unknown> = Promise.resolve();
  /** Whether an attempt is queued and not started yet (a burst of appends queues one, not one each). */
  #queued: Promise<AnchoredHead | null> | null = null;
  #closed = false;

  constructor(
    private readonly log: AuditLog,
    private readonly heads: AuditHeads,
    private readonly options: AuditAnchoringOptions,
  ) {
    log.onAppend(() => {
      if (this.pending >= this.options.every) this.anchorNow().catch(this.options.onError);
    });
  }

  /** Entries appended but not anchored yet. */
  get pending(): number {
    return Math.max(0, (this.log.head?.seq ?? 0) - this.#anchoredSeq);
  }

  get anchoredSeq(): number {
    return this.#anchoredSeq;
  }

  /** Reads the anchored head, anchors what a previous run left pending, and starts the timer. */
  async start(): Promise<void> {
    const anchored = await this.heads.latest();
    this.#anchoredSeq = anchored?.seq ?? 0;
    const held = this.log.head?.seq ?? 0;
    if (this.#anchoredSeq > held) {
      this.log.markUnavailable(
        `the chain anchors entry ${String(this.#anchoredSeq)} of log ${this.heads.logId} but only ${String(held)} are stored`,
      );
    } else if (held > this.#anchoredSeq) {
      await this.anchorNow();
    }
    this.#timer = setInterval(() => {
      if (this.pending > 0) this.anchorNow().catch(this.options.onError);
    }, this.options.intervalMs);
    // Anchoring never keeps the process alive; close() flushes.
    this.#timer.unref();
  }

  /** Anchors the current head if entries are pending; resolves with the head anchored, or null if none was due. */
  anchorNow(): Promise<AnchoredHead | null> {
    if (this.#queued !== null) return this.#queued;
    const run = this.#chain.then(() => {
      this.#queued = null;
      return this.#anchorOnce();
    });
    this.#queued = run;
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and anchors whatever is pending. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.anchorNow();
  }

  async #anchorOnce(): Promise<AnchoredHead | null> {
    const head = this.log.head;
    if (head === null || head.seq <= this.#anchoredSeq) return null;
    try {
      const anchored = await this.heads.anchor(head.seq, head.entryHash);
      this.#anchoredSeq = anchored.seq;
      return anchored;
    } catch (error) {
      // The chain is ahead of what this process believed (e.g. a submit that committed but whose answer was lost):
      // learn its head, so the next attempt anchors only what is really pending.
      if (error instanceof ChaincodeError && error.code === 'STALE_AUDIT_HEAD') {
        this.#anchoredSeq = (await this.heads.latest())?.seq ?? this.#anchoredSeq;
      }
      throw error;
    }
  }
}
