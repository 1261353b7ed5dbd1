// SM4 (GB/T 32907): the block cipher, HKDF-SM3 and the authenticated envelope used to encrypt data at rest.
export * from './errors';
export * from './block';
export * from './kdf';
export * from './envelope';
