// Encrypted storage in level: issuers' SM2 private keys and signed documents, each record an SM4 envelope.
export * from './errors';
export type { SharedLevelDatabase, StoreLocation, SublevelView } from './sealed-records';
export * from './key-store';
export * from './document-store';
