// E-license documents: RFC 8785 canonical JSON, the document type and its hash, and SM3 Merkle trees for batches.
export * from './errors';
export * from './canonical-json';
export * from './sorted-key-json';
export * from './license-document';
export * from './merkle';
export * from './signature';
