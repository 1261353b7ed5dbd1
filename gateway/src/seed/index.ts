// DEVELOPMENT MODE ONLY: the demo world (regions, SM2 roots, license types, issuers, users' Fabric identities) and its seeding.
export * from './catalog';
export * from './errors';
export * from './master-key';
export * from './development-world';
export * from './seed-ledger';
export * from './development-hub';
