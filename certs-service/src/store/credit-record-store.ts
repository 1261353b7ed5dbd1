import { canonicalBytes, type JsonValue } from '../documents';
import { sm3Hex } from '../sm/sm3';
import { CreditRecordNotFoundError } from './errors';
import { SealedRecordSpace, type StoreLocation } from './sealed-records';

/** The sublevel (and AAD prefix) of the credit record store. */
export const CREDIT_RECORD_STORE_SUBLEVEL = 'creditstore';

/** A full credit record: a JSON object (the chain holds only its SM3 hash and a few facts about it). */
export type FullCreditRecord = { readonly [field: string]: JsonValue };

/**
 * Full credit records at rest (issue 6: the chain holds the SM3 hash, the record itself stays off chain, encrypted).
 * Each is stored as its canonical JSON (RFC 8785) under the SM3 of those bytes, sealed in an SM4 envelope bound to that
 * hash, so the key names the content and a record read back hashes to exactly the value anchored on chain.
 */
export class CreditRecordStore {
  readonly #records: SealedRecordSpace;

  /**
   * @param location a directory (the store opens and owns its own database) or a shared Level instance (the store
   *   uses its own sublevel and leaves opening and closing to the owner)
   * @param masterKey 32 bytes, e.g. from the environment
   * @throws Sm4LengthError if the master key is not 32 bytes
   */
  constructor(location: StoreLocation, masterKey: Uint8Array) {
    this.#records = new SealedRecordSpace(location, masterKey, CREDIT_RECORD_STORE_SUBLEVEL);
  }

  /** Creates a store and waits for its database to open. */
  static async open(location: StoreLocation, masterKey: Uint8Array): Promise<CreditRecordStore> {
    const store = new CreditRecordStore(location, masterKey);
    await store.#records.open();
    return store;
  }

  /**
   * Stores the record under the SM3 (lower-case hex) of its canonical bytes and returns that hash. Storing the same
   * record again is harmless: same key, same content. @throws CanonicalizationError
   */
  async putRecord(record: FullCreditRecord): Promise<string> {
    const bytes = canonicalBytes(record);
    const recordHash = sm3Hex(bytes);
    await this.#records.put(recordHash, bytes);
    return recordHash;
  }

  /**
   * The record stored under `recordHash`.
   * @throws CreditRecordNotFoundError if there is none; StoredRecordUnreadableError if it cannot be opened with this
   *   master key
   */
  async getRecord(recordHash: string): Promise<FullCreditRecord> {
    const record = await this.findRecord(recordHash);
    if (record === undefined) throw new CreditRecordNotFoundError(recordHash);
    return record;
  }

  /** The record stored under `recordHash`, or undefined (e.g. anchored through another gateway). */
  async findRecord(recordHash: string): Promise<FullCreditRecord | undefined> {
    const bytes = await this.#records.get(recordHash);
    if (bytes === undefined) return undefined;
    // Authenticated by the envelope and written only by putRecord, so the shape is the one we stored.
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as FullCreditRecord;
  }

  async hasRecord(recordHash: string): Promise<boolean> {
    return this.#records.has(recordHash);
  }

  async close(): Promise<void> {
    await this.#records.close();
  }
}
