// The ledger boundary: the interface, its errors, and the embedded (in-process, level-backed) implementation.
export * from './ledger';
export * from './errors';
export { EmbeddedLedger, type EmbeddedLedgerOptions } from './embedded/embedded-ledger';
export type { LedgerOrganization } from './embedded/identity';
export { verifyLedger, type LedgerVerification } from './embedded/verify';
