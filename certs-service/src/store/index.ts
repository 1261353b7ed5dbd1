// Encrypted storage in level: issuers' SM2 private keys, signed documents and full credit records, each record an SM4
// envelope.
export * from './errors';
export type { SharedLevelDatabase, StoreLocation, SublevelView } from './sealed-records';
export * from './key-store';
export * from './document-store';
export * from './credit-record-store';
