// Authentication and authorisation at the gateway's edge: users, hashed bearer tokens, the caller, role guards.
export * from './user';
export * from './errors';
export * from './token-hash';
export * from './user-directory';
export * from './caller';
export * from './authenticate';
export * from './require-role';
export * from './users-file';
export * from './development-users';
