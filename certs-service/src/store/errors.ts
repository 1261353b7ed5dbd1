import { CertHubError } from '../errors';

/** No private key is stored under this key ID. */
export class KeyNotFoundError extends CertHubError {
  readonly code = 'KEY_NOT_FOUND';

  constructor(keyId: string) {
    super(`no key stored with id ${JSON.stringify(keyId)}`, { keyId });
  }
}

/** No document is stored under this ID. */
export class DocumentNotFoundError extends CertHubError {
  readonly code = 'DOCUMENT_NOT_FOUND';

  constructor(documentId: string) {
    super(`no document stored with id ${JSON.stringify(documentId)}`, { documentId });
  }
}

/**
 * A stored record exists but cannot be opened: the master key is not the one it was sealed with, or the bytes at rest
 * were altered or moved from another record. The envelope error is the `cause`.
 */
export class StoredRecordUnreadableError extends CertHubError {
  readonly code = 'STORED_RECORD_UNREADABLE';

  constructor(space: string, id: string, cause: unknown) {
    super(`stored ${space} record ${JSON.stringify(id)} cannot be opened`, { space, id }, { cause });
  }
}

/** No full credit record is stored under this hash. */
export class CreditRecordNotFoundError extends CertHubError {
  readonly code = 'CREDIT_RECORD_NOT_FOUND';

  constructor(recordHash: string) {
    super(`no credit record stored with hash ${recordHash}`, { recordHash });
  }
}
