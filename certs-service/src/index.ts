// Public surface of certs-service: everything the chaincode, the gateway and the CLI import.
// Each area re-exports its own modules from its index.ts, so this list names areas, not files.
export * from './errors';
export * from './sm/sm3';
export * from './sm/sm4';
export * from './sm/sm2';
export * from './x509';
export * from './identifiers';
export * from './documents';
export * from './store';
