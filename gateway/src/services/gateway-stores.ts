import { CreditRecordStore, DocumentStore, KeyStore } from '@certhub/certs-service';
import { Level } from 'level';

/**
 * The gateway's own level database (beside the ledger's): issuer keys and signed documents, both SM4-sealed by
 * certs-service, and two small plain spaces of the gateway's own — serial counters and idempotency records — that
 * hold no personal data (identifiers and hashes only).
 */
export interface GatewayStores {
  readonly keys: KeyStore;
  readonly documents: DocumentStore;
  /** Full credit records (issue 6), SM4-sealed under the SM3 the chain anchors. */
  readonly creditRecords: CreditRecordStore;
  readonly serials: StringSpace;
  readonly idempotency: StringSpace;
  close(): Promise<void>;
}

/** A utf8 → utf8 key-value space. */
export interface StringSpace {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
}

export async function openGatewayStores(directory: string, masterKey: Uint8Array): Promise<GatewayStores> {
  const db = new Level<string, string>(directory);
  await db.open();
  const keys = await KeyStore.open(db, masterKey);
  const documents = await DocumentStore.open(db, masterKey);
  const creditRecords = await CreditRecordStore.open(db, masterKey);
  const space = (name: string): StringSpace => {
    const sub = db.sublevel(name, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    return { get: (key) => sub.get(key), put: (key, value) => sub.put(key, value) };
  };
  return {
    keys,
    documents,
    creditRecords,
    serials: space('serials'),
    idempotency: space('idempotency'),
    close: () => db.close(),
  };
}
