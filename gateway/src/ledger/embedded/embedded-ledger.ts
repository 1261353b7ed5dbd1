import { randomBytes } from 'node:crypto';
import ChaincodeFromContract from 'fabric-shim/lib/contract-spi/chaincodefromcontract';
import { JSONSerializer } from 'fabric-contract-api';
import { sm3Hex } from '@certhub/certs-service';
import type {
  CommittedTransaction,
  EventStream,
  EventsOptions,
  Ledger,
  LedgerEvent,
  LedgerIdentity,
  SubmitResult,
  TransactionRequest,
} from '../ledger';
import { LedgerError, chaincodeErrorFromMessage } from '../errors';
import { cutBlock, type Block, type BlockTransaction } from './blocks';
import { IdentityValidator, type LedgerOrganization } from './identity';
import { EmbeddedChaincodeStub } from './stub';
import {
  TIP_KEY,
  blockKey,
  decodeJson,
  encodeJson,
  encodeVersioned,
  historyKey,
  openStore,
  type LedgerStore,
  type StoredModification,
} from './store';
import { EventHub } from './event-hub';
import { installCertificateParseCache } from './certificate-parse-cache';
import { CommittedState } from './committed-state';
import { EvaluationCache } from './evaluation-cache';
import { configureChaincodeLogging, type ChaincodeLogging } from './fabric-logging';

/** How long simulations may run back to back before letting the event loop (block writes, I/O) in. */
const YIELD_INTERVAL_MS = 5;

export interface EmbeddedLedgerOptions {
  /** Directory of the level database (created if missing). */
  readonly dataDir: string;
  /** The contract classes to run (the chaincode's `contracts` export). */
  readonly contracts: readonly (new () => object)[];
  /** The MSPs whose members may call, with their CA certificates. */
  readonly organizations: readonly LedgerOrganization[];
  readonly channelId?: string;
  /** Source of tx timestamps; injectable so tests can pin time (certificate validity, expiry). */
  readonly clock?: () => Date;
  /** At most this many transactions per block (default 500); a block holds whatever committed while the last one was written. */
  readonly maxTransactionsPerBlock?: number;
  /** Logging of the in-process chaincode dispatch (default off: failures reach the caller as typed errors). */
  readonly chaincodeLogging?: ChaincodeLogging;
}

/** A transaction that simulated successfully and is ordered, waiting for its block to reach disk. */
interface CommittedTransactionPending {
  readonly transaction: BlockTransaction;
  readonly writes: readonly (readonly [string, Uint8Array | null])[];
  readonly payload: Uint8Array;
  readonly timestamp: Date;
  resolve(result: SubmitResult): void;
  reject(error: unknown): void;
}

/**
 * The default ledger backend: the chaincode's own contract classes dispatched by fabric-shim's ChaincodeFromContract
 * over an in-process stub, with world state, history and SM3-chained blocks in level. Submissions are simulated one
 * at a time against committed state (so there are no MVCC conflicts to report); a successful one is ordered at once
 * and its writes are visible to the next simulation, while blocks are cut from whatever committed during the previous
 * block's write and each block is written in one atomic level batch (group commit). A submit resolves only once its
 * block is on disk.
 */
export class EmbeddedLedger implements Ledger {
  private readonly chaincode: ChaincodeFromContract;
  private readonly identities: IdentityValidator;
  private readonly events_ = new EventHub();
  private readonly clock: () => Date;
  private readonly channelId: string;
  private readonly state: CommittedState;
  private readonly evaluations = new EvaluationCache();
  private readonly maxTransactionsPerBlock: number;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly ordered: CommittedTransactionPending[] = [];
  private flushing: Promise<void> | undefined;
  private failure: unknown;
  private closed = false;
  private lastYield = performance.now();

  private constructor(
    private readonly store: LedgerStore,
    private tip: Block,
    options: EmbeddedLedgerOptions,
  ) {
    this.chaincode = new ChaincodeFromContract(
      [...options.contracts],
      { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } },
      {},
      'certhub',
      '0.1.0',
    );
    configureChaincodeLogging(options.chaincodeLogging ?? 'off');
    this.identities = new IdentityValidator(options.organizations);
    this.state = new CommittedState(store);
    this.maxTransactionsPerBlock = options.maxTransactionsPerBlock ?? 500;
    this.clock = options.clock ?? ((): Date => new Date());
    this.channelId = options.channelId ?? 'certhub';
  }

  static async open(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
    installCertificateParseCache();
    const store = openStore(options.dataDir);
    await store.db.open();
    const tipBytes = await store.meta.get(TIP_KEY);
    let tip: Block;
    if (tipBytes === undefined) {
      tip = cutBlock(undefined, [], 0);
      await store.db.batch([
        { type: 'put', sublevel: store.blocks, key: blockKey(0), value: encodeJson(tip) },
        { type: 'put', sublevel: store.meta, key: TIP_KEY, value: encodeJson({ number: 0 }) },
      ]);
    } else {
      const { number } = decodeJson(tipBytes) as { number: number };
      const blockBytes = await store.blocks.get(blockKey(number));
      if (blockBytes === undefined)
        throw new LedgerError('LEDGER_CORRUPT', `Tip block ${number} is missing`, { blockNumber: number });
      tip = decodeJson(blockBytes) as Block;
    }
    return new EmbeddedLedger(store, tip, options);
  }

  get height(): number {
    return this.tip.number + 1;
  }

  submit(identity: LedgerIdentity, request: TransactionRequest): Promise<SubmitResult> {
    this.assertOpen();
    // Simulations run one after another; the queue holds only the simulation, not the wait for the block to land.
    const simulated = this.queue.then(() => this.simulateAndCommit(identity, request));
    this.queue = simulated.catch(() => undefined);
    return simulated.then((ordered) => ordered.persisted);
  }

  async evaluate(identity: LedgerIdentity, request: TransactionRequest): Promise<Uint8Array> {
    this.assertOpen();
    const timestamp = this.clock();
    // The identity is checked on every evaluation, answered from the cache or not.
    const creatorHash = this.identities.validate(identity, timestamp);
    const key = EvaluationCache.keyOf(identity.mspId, creatorHash, request);
    const sequence = this.evaluations.sequence;
    const remembered = key === undefined ? undefined : this.evaluations.get(key);
    // A copy: the caller owns what it is given, and must not be able to change a remembered answer.
    if (remembered !== undefined) return Uint8Array.from(remembered);
    const { stub, txId } = this.proposal(identity, request, true, timestamp, creatorHash);
    const response = await this.chaincode.Invoke(stub);
    if (response.status !== 200) throw chaincodeErrorFromMessage(response.message ?? '', txId);
    const payload = response.payload ?? new Uint8Array(0);
    // Remembered if the answer depends on the state alone, with what it read, unless a transaction committed while
    // the chaincode read (range and history reads wait for pending blocks) and wrote something it read.
    if (key !== undefined && !stub.readTransactionContext) {
      this.evaluations.set(key, sequence, Uint8Array.from(payload), { keys: stub.readKeys, ranges: stub.readRanges });
    }
    return payload;
  }

  events(options: EventsOptions = {}): EventStream {
    this.assertOpen();
    const replayUpTo = this.tip.number;
    const stream = this.events_.subscribe(replayUpTo);
    if (options.startBlock !== undefined) {
      const start = options.startBlock;
      stream.replay(this.readEvents(start, replayUpTo));
    } else {
      stream.replay(Promise.resolve([]));
    }
    return stream;
  }

  async history(options: { readonly startBlock?: number } = {}): Promise<CommittedTransaction[]> {
    this.assertOpen();
    const blocks = await this.readBlocks(options.startBlock ?? 0, this.tip.number);
    return blocks.flatMap((block) =>
      block.transactions.map((tx): CommittedTransaction => ({
        blockNumber: block.number,
        txId: tx.txId,
        timestamp: new Date(tx.timestamp),
        mspId: tx.mspId,
        contract: tx.contract,
        fn: tx.fn,
        eventName: tx.event?.name ?? null,
      })),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.flushing;
    this.events_.closeAll();
    await this.store.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new LedgerError('LEDGER_CLOSED', 'The ledger is closed');
    if (this.failure !== undefined) {
      throw new LedgerError(
        'LEDGER_CORRUPT',
        'A block could not be written; reopen the ledger',
        {},
        { cause: this.failure },
      );
    }
  }

  private proposal(
    identity: LedgerIdentity,
    request: TransactionRequest,
    readOnly: boolean,
    timestamp: Date,
    creatorHash: string,
  ): { stub: EmbeddedChaincodeStub; txId: string } {
    // As on Fabric, the tx ID is a hash of a fresh nonce and the creator, so it is unique and unpredictable.
    const txId = sm3Hex(Buffer.concat([randomBytes(24), Buffer.from(`${identity.mspId}:${creatorHash}`)]));
    const transient = new Map(Object.entries(request.transient ?? {}));
    const stub = new EmbeddedChaincodeStub(this.state, {
      txId,
      channelId: this.channelId,
      timestamp,
      creator: { mspid: identity.mspId, idBytes: Buffer.from(identity.certificatePem, 'utf8') },
      args: [`${request.contract}:${request.fn}`, ...(request.args ?? [])],
      transient,
      readOnly,
    });
    return { stub, txId };
  }

  private async simulateAndCommit(
    identity: LedgerIdentity,
    request: TransactionRequest,
  ): Promise<{ persisted: Promise<SubmitResult> }> {
    // Simulations hardly ever wait on I/O (point reads are synchronous), so a long queue would run as one chain of
    // microtasks and starve everything else in the process: block writes completing, HTTP requests. Yield to the event
    // loop every few milliseconds; yielding per transaction would cut a block per transaction and cost throughput.
    if (performance.now() - this.lastYield > YIELD_INTERVAL_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = performance.now();
    }
    this.assertOpen();
    const timestamp = this.clock();
    const creatorHash = this.identities.validate(identity, timestamp);
    const { stub, txId } = this.proposal(identity, request, false, timestamp, creatorHash);
    const response = await this.chaincode.Invoke(stub);
    // A failed simulation never reaches the orderer on Fabric: nothing is written, no block is cut.
    if (response.status !== 200) throw chaincodeErrorFromMessage(response.message ?? '', txId);
    const payload = response.payload ?? new Uint8Array(0);

    const writes = [...stub.writeSet.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const event = stub.emittedEvent;
    const transaction: BlockTransaction = {
      txId,
      timestamp: timestamp.getTime(),
      mspId: identity.mspId,
      creatorHash,
      contract: request.contract,
      fn: request.fn,
      argsHash: sm3Hex(JSON.stringify(request.args ?? [])),
      writes: writes.map(([key, value]) => ({ key, valueHash: value === null ? null : sm3Hex(value) })),
      event: event === undefined ? null : { name: event.name, payload: Buffer.from(event.payload).toString('base64') },
    };
    // Ordered from here: later simulations see these writes; the caller hears back once the block is on disk.
    this.state.stage(writes);
    this.evaluations.written(writes.map(([key]) => key));
    const persisted = new Promise<SubmitResult>((resolve, reject) => {
      this.ordered.push({ transaction, writes, payload, timestamp, resolve, reject });
    });
    this.flushing ??= this.flush();
    return { persisted };
  }

  /** Cuts and writes blocks until nothing is waiting; each block is one atomic level batch. */
  private async flush(): Promise<void> {
    try {
      while (this.ordered.length > 0 && this.failure === undefined) {
        const group = this.ordered.splice(0, this.maxTransactionsPerBlock);
        const last = group[group.length - 1];
        const block = cutBlock(
          this.tip,
          group.map((p) => p.transaction),
          last?.transaction.timestamp ?? 0,
        );
        try {
          await this.store.db.batch([
            ...group.flatMap((p, txIndex) => this.writeOperations(p, { blockNumber: block.number, txIndex })),
            { type: 'put', sublevel: this.store.blocks, key: blockKey(block.number), value: encodeJson(block) },
            { type: 'put', sublevel: this.store.meta, key: TIP_KEY, value: encodeJson({ number: block.number }) },
          ]);
        } catch (error) {
          this.failure = error;
          for (const p of [...group, ...this.ordered.splice(0)]) {
            this.state.settle(p.writes, false);
            this.evaluations.written(p.writes.map(([key]) => key));
            p.reject(
              new LedgerError(
                'LEDGER_CORRUPT',
                'The block could not be written',
                { blockNumber: block.number },
                { cause: error },
              ),
            );
          }
          return;
        }
        this.tip = block;
        for (const p of group) {
          this.state.settle(p.writes, true);
          p.resolve({
            txId: p.transaction.txId,
            blockNumber: block.number,
            timestamp: p.timestamp,
            payload: p.payload,
          });
        }
        this.events_.publish(eventsOf(block));
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private writeOperations(p: CommittedTransactionPending, version: { blockNumber: number; txIndex: number }) {
    const { state, history } = this.store;
    return p.writes.flatMap(([key, value]) => {
      const modification: StoredModification = {
        txId: p.transaction.txId,
        timestamp: p.transaction.timestamp,
        isDelete: value === null,
        value: value === null ? '' : Buffer.from(value).toString('base64'),
      };
      const historyOp = {
        type: 'put' as const,
        sublevel: history,
        key: historyKey(key, version),
        value: encodeJson(modification),
      };
      return value === null
        ? [{ type: 'del' as const, sublevel: state, key }, historyOp]
        : [{ type: 'put' as const, sublevel: state, key, value: encodeVersioned(version, value) }, historyOp];
    });
  }

  private async readBlocks(from: number, to: number): Promise<Block[]> {
    if (from > to) return [];
    const values = await this.store.blocks.values({ gte: blockKey(from), lte: blockKey(to) }).all();
    return values.map((bytes) => decodeJson(bytes) as Block);
  }

  private async readEvents(from: number, to: number): Promise<LedgerEvent[]> {
    return (await this.readBlocks(from, to)).flatMap(eventsOf);
  }
}

function eventsOf(block: Block): LedgerEvent[] {
  return block.transactions.flatMap((tx) =>
    tx.event === null
      ? []
      : [
          {
            blockNumber: block.number,
            txId: tx.txId,
            timestamp: new Date(tx.timestamp),
            name: tx.event.name,
            payload: Buffer.from(tx.event.payload, 'base64'),
          },
        ],
  );
}
