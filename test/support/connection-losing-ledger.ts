import {
  LedgerError,
  type EventsOptions,
  type Ledger,
  type LedgerIdentity,
  type SubmitResult,
  type TransactionRequest,
} from '@certhub/gateway/dist/ledger';

/**
 * Where a lost connection strikes: before the transaction reaches the ledger (nothing is committed), or after it
 * committed (the answer is lost, as if the process stopped right after submitting).
 */
export type ConnectionLoss = 'before-commit' | 'after-commit';

/**
 * A hand-written fake Ledger for the failures retries and resumes must survive: it passes everything to `inner`
 * except the submissions of one chaincode function it was told to lose, which fail with LEDGER_CLOSED.
 */
export class ConnectionLosingLedger implements Ledger {
  private armed: { fn: string; loss: ConnectionLoss; remaining: number } | undefined;

  constructor(private readonly inner: Ledger) {}

  /** Loses the next `times` submissions of `fn` (once by default; `Infinity` until `restore`). */
  loseNext(fn: string, loss: ConnectionLoss, times = 1): this {
    this.armed = { fn, loss, remaining: times };
    return this;
  }

  /** The connection is back: every submission reaches the ledger again. */
  restore(): void {
    this.armed = undefined;
  }

  async submit(identity: LedgerIdentity, request: TransactionRequest): Promise<SubmitResult> {
    const armed = this.armed;
    if (armed === undefined || request.fn !== armed.fn) return this.inner.submit(identity, request);
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.armed = undefined;
    if (armed.loss === 'after-commit') await this.inner.submit(identity, request);
    throw new LedgerError(
      'LEDGER_CLOSED',
      `connection lost ${armed.loss === 'after-commit' ? 'after' : 'before'} commit`,
    );
  }

  evaluate(identity: LedgerIdentity, request: TransactionRequest): Promise<Uint8Array> {
    return this.inner.evaluate(identity, request);
  }

  events(options?: EventsOptions): ReturnType<Ledger['events']> {
    return this.inner.events(options);
  }

  history(options?: { readonly startBlock?: number }): ReturnType<Ledger['history']> {
    return this.inner.history(options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
