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
}

/**
 * The default ledger backend: the chaincode's own contract classes dispatched by fabric-shim's ChaincodeFromContract
 * over an in-process stub, with world state, history and SM3-chained blocks in level. Submissions are simulated and
 * committed one at a time, each as its own block, in one atomic level batch.
 */
export class EmbeddedLedger implements Ledger {
  private readonly chaincode: ChaincodeFromContract;
  private readonly identities: IdentityValidator;
  private readonly events_ = new EventHub();
  private readonly clock: () => Date;
  private readonly channelId: string;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

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
    this.identities = new IdentityValidator(options.organizations);
    this.clock = options.clock ?? ((): Date => new Date());
    this.channelId = options.channelId ?? 'certhub';
  }

  static async open(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
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
    const run = this.queue.then(() => this.simulateAndCommit(identity, request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async evaluate(identity: LedgerIdentity, request: TransactionRequest): Promise<Uint8Array> {
    this.assertOpen();
    const { stub, txId } = this.proposal(identity, request, true);
    const response = await this.chaincode.Invoke(stub);
    if (response.status !== 200) throw chaincodeErrorFromMessage(response.message ?? '', txId);
    return response.payload ?? new Uint8Array(0);
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
    this.events_.closeAll();
    await this.store.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new LedgerError('LEDGER_CLOSED', 'The ledger is closed');
  }

  private proposal(
    identity: LedgerIdentity,
    request: TransactionRequest,
    readOnly: boolean,
  ): { stub: EmbeddedChaincodeStub; txId: string; timestamp: Date } {
    const timestamp = this.clock();
    this.identities.validate(identity, timestamp);
    // As on Fabric, the tx ID is a hash of a fresh nonce and the creator, so it is unique and unpredictable.
    const txId = sm3Hex(
      Buffer.concat([randomBytes(24), Buffer.from(identity.mspId), Buffer.from(identity.certificatePem)]),
    );
    const transient = new Map(Object.entries(request.transient ?? {}));
    const stub = new EmbeddedChaincodeStub(this.store, {
      txId,
      channelId: this.channelId,
      timestamp,
      creator: { mspid: identity.mspId, idBytes: Buffer.from(identity.certificatePem, 'utf8') },
      args: [`${request.contract}:${request.fn}`, ...(request.args ?? [])],
      transient,
      readOnly,
    });
    return { stub, txId, timestamp };
  }

  private async simulateAndCommit(identity: LedgerIdentity, request: TransactionRequest): Promise<SubmitResult> {
    this.assertOpen();
    const { stub, txId, timestamp } = this.proposal(identity, request, false);
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
      creatorHash: sm3Hex(identity.certificatePem),
      contract: request.contract,
      fn: request.fn,
      argsHash: sm3Hex(JSON.stringify(request.args ?? [])),
      writes: writes.map(([key, value]) => ({ key, valueHash: value === null ? null : sm3Hex(value) })),
      event: event === undefined ? null : { name: event.name, payload: Buffer.from(event.payload).toString('base64') },
    };
    const block = cutBlock(this.tip, [transaction], timestamp.getTime());
    const version = { blockNumber: block.number, txIndex: 0 };

    const { state, history, blocks, meta } = this.store;
    const operations = writes.flatMap(([key, value]) => {
      const modification: StoredModification = {
        txId,
        timestamp: timestamp.getTime(),
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
    await this.store.db.batch([
      ...operations,
      { type: 'put', sublevel: blocks, key: blockKey(block.number), value: encodeJson(block) },
      { type: 'put', sublevel: meta, key: TIP_KEY, value: encodeJson({ number: block.number }) },
    ]);
    this.tip = block;
    this.events_.publish(eventsOf(block));
    return { txId, blockNumber: block.number, timestamp, payload };
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
