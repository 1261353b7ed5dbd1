// The tamper-evident audit log of banks' detailed credit queries (issue 6): entries, storage, the single writer,
// verification against the heads anchored on chain, and the anchoring schedule.
export * from './errors';
export * from './audit-entry';
export * from './audit-records';
export * from './audit-log';
export * from './audit-verification';
export * from './audit-head-ledger';
export * from './audit-anchoring';
