import { hkdfSync } from 'node:crypto';

/**
 * HKDF (RFC 5869) with SM3 as the hash: derives `length` bytes from input keying material, bound to `info`.
 * Used to turn one master key into independent keys per purpose, so the encryption key is never also the MAC key.
 */
export function hkdfSm3(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array | string, length: number): Uint8Array {
  const infoBytes = typeof info === 'string' ? Buffer.from(info, 'utf8') : info;
  return new Uint8Array(hkdfSync('sm3', ikm, salt, infoBytes, length));
}
