import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sm3Hex } from '@certhub/certs-service';

/*
 * Bearer tokens are never stored, only their SM3 digest: a leaked users file does not let anyone sign in. Plain SM3
 * of the token's UTF-8 bytes is enough because tokens are random and long (newToken makes 256-bit ones), so there is
 * nothing to guess; it also means an operator can compute a hash with any SM3 tool:
 *   printf %s "$TOKEN" | openssl dgst -sm3
 */

/** RFC 6750 `b64token` syntax, bounded: what may follow "Bearer ". */
export const TOKEN_PATTERN = /^[A-Za-z0-9\-._~+/]+=*$/;
export const MAX_TOKEN_LENGTH = 512;
const HASH_PATTERN = /^[0-9a-f]{64}$/;

export function isWellFormedToken(token: string): boolean {
  return token.length <= MAX_TOKEN_LENGTH && TOKEN_PATTERN.test(token);
}

export function isTokenHash(value: string): boolean {
  return HASH_PATTERN.test(value);
}

/** The value stored for `token` in the users file: SM3 of its UTF-8 bytes, lower-case hex. */
export function tokenHash(token: string): string {
  return sm3Hex(token);
}

/** A fresh random token (256 bits, base64url) for a new user. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether two token hashes are equal, in time that does not depend on where they differ. Hashes of equal length are
 * compared byte for byte by timingSafeEqual; anything that is not a well-formed hash is simply unequal.
 */
export function tokenHashesEqual(a: string, b: string): boolean {
  if (!isTokenHash(a) || !isTokenHash(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
