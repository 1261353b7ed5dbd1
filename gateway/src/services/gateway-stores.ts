import { CreditRecordStore, DocumentStore, KeyStore, openEnvelope, sealEnvelope } from '@certhub/certs-service';
import { Level } from 'level';
import { openAuditRecords, type AuditRecords } from '../audit/audit-records';

/**
 * The gateway's own level database (beside the ledger's): issuer keys and signed documents, both SM4-sealed by
 * certs-service, small plain spaces of the gateway's own — serial counters, idempotency records and bulk import job
 * state — that hold no personal data (identifiers and hashes only), and the sealed items of import jobs (they name
 * holders).
 */
export interface GatewayStores {
  readonly keys: KeyStore;
  readonly documents: DocumentStore;
  /** Full credit records (issue 6), SM4-sealed under the SM3 the chain anchors. */
  readonly creditRecords: CreditRecordStore;
  readonly serials: StringSpace;
  readonly idempotency: StringSpace;
  /** Import jobs, their batches and per-item results: identifiers, hashes and error codes only. */
  readonly jobs: OrderedStringSpace;
  /** The issue requests of import jobs as submitted, each value an SM4 envelope bound to its key. */
  readonly jobRequests: StringSpace;
  /** The audit log of banks' detailed credit queries, each entry SM4-sealed (purposes may be sensitive). */
  readonly audit: AuditRecords;
  close(): Promise<void>;
}

/** A utf8 → utf8 key-value space. */
export interface StringSpace {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
}

export type StringSpaceWrite =
  | { readonly type: 'put'; readonly key: string; readonly value: string }
  | { readonly type: 'del'; readonly key: string };

/** A string space with atomic multi-key writes and key-ordered range reads. */
export interface OrderedStringSpace extends StringSpace {
  /** Applies every write or none (one level batch). */
  write(writes: readonly StringSpaceWrite[]): Promise<void>;
  /** Entries whose keys lie in [gte, lt), in key order, at most `limit` of them. */
  range(range: { readonly gte: string; readonly lt: string; readonly limit?: number }): Promise<[string, string][]>;
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
  const orderedSpace = (name: string): OrderedStringSpace => {
    const sub = db.sublevel(name, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    return {
      get: (key) => sub.get(key),
      put: (key, value) => sub.put(key, value),
      write: (writes) => sub.batch(writes.map((w) => ({ ...w }))),
      range: ({ gte, lt, limit }) => sub.iterator({ gte, lt, limit: limit ?? -1 }).all(),
    };
  };
  const sealedSpace = (name: string): StringSpace => {
    const sub = db.sublevel<string, Uint8Array>(name, { keyEncoding: 'utf8', valueEncoding: 'view' });
    // The key is the envelope's associated data: a record moved under another key no longer opens.
    const aad = (key: string): Uint8Array => Buffer.from(`${name}:${key}`, 'utf8');
    return {
      get: async (key) => {
        const sealed = await sub.get(key);
        return sealed === undefined
          ? undefined
          : Buffer.from(openEnvelope(masterKey, sealed, aad(key))).toString('utf8');
      },
      put: (key, value) => sub.put(key, sealEnvelope(masterKey, Buffer.from(value, 'utf8'), aad(key))),
    };
  };
  return {
    keys,
    documents,
    creditRecords,
    serials: space('serials'),
    idempotency: space('idempotency'),
    jobs: orderedSpace('jobs'),
    jobRequests: sealedSpace('job-requests'),
    audit: openAuditRecords(db, masterKey),
    close: () => db.close(),
  };
}
