import { ConfigError } from '../config';

/*
 * Why a production hub refuses to start. Both are ConfigErrors (code CONFIG_INVALID): main.ts prints the message and
 * exits 2, as for any other bad setting. Messages name the file, user or organisation at fault and never contain a
 * key or a token.
 */

/** The identities directory lacks an identity, or one does not match its organisation's CA, key or user entry. */
export class IdentityMaterialError extends ConfigError {
  declare readonly context: Readonly<{ path: string; userId?: string; mspId?: string }>;
}

/** The hub file is unreadable or malformed, or names a certificate or key that is missing or does not fit. */
export class HubFileError extends ConfigError {
  declare readonly context: Readonly<{ file: string; pointer?: string; path?: string }>;
}
