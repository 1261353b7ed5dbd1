import { compareKeys } from './key-order';
import { decodeJson, decodeVersioned, historyPrefix, type LedgerStore, type StoredModification } from './store';

/** Range results remembered at most (each up to MAX_REMEMBERED_RANGE entries), dropped all at once when full. */
const MAX_REMEMBERED_RANGES = 1024;
const MAX_REMEMBERED_RANGE = 5_000;

/**
 * What simulations read: the committed world state. Transactions are committed (ordered, their writes final) before
 * their block reaches disk, so the next simulation can start while the previous block is being written (group commit);
 * their writes wait in `pending` until the batch lands. Point reads are also served from a bounded cache of persisted
 * values (registry records are read by every anchor). A range read the first time waits for pending writes to land,
 * then reads level; its result is remembered and kept current: each committed write that falls inside a remembered
 * unbounded range is applied to it (inserted, replaced or removed in key order), so an enterprise's index of 1,000
 * credit records is not read from level again because one record was added. Values are shared, not copied:
 * chaincode treats what it reads as read-only.
 */
export class CommittedState {
  private readonly pending = new Map<string, Uint8Array | null>();
  private readonly cache = new Map<string, Uint8Array | null>();
  private readonly ranges = new RememberedRanges();
  private idleWaiters: (() => void)[] = [];
  private inFlight = 0;
  /**
   * Names the state that reads see: it changes whenever that state does (a transaction's writes staged, or taken back
   * because their block could not be written), and not when staged writes merely reach disk.
   */
  private version_ = 0;

  constructor(
    private readonly store: LedgerStore,
    private readonly cacheLimit = 200_000,
  ) {}

  get(key: string): Uint8Array | undefined {
    if (this.pending.has(key)) return this.pending.get(key) ?? undefined;
    if (this.cache.has(key)) return this.cache.get(key) ?? undefined;
    // A synchronous LevelDB read: served from LevelDB's own block cache or the OS page cache in microseconds, where an
    // async get costs a thread-pool round trip per key. It sees either side of an in-flight batch, and the pending
    // map already holds that batch's writes, so the answer is the committed value either way.
    const stored = this.store.state.getSync(key);
    const value = stored === undefined ? null : decodeVersioned(stored).value;
    this.remember(key, value);
    return value ?? undefined;
  }

  async range(gte: string, lt: string, limit: number): Promise<[string, Uint8Array][]> {
    const key = JSON.stringify([gte, lt, limit]);
    // A remembered range is current (stage() applies every write to it), pending writes included, like point reads.
    const known = this.ranges.get(key);
    if (known !== undefined) return [...known.entries];
    await this.idle();
    // Level holds exactly the committed state only while nothing is pending: remember what was read only if no write
    // was staged while reading (the version names the state, see version_).
    const version = this.version_;
    const range = lt === '' ? { gte } : { gte, lt };
    const stored = await this.store.state.iterator({ ...range, limit }).all();
    const entries = stored.map(([k, bytes]): [string, Uint8Array] => [k, decodeVersioned(bytes).value]);
    if (this.inFlight === 0 && version === this.version_ && entries.length <= MAX_REMEMBERED_RANGE) {
      if (this.ranges.size >= MAX_REMEMBERED_RANGES) this.ranges.clear();
      this.ranges.set(key, { gte, lt, limit, entries });
    }
    return [...entries];
  }

  /** A key's modifications, newest first (Fabric 2.x order). */
  async history(key: string): Promise<StoredModification[]> {
    await this.idle();
    const prefix = historyPrefix(key);
    const values = await this.store.history.values({ gte: prefix, lt: `${prefix}\uffff`, reverse: true }).all();
    return values.map((bytes) => decodeJson(bytes) as StoredModification);
  }

  /** A committed transaction's writes become visible to later simulations at once. */
  stage(writes: readonly (readonly [string, Uint8Array | null])[]): void {
    this.inFlight += 1;
    this.version_ += 1;
    for (const [key, value] of writes) this.pending.set(key, value);
    this.applyToRanges(writes);
  }

  /** Its batch landed (or failed): move the writes from pending to the cache, or drop them. */
  settle(writes: readonly (readonly [string, Uint8Array | null])[], persisted: boolean): void {
    if (!persisted) {
      this.version_ += 1;
      // The staged writes are taken back; the remembered ranges had them applied.
      this.ranges.clear();
    }
    for (const [key, value] of writes) {
      if (this.pending.get(key) === value) this.pending.delete(key);
      if (persisted) this.remember(key, value);
      else this.cache.delete(key);
    }
    this.inFlight -= 1;
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Applies committed writes to the remembered ranges they fall in. An unbounded range takes the change in key order;
   * a bounded one (a page) is forgotten instead, since an insert or a delete would change which keys it holds.
   */
  private applyToRanges(writes: readonly (readonly [string, Uint8Array | null])[]): void {
    for (const [key, value] of writes) {
      for (const [rangeKey, range] of this.ranges.thatMayHold(key)) {
        if (compareKeys(key, range.gte) < 0 || (range.lt !== '' && compareKeys(key, range.lt) >= 0)) continue;
        if (range.limit >= 0 || range.entries.length >= MAX_REMEMBERED_RANGE) this.ranges.delete(rangeKey);
        else applyWrite(range.entries, key, value);
      }
    }
  }

  private remember(key: string, value: Uint8Array | null): void {
    // A crude bound: the cache is an optimisation, so dropping it all now and then is correct and cheap.
    if (this.cache.size >= this.cacheLimit) this.cache.clear();
    this.cache.set(key, value);
  }
}

/**
 * The remembered ranges, grouped by the composite-key object type they lie in, so a write is compared only with the
 * ranges of its own object type (and with the few that span several): a gateway remembers up to 1,024 ranges, and
 * every committed write is applied to those it falls in.
 */
class RememberedRanges {
  readonly #ranges = new Map<string, RememberedRange>();
  readonly #byGroup = new Map<string, Set<string>>();

  get size(): number {
    return this.#ranges.size;
  }

  get(rangeKey: string): RememberedRange | undefined {
    return this.#ranges.get(rangeKey);
  }

  set(rangeKey: string, range: RememberedRange): void {
    this.delete(rangeKey);
    this.#ranges.set(rangeKey, range);
    const group = groupOfRange(range);
    let members = this.#byGroup.get(group);
    if (members === undefined) {
      members = new Set();
      this.#byGroup.set(group, members);
    }
    members.add(rangeKey);
  }

  delete(rangeKey: string): void {
    const range = this.#ranges.get(rangeKey);
    if (range === undefined) return;
    this.#ranges.delete(rangeKey);
    const group = groupOfRange(range);
    const members = this.#byGroup.get(group);
    members?.delete(rangeKey);
    if (members?.size === 0) this.#byGroup.delete(group);
  }

  clear(): void {
    this.#ranges.clear();
    this.#byGroup.clear();
  }

  /** The ranges a write of `key` may fall in: those of its object type and those spanning several (a snapshot). */
  thatMayHold(key: string): [string, RememberedRange][] {
    const found: [string, RememberedRange][] = [];
    const group = groupOfKey(key);
    for (const name of group === SPANNING ? [SPANNING] : [group, SPANNING]) {
      for (const rangeKey of this.#byGroup.get(name) ?? []) {
        const range = this.#ranges.get(rangeKey);
        if (range !== undefined) found.push([rangeKey, range]);
      }
    }
    return found;
  }
}

/** The group of ranges that are not inside one object type's composite keys (simple keys, or spanning types). */
const SPANNING = '';

/** A composite key's namespace and object type (`\u0000type\u0000`), or SPANNING for any other key. */
function groupOfKey(key: string): string {
  if (!key.startsWith('\u0000')) return SPANNING;
  const end = key.indexOf('\u0000', 1);
  return end < 0 ? SPANNING : key.slice(0, end + 1);
}

/** A range's group: its object type's when both bounds lie in it, else SPANNING. */
function groupOfRange(range: RememberedRange): string {
  const group = groupOfKey(range.gte);
  return group !== SPANNING && range.lt.startsWith(group) ? group : SPANNING;
}

/** A remembered range read: its bounds, its level limit (negative: none) and its entries in key order. */
interface RememberedRange {
  readonly gte: string;
  readonly lt: string;
  readonly limit: number;
  readonly entries: [string, Uint8Array][];
}

/** Inserts, replaces or (value null) removes `key` in entries sorted as level lists them (compareKeys). */
function applyWrite(entries: [string, Uint8Array][], key: string, value: Uint8Array | null): void {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys((entries[middle] as [string, Uint8Array])[0], key) < 0) low = middle + 1;
    else high = middle;
  }
  const present = low < entries.length && (entries[low] as [string, Uint8Array])[0] === key;
  if (value === null) {
    if (present) entries.splice(low, 1);
  } else if (present) {
    entries[low] = [key, value];
  } else {
    entries.splice(low, 0, [key, value]);
  }
}
