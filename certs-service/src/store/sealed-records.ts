import { Level } from 'level';
import { ENVELOPE_MASTER_KEY_LENGTH, EnvelopeError, openEnvelope, sealEnvelope, Sm4LengthError } from '../sm/sm4';
import { StoredRecordUnreadableError } from './errors';

/**
 * The part of a Level database a store needs when it shares one owned by someone else. Structural, so any
 * `Level<string, V>` fits whatever its value encoding (level's own generic types do not convert between encodings).
 * Values and keys come back typed `unknown` and are checked at run time.
 */
export interface SharedLevelDatabase {
  readonly status: string;
  open(): Promise<void>;
  sublevel(name: string, options: { keyEncoding: 'utf8'; valueEncoding: 'view' }): SublevelView;
}

/** What the store uses of a sublevel (since level 10, `get` resolves undefined for a missing key). */
export interface SublevelView {
  get(key: string): Promise<unknown>;
  put(key: string, value: Uint8Array): Promise<void>;
  del(key: string): Promise<void>;
  keys(): AsyncIterable<unknown>;
}

/** Where a store keeps its records: a directory for a database of its own, or a Level instance shared with others. */
export type StoreLocation = string | SharedLevelDatabase;

/**
 * One namespace of sealed records in level: each value is an SM4 envelope whose AAD is `<space>:<id>`, so a record
 * copied under another ID, or into another store, no longer opens. Internal to the store area; KeyStore and
 * DocumentStore give it meaning.
 */
export class SealedRecordSpace {
  readonly #space: string;
  readonly #masterKey: Uint8Array;
  readonly #db: SharedLevelDatabase;
  /** Set when this store created the database, and so must close it. */
  readonly #ownDb: Level | undefined;
  readonly #records: SublevelView;

  constructor(location: StoreLocation, masterKey: Uint8Array, space: string) {
    if (masterKey.length !== ENVELOPE_MASTER_KEY_LENGTH) {
      // Fail at start-up, not at the first write.
      throw new Sm4LengthError('masterKey', ENVELOPE_MASTER_KEY_LENGTH, masterKey.length);
    }
    this.#space = space;
    // A copy, so a caller reusing or wiping its buffer cannot change the key under us.
    this.#masterKey = Uint8Array.from(masterKey);
    if (typeof location === 'string') {
      const own = new Level(location);
      this.#ownDb = own;
      this.#db = own;
    } else {
      this.#ownDb = undefined;
      this.#db = location;
    }
    this.#records = this.#db.sublevel(space, { keyEncoding: 'utf8', valueEncoding: 'view' });
  }

  /** Waits until the database is open, so a bad path or a locked database fails here rather than on first use. */
  async open(): Promise<void> {
    await this.#db.open();
  }

  #aad(id: string): Uint8Array {
    return Buffer.from(`${this.#space}:${id}`, 'utf8');
  }

  async put(id: string, plaintext: Uint8Array): Promise<void> {
    await this.#records.put(id, sealEnvelope(this.#masterKey, plaintext, this.#aad(id)));
  }

  /** The plaintext of record `id`, or undefined if there is none. @throws StoredRecordUnreadableError */
  async get(id: string): Promise<Uint8Array | undefined> {
    const sealed = await this.#records.get(id);
    if (sealed === undefined) return undefined;
    if (!(sealed instanceof Uint8Array)) throw new TypeError(`sublevel ${this.#space} returned a non-binary value`);
    try {
      return openEnvelope(this.#masterKey, sealed, this.#aad(id));
    } catch (error) {
      if (error instanceof EnvelopeError) throw new StoredRecordUnreadableError(this.#space, id, error);
      throw error;
    }
  }

  async has(id: string): Promise<boolean> {
    return (await this.#records.get(id)) !== undefined;
  }

  async delete(id: string): Promise<void> {
    await this.#records.del(id);
  }

  /** All record IDs, in byte order. */
  async ids(): Promise<string[]> {
    const ids: string[] = [];
    for await (const id of this.#records.keys()) ids.push(String(id));
    return ids;
  }

  /** Closes the database if this store opened it; a shared instance is left to its owner. */
  async close(): Promise<void> {
    await this.#ownDb?.close();
  }
}
