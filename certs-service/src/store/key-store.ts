import { Sm2PrivateKey } from '../sm/sm2';
import { KeyNotFoundError } from './errors';
import { SealedRecordSpace, type StoreLocation } from './sealed-records';

/** The sublevel (and AAD prefix) of the key store; distinct from the document store so records cannot cross over. */
export const KEY_STORE_SUBLEVEL = 'keystore';

/**
 * Issuers' SM2 private keys at rest: PKCS#8 DER, each sealed in an SM4 envelope under the master key and bound to its
 * key ID. Keys leave only as `Sm2PrivateKey` objects for signing; nothing here logs or returns key bytes.
 */
export class KeyStore {
  readonly #records: SealedRecordSpace;

  /**
   * @param location a directory (the store opens and owns its own database) or a shared Level instance (the store
   *   uses its own sublevel and leaves opening and closing to the owner)
   * @param masterKey 32 bytes, e.g. from the environment
   * @throws Sm4LengthError if the master key is not 32 bytes
   */
  constructor(location: StoreLocation, masterKey: Uint8Array) {
    this.#records = new SealedRecordSpace(location, masterKey, KEY_STORE_SUBLEVEL);
  }

  /** Creates a store and waits for its database to open. */
  static async open(location: StoreLocation, masterKey: Uint8Array): Promise<KeyStore> {
    const store = new KeyStore(location, masterKey);
    await store.#records.open();
    return store;
  }

  /** Stores (or replaces) the key under `keyId`. */
  async putKey(keyId: string, key: Sm2PrivateKey): Promise<void> {
    await this.#records.put(keyId, key.toPkcs8Der());
  }

  /**
   * The key stored under `keyId`.
   * @throws KeyNotFoundError if there is none; StoredRecordUnreadableError if it cannot be opened with this master key
   */
  async getKey(keyId: string): Promise<Sm2PrivateKey> {
    const der = await this.#records.get(keyId);
    if (der === undefined) throw new KeyNotFoundError(keyId);
    return Sm2PrivateKey.fromDer(der);
  }

  async hasKey(keyId: string): Promise<boolean> {
    return this.#records.has(keyId);
  }

  /** Removes the key (e.g. a retired issuer key). @throws KeyNotFoundError if there is none */
  async deleteKey(keyId: string): Promise<void> {
    if (!(await this.#records.has(keyId))) throw new KeyNotFoundError(keyId);
    await this.#records.delete(keyId);
  }

  /** IDs of all stored keys. */
  async listKeyIds(): Promise<string[]> {
    return this.#records.ids();
  }

  async close(): Promise<void> {
    await this.#records.close();
  }
}
