import type { EventStream, LedgerEvent } from '../ledger';

/**
 * Fans committed events out to subscribers. A subscriber first receives the replayed events (blocks up to the tip at
 * the moment it subscribed), then the live ones from later blocks, so nothing is lost or delivered twice.
 */
export class EventHub {
  private readonly subscribers = new Set<Subscription>();

  subscribe(replayUpTo: number): Subscription {
    const subscription = new Subscription(replayUpTo, () => this.subscribers.delete(subscription));
    this.subscribers.add(subscription);
    return subscription;
  }

  publish(events: readonly LedgerEvent[]): void {
    for (const subscriber of this.subscribers) subscriber.push(events);
  }

  closeAll(): void {
    for (const subscriber of [...this.subscribers]) subscriber.close();
  }
}

export class Subscription implements EventStream {
  private readonly live: LedgerEvent[] = [];
  private replayed: LedgerEvent[] | undefined;
  private replayError: Error | undefined;
  private waiting: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly replayUpTo: number,
    private readonly onClose: () => void,
  ) {}

  replay(events: Promise<LedgerEvent[]>): void {
    events.then(
      (list) => {
        this.replayed = list;
        this.wake();
      },
      (error: unknown) => {
        this.replayError = error instanceof Error ? error : new Error(String(error));
        this.replayed = [];
        this.wake();
      },
    );
  }

  push(events: readonly LedgerEvent[]): void {
    if (this.closed) return;
    this.live.push(...events.filter((event) => event.blockNumber > this.replayUpTo));
    this.wake();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<LedgerEvent> {
    while (this.replayed === undefined && !this.closed) await this.sleep();
    if (this.replayError !== undefined) throw this.replayError;
    for (const event of this.replayed ?? []) {
      if (this.closed) return;
      yield event;
    }
    for (;;) {
      const next = this.live.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
