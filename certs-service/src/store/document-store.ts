import { canonicalBytes, type LicenseDocument } from '../documents';
import { DocumentNotFoundError } from './errors';
import { SealedRecordSpace, type StoreLocation } from './sealed-records';

/** The sublevel (and AAD prefix) of the document store. */
export const DOCUMENT_STORE_SUBLEVEL = 'documentstore';

/**
 * Signed e-license documents at rest (they hold personal data, so they stay off chain), each sealed in an SM4 envelope
 * bound to its ID. Stored as canonical JSON, so what comes back hashes and verifies exactly as what went in.
 */
export class DocumentStore {
  readonly #records: SealedRecordSpace;

  /**
   * @param location a directory (the store opens and owns its own database) or a shared Level instance (the store
   *   uses its own sublevel and leaves opening and closing to the owner)
   * @param masterKey 32 bytes, e.g. from the environment
   * @throws Sm4LengthError if the master key is not 32 bytes
   */
  constructor(location: StoreLocation, masterKey: Uint8Array) {
    this.#records = new SealedRecordSpace(location, masterKey, DOCUMENT_STORE_SUBLEVEL);
  }

  /** Creates a store and waits for its database to open. */
  static async open(location: StoreLocation, masterKey: Uint8Array): Promise<DocumentStore> {
    const store = new DocumentStore(location, masterKey);
    await store.#records.open();
    return store;
  }

  /** Stores (or replaces) the document under `documentId` (usually its licenseId). @throws CanonicalizationError */
  async putDocument(documentId: string, document: LicenseDocument): Promise<void> {
    await this.#records.put(documentId, canonicalBytes(document));
  }

  /**
   * The document stored under `documentId`.
   * @throws DocumentNotFoundError if there is none; StoredRecordUnreadableError if it cannot be opened with this master key
   */
  async getDocument(documentId: string): Promise<LicenseDocument> {
    const bytes = await this.#records.get(documentId);
    if (bytes === undefined) throw new DocumentNotFoundError(documentId);
    // Authenticated by the envelope and written only by putDocument, so the shape is the one we stored.
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as LicenseDocument;
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
