import { canonicalBytes, type LicenseDocument } from '../documents';
import { DocumentNotFoundError } from './errors';
import { SealedRecordSpace, type StoreLocation } from './sealed-records';

/** The sublevel (and AAD prefix) of the document store. */
export const DOCUMENT_STORE_SUBLEVEL = 'documentstore';

/** How many opened documents a store keeps in memory by default (a few MiB: documents are a few KiB each). */
export const DOCUMENT_STORE_CACHE_ENTRIES = 4096;

export interface DocumentStoreOptions {
  /** Opened documents kept in memory, most recently used first; 0 keeps none. */
  readonly cacheEntries?: number;
}

/**
 * Signed e-license documents at rest (they hold personal data, so they stay off chain), each sealed in an SM4 envelope
 * bound to its ID. Stored as canonical JSON, so what comes back hashes and verifies exactly as what went in.
 */
export class DocumentStore {
  readonly #records: SealedRecordSpace;
  /**
   * The canonical bytes of recently read or written documents. Verification by license ID reads the same documents
   * again and again, and each read is a level round trip through the thread pool, an SM4 decryption and an HMAC-SM3
   * check (about a tenth of a verification's CPU). Every write goes through this store (level admits one process), so
   * a put can drop the entry; the plaintext is what each read would decrypt into memory anyway.
   */
  readonly #recent = new Map<string, Uint8Array>();
  readonly #cacheEntries: number;
  /** Counts the starts and ends of puts, so a read that overlapped a put of any document does not remember it. */
  #puts = 0;

  /**
   * @param location a directory (the store opens and owns its own database) or a shared Level instance (the store
   *   uses its own sublevel and leaves opening and closing to the owner)
   * @param masterKey 32 bytes, e.g. from the environment
   * @throws Sm4LengthError if the master key is not 32 bytes
   */
  constructor(location: StoreLocation, masterKey: Uint8Array, options: DocumentStoreOptions = {}) {
    this.#records = new SealedRecordSpace(location, masterKey, DOCUMENT_STORE_SUBLEVEL);
    this.#cacheEntries = options.cacheEntries ?? DOCUMENT_STORE_CACHE_ENTRIES;
  }

  /** Creates a store and waits for its database to open. */
  static async open(
    location: StoreLocation,
    masterKey: Uint8Array,
    options: DocumentStoreOptions = {},
  ): Promise<DocumentStore> {
    const store = new DocumentStore(location, masterKey, options);
    await store.#records.open();
    return store;
  }

  /** Stores (or replaces) the document under `documentId` (usually its licenseId). @throws CanonicalizationError */
  async putDocument(documentId: string, document: LicenseDocument): Promise<void> {
    const bytes = canonicalBytes(document);
    // A put only forgets: the next read that overlaps no put remembers whatever level then holds, so neither a failed
    // put nor two puts of one ID landing in either order can leave an entry that differs from the database.
    this.#puts += 1;
    this.#recent.delete(documentId);
    try {
      await this.#records.put(documentId, bytes);
    } finally {
      this.#puts += 1;
      this.#recent.delete(documentId);
    }
  }

  /**
   * The document stored under `documentId`.
   * @throws DocumentNotFoundError if there is none; StoredRecordUnreadableError if it cannot be opened with this master key
   */
  async getDocument(documentId: string): Promise<LicenseDocument> {
    let bytes = this.#recent.get(documentId);
    if (bytes !== undefined) {
      this.#recent.delete(documentId);
      this.#recent.set(documentId, bytes);
    } else {
      const puts = this.#puts;
      bytes = await this.#records.get(documentId);
      if (bytes === undefined) throw new DocumentNotFoundError(documentId);
      if (puts === this.#puts) this.#remember(documentId, bytes);
    }
    // Parsed afresh on every read: each caller gets a document of its own to use as it likes.
    // Authenticated by the envelope and written only by putDocument, so the shape is the one we stored.
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as LicenseDocument;
  }

  #remember(documentId: string, bytes: Uint8Array): void {
    if (this.#cacheEntries <= 0) return;
    this.#recent.delete(documentId);
    this.#recent.set(documentId, bytes);
    if (this.#recent.size > this.#cacheEntries) {
      const oldest = this.#recent.keys().next();
      if (oldest.done !== true) this.#recent.delete(oldest.value);
    }
  }

  async hasDocument(documentId: string): Promise<boolean> {
    return this.#records.has(documentId);
  }

  /** IDs of all stored documents. */
  async listDocumentIds(): Promise<string[]> {
    return this.#records.ids();
  }

  async close(): Promise<void> {
    await this.#records.close();
  }
}
