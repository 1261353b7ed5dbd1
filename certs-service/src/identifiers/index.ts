// Identifiers and their check characters: USCC (GB 32100), resident ID (GB 11643), license type codes and license IDs.
export * from './errors';
export * from './uscc';
export * from './resident-id';
export * from './license-type';
export * from './license-id';
