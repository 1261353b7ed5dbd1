import Long from 'long';
import type {
  ChaincodeProposal,
  ChaincodeResponse,
  ChaincodeStub,
  Iterators,
  SerializedIdentity,
  SplitCompositekey,
  StateQueryResponse,
  Timestamp,
} from 'fabric-shim-api';
import { LedgerError } from '../errors';
import type { CommittedState } from './committed-state';

/**
 * An in-process ChaincodeStub over the embedded ledger's level store, written to behave as fabric-shim's stub does on
 * a peer: reads see committed state only (a transaction never sees its own uncommitted writes, as on Fabric), writes
 * are buffered in a write set applied by the ledger after the chaincode succeeds, composite keys use fabric-shim's
 * encoding, history comes newest first, and one event per transaction is kept (the last setEvent wins).
 */

const COMPOSITE_KEY_NAMESPACE = '\x00';
const MIN_UNICODE_RUNE = '\u0000';
const MAX_UNICODE_RUNE = '\u{10ffff}';
/** fabric-shim replaces an empty range start with this so that composite keys (starting 0x00) stay out of simple-key ranges. */
const EMPTY_KEY_SUBSTITUTE = '\x01';
/**
 * fabric-shim's dispatch reads the tx ID twice before the contract runs (its logging prefix in
 * ChaincodeFromContract.invokeFunctionality and in the ClientIdentity constructor); any read beyond those is the
 * chaincode's own. The embedded ledger's tests pin this count with a contract that reads the tx ID.
 */
const DISPATCH_TX_ID_READS = 2;

export interface StubInvocation {
  readonly txId: string;
  readonly channelId: string;
  readonly timestamp: Date;
  readonly creator: SerializedIdentity;
  readonly args: readonly string[];
  readonly transient: ReadonlyMap<string, Uint8Array>;
  /** Evaluations may page through results; Fabric refuses paginated queries inside a submitted transaction. */
  readonly readOnly: boolean;
}

export class EmbeddedChaincodeStub implements ChaincodeStub {
  /** Buffered writes in call order; a null value is a delete. */
  readonly writeSet = new Map<string, Uint8Array | null>();
  private event: { name: string; payload: Uint8Array } | undefined;
  private txIdReads = 0;
  private timestampRead = false;
  /** The keys this transaction read (state or history) and the key ranges it scanned: Fabric's read set. */
  readonly readKeys = new Set<string>();
  readonly readRanges: (readonly [string, string])[] = [];

  constructor(
    private readonly state: CommittedState,
    private readonly invocation: StubInvocation,
  ) {}

  get emittedEvent(): { name: string; payload: Uint8Array } | undefined {
    return this.event;
  }

  /**
   * Whether the chaincode read this transaction's own context (its timestamp or tx ID): then its answer is not a
   * function of the world state alone, and the ledger must not reuse it for another evaluation.
   */
  get readTransactionContext(): boolean {
    return this.timestampRead || this.txIdReads > DISPATCH_TX_ID_READS;
  }

  /** fabric-shim's ChaincodeFromContract reads the arguments as buffers. */
  getBufferArgs(): Buffer[] {
    return this.invocation.args.map((arg) => Buffer.from(arg, 'utf8'));
  }

  getArgs(): string[] {
    return [...this.invocation.args];
  }

  getStringArgs(): string[] {
    return [...this.invocation.args];
  }

  getFunctionAndParameters(): { params: string[]; fcn: string } {
    const [fcn = '', ...params] = this.invocation.args;
    return { fcn, params };
  }

  getTxID(): string {
    this.txIdReads += 1;
    return this.invocation.txId;
  }

  getChannelID(): string {
    return this.invocation.channelId;
  }

  getCreator(): SerializedIdentity {
    return this.invocation.creator;
  }

  getMspID(): string {
    // On a peer this is the peer's own MSP; the embedded ledger acts as the submitter's peer.
    return this.invocation.creator.mspid;
  }

  getTransient(): Map<string, Uint8Array> {
    return new Map(this.invocation.transient);
  }

  getSignedProposal(): ChaincodeProposal.SignedProposal {
    throw unsupported('getSignedProposal');
  }

  getTxTimestamp(): Timestamp {
    this.timestampRead = true;
    const millis = this.invocation.timestamp.getTime();
    return { seconds: Long.fromNumber(Math.floor(millis / 1000), true), nanos: (millis % 1000) * 1_000_000 };
  }

  getDateTimestamp(): Date {
    this.timestampRead = true;
    return new Date(this.invocation.timestamp.getTime());
  }

  getBinding(): string {
    return '';
  }

  getState(key: string): Promise<Uint8Array> {
    this.readKeys.add(key);
    return Promise.resolve(this.state.get(key) ?? new Uint8Array(0));
  }

  putState(key: string, value: Uint8Array): Promise<void> {
    if (key === '') return Promise.reject(new Error('key must not be empty'));
    this.writeSet.set(key, Uint8Array.from(value));
    return Promise.resolve();
  }

  deleteState(key: string): Promise<void> {
    if (key === '') return Promise.reject(new Error('key must not be empty'));
    this.writeSet.set(key, null);
    return Promise.resolve();
  }

  setStateValidationParameter(): Promise<void> {
    return Promise.reject(unsupported('setStateValidationParameter'));
  }

  getStateValidationParameter(): Promise<Uint8Array> {
    return Promise.reject(unsupported('getStateValidationParameter'));
  }

  getStateByRange(
    startKey: string,
    endKey: string,
  ): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    try {
      validateSimpleKeys(startKey, endKey);
    } catch (error) {
      return asyncIterablePromise(Promise.reject(error as Error));
    }
    return asyncIterablePromise(
      this.rangeQuery(startKey === '' ? EMPTY_KEY_SUBSTITUTE : startKey, endKey, 0, '').then((r) => r.iterator),
    );
  }

  getStateByRangeWithPagination(
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark?: string,
  ): Promise<StateQueryResponse<Iterators.StateQueryIterator>> & AsyncIterable<Iterators.KV> {
    try {
      validateSimpleKeys(startKey, endKey);
      this.assertPaginationAllowed();
    } catch (error) {
      return asyncIterablePromise(Promise.reject(error as Error));
    }
    return asyncIterablePromise(
      this.rangeQuery(startKey === '' ? EMPTY_KEY_SUBSTITUTE : startKey, endKey, pageSize, bookmark ?? ''),
    );
  }

  getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    try {
      const start = this.createCompositeKey(objectType, attributes);
      return asyncIterablePromise(this.rangeQuery(start, start + MAX_UNICODE_RUNE, 0, '').then((r) => r.iterator));
    } catch (error) {
      return asyncIterablePromise(Promise.reject(error as Error));
    }
  }

  getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark?: string,
  ): Promise<StateQueryResponse<Iterators.StateQueryIterator>> & AsyncIterable<Iterators.KV> {
    try {
      this.assertPaginationAllowed();
      const start = this.createCompositeKey(objectType, attributes);
      return asyncIterablePromise(this.rangeQuery(start, start + MAX_UNICODE_RUNE, pageSize, bookmark ?? ''));
    } catch (error) {
      return asyncIterablePromise(Promise.reject(error as Error));
    }
  }

  getQueryResult(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    // Rich queries need CouchDB; a LevelDB peer refuses them too, so the chaincode must not rely on them.
    return asyncIterablePromise(Promise.reject(unsupported('getQueryResult')));
  }

  getQueryResultWithPagination(): Promise<StateQueryResponse<Iterators.StateQueryIterator>> &
    AsyncIterable<Iterators.KV> {
    return asyncIterablePromise(Promise.reject(unsupported('getQueryResultWithPagination')));
  }

  getHistoryForKey(key: string): Promise<Iterators.HistoryQueryIterator> & AsyncIterable<Iterators.KeyModification> {
    // A key's history changes exactly when the key is written.
    this.readKeys.add(key);
    const load = async (): Promise<Iterators.HistoryQueryIterator> => {
      const entries = await this.state.history(key);
      const modifications = entries.map((stored): Iterators.KeyModification => {
        return {
          txId: stored.txId,
          isDelete: stored.isDelete,
          value: Buffer.from(stored.value, 'base64'),
          timestamp: {
            seconds: Long.fromNumber(Math.floor(stored.timestamp / 1000), true),
            nanos: (stored.timestamp % 1000) * 1_000_000,
          },
        };
      });
      return new ListIterator(modifications);
    };
    return asyncIterablePromise(load());
  }

  invokeChaincode(): Promise<ChaincodeResponse> {
    return Promise.reject(unsupported('invokeChaincode'));
  }

  setEvent(name: string, payload: Uint8Array): void {
    if (name === '') throw new Error('Event name must be a non-empty string');
    this.event = { name, payload: Uint8Array.from(payload) };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    validateCompositeKeyAttribute(objectType);
    let key = COMPOSITE_KEY_NAMESPACE + objectType + MIN_UNICODE_RUNE;
    for (const attribute of attributes) {
      validateCompositeKeyAttribute(attribute);
      key += attribute + MIN_UNICODE_RUNE;
    }
    return key;
  }

  splitCompositeKey(compositeKey: string): SplitCompositekey {
    if (compositeKey.length > 1 && compositeKey.startsWith(COMPOSITE_KEY_NAMESPACE)) {
      const parts = compositeKey.substring(1).split(MIN_UNICODE_RUNE);
      parts.pop();
      const [objectType = '', ...attributes] = parts;
      return { objectType, attributes };
    }
    return { objectType: '', attributes: [] };
  }

  getPrivateData(): Promise<Uint8Array> {
    return Promise.reject(unsupported('getPrivateData'));
  }

  getPrivateDataHash(): Promise<Uint8Array> {
    return Promise.reject(unsupported('getPrivateDataHash'));
  }

  putPrivateData(): Promise<void> {
    return Promise.reject(unsupported('putPrivateData'));
  }

  deletePrivateData(): Promise<void> {
    return Promise.reject(unsupported('deletePrivateData'));
  }

  purgePrivateData(): Promise<void> {
    return Promise.reject(unsupported('purgePrivateData'));
  }

  setPrivateDataValidationParameter(): Promise<void> {
    return Promise.reject(unsupported('setPrivateDataValidationParameter'));
  }

  getPrivateDataValidationParameter(): Promise<Uint8Array> {
    return Promise.reject(unsupported('getPrivateDataValidationParameter'));
  }

  getPrivateDataByRange(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    return asyncIterablePromise(Promise.reject(unsupported('getPrivateDataByRange')));
  }

  getPrivateDataByPartialCompositeKey(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    return asyncIterablePromise(Promise.reject(unsupported('getPrivateDataByPartialCompositeKey')));
  }

  getPrivateDataQueryResult(): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    return asyncIterablePromise(Promise.reject(unsupported('getPrivateDataQueryResult')));
  }

  private assertPaginationAllowed(): void {
    if (!this.invocation.readOnly) {
      throw new LedgerError(
        'PAGINATION_IN_SUBMIT',
        'Paginated queries are only valid for read-only transactions (as on Fabric)',
      );
    }
  }

  /**
   * Reads committed keys in [start, end) in byte order. pageSize 0 means unbounded; otherwise at most pageSize keys
   * from the bookmark (the first key of the next page, or '' when there is none), as a LevelDB peer does.
   */
  private async rangeQuery(
    start: string,
    end: string,
    pageSize: number,
    bookmark: string,
  ): Promise<StateQueryResponse<Iterators.StateQueryIterator>> {
    // The whole range counts as read, whatever page was asked for: a superset is safe.
    this.readRanges.push([start, end]);
    const from = bookmark !== '' && bookmark > start ? bookmark : start;
    const entries = await this.state.range(from, end, pageSize > 0 ? pageSize + 1 : -1);
    const page = pageSize > 0 ? entries.slice(0, pageSize) : entries;
    const next = pageSize > 0 ? entries[pageSize] : undefined;
    const kvs = page.map(([key, value]): Iterators.KV => ({ namespace: 'certhub', key, value }));
    return {
      iterator: new ListIterator(kvs),
      metadata: { fetchedRecordsCount: kvs.length, bookmark: next === undefined ? '' : next[0] },
    };
  }
}

class ListIterator<T> implements Iterators.CommonIterator<T> {
  private index = 0;

  constructor(private readonly items: readonly T[]) {}

  next(): Promise<Iterators.NextResult<T>> {
    const item = this.items[this.index];
    if (item === undefined) return Promise.resolve({ value: undefined as unknown as T, done: true });
    this.index += 1;
    return Promise.resolve({ value: item, done: false });
  }

  close(): Promise<void> {
    this.index = this.items.length;
    return Promise.resolve();
  }
}

/**
 * fabric-shim's query methods return a promise that is also async-iterable (`for await (const kv of stub.getStateByRange…)`);
 * this gives ours the same double shape.
 */
function asyncIterablePromise<
  R extends Iterators.CommonIterator<T> | StateQueryResponse<Iterators.CommonIterator<T>>,
  T,
>(promise: Promise<R>): Promise<R> & AsyncIterable<T> {
  const iterable = promise as Promise<R> & AsyncIterable<T>;
  iterable[Symbol.asyncIterator] = async function* (): AsyncGenerator<T> {
    const resolved = await promise;
    const iterator: Iterators.CommonIterator<T> = isQueryResponse<T>(resolved) ? resolved.iterator : resolved;
    try {
      for (;;) {
        const result = await iterator.next();
        if (result.done) return;
        yield result.value;
      }
    } finally {
      await iterator.close();
    }
  };
  return iterable;
}

function isQueryResponse<T>(
  value: Iterators.CommonIterator<T> | StateQueryResponse<Iterators.CommonIterator<T>>,
): value is StateQueryResponse<Iterators.CommonIterator<T>> {
  return 'iterator' in value;
}

function validateCompositeKeyAttribute(attribute: string): void {
  if (attribute.length === 0) throw new Error('object type or attribute not a non-zero length string');
}

function validateSimpleKeys(...keys: string[]): void {
  for (const key of keys) {
    if (key.startsWith(COMPOSITE_KEY_NAMESPACE)) {
      throw new Error(`first character of the key [${key}] contains a null character which is not allowed`);
    }
  }
}

function unsupported(operation: string): LedgerError {
  return new LedgerError('UNSUPPORTED_STUB_OPERATION', `The embedded ledger does not support ${operation}`, {
    operation,
  });
}
