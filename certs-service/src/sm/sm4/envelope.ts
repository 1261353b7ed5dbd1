import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SM4_BLOCK_LENGTH, SM4_KEY_LENGTH } from './block';
import { EnvelopeError, Sm4LengthError } from './errors';
import { hkdfSm3 } from './kdf';

/*
 * Envelope format, version 1 (all integers big-endian):
 *
 *   offset 0   1 byte    version          0x01
 *   offset 1   1 byte    algorithm        0x01 = SM4-CTR encryption + HMAC-SM3 tag (encrypt-then-MAC)
 *   offset 2   16 bytes  IV               random initial counter block for SM4-CTR
 *   offset 18  n bytes   ciphertext       same length as the plaintext
 *   last 32    32 bytes  tag              HMAC-SM3(macKey, header ‖ u64(len aad) ‖ aad ‖ ciphertext)
 *
 * The tag covers the header (so version and algorithm cannot be swapped), the AAD with its length (so the split between
 * AAD and ciphertext is unambiguous) and the ciphertext. It is checked before anything is decrypted.
 *
 * Keys: HKDF-SM3 over the 32-byte master key with a fixed, versioned salt and one label per purpose, giving a 16-byte
 * SM4 key and a 32-byte HMAC key that are independent of each other. CTR rather than CBC because it needs no padding
 * (no padding oracle to worry about) and Node's OpenSSL provides it; GCM/CCM are not available for SM4 there.
 */

/** Length of the master key every envelope is sealed under. */
export const ENVELOPE_MASTER_KEY_LENGTH = 32;
export const ENVELOPE_VERSION = 0x01;
export const ENVELOPE_ALGORITHM_SM4_CTR_HMAC_SM3 = 0x01;

const HEADER_LENGTH = 2 + SM4_BLOCK_LENGTH;
const TAG_LENGTH = 32;
/** The smallest possible envelope: header and tag around an empty plaintext. */
export const ENVELOPE_OVERHEAD = HEADER_LENGTH + TAG_LENGTH;

const KDF_SALT = Buffer.from('CertHub envelope v1', 'utf8');
const EMPTY = new Uint8Array(0);

interface EnvelopeKeys {
  readonly encKey: Uint8Array;
  readonly macKey: Uint8Array;
}

// Derivation (two HKDF-SM3 runs) was most of the cost of sealing a small record, and a process uses one master key,
// so the last derivation is kept. The master key is compared in constant time; the cache holds nothing the caller
// does not already hold in memory.
let lastDerivation: { readonly masterKey: Buffer; readonly keys: EnvelopeKeys } | undefined;

function deriveKeys(masterKey: Uint8Array): EnvelopeKeys {
  if (masterKey.length !== ENVELOPE_MASTER_KEY_LENGTH) {
    throw new Sm4LengthError('masterKey', ENVELOPE_MASTER_KEY_LENGTH, masterKey.length);
  }
  if (lastDerivation !== undefined && timingSafeEqual(lastDerivation.masterKey, masterKey)) {
    return lastDerivation.keys;
  }
  const keys: EnvelopeKeys = {
    encKey: hkdfSm3(masterKey, KDF_SALT, 'SM4-CTR encryption key', SM4_KEY_LENGTH),
    macKey: hkdfSm3(masterKey, KDF_SALT, 'HMAC-SM3 authentication key', TAG_LENGTH),
  };
  // A copy: the caller may reuse or wipe its buffer.
  lastDerivation = { masterKey: Buffer.from(masterKey), keys };
  return keys;
}

function computeTag(macKey: Uint8Array, header: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Buffer {
  const aadLength = Buffer.alloc(8);
  aadLength.writeBigUInt64BE(BigInt(aad.length));
  return createHmac('sm3', macKey).update(header).update(aadLength).update(aad).update(ciphertext).digest();
}

/**
 * Encrypts and authenticates `plaintext` under `masterKey` (32 bytes). `aad` is authenticated but not stored: the same
 * bytes must be given to `openEnvelope` (use it to bind an envelope to the record it belongs to).
 */
export function sealEnvelope(masterKey: Uint8Array, plaintext: Uint8Array, aad: Uint8Array = EMPTY): Uint8Array {
  const { encKey, macKey } = deriveKeys(masterKey);
  const iv = randomBytes(SM4_BLOCK_LENGTH);
  const header = Buffer.concat([Buffer.from([ENVELOPE_VERSION, ENVELOPE_ALGORITHM_SM4_CTR_HMAC_SM3]), iv]);
  const cipher = createCipheriv('sm4-ctr', encKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = computeTag(macKey, header, aad, ciphertext);
  return new Uint8Array(Buffer.concat([header, ciphertext, tag]));
}

/**
 * Checks and decrypts an envelope made by `sealEnvelope` with the same master key and AAD.
 * @throws EnvelopeError if the envelope is truncated, of an unknown version or algorithm, or fails authentication
 *   (any altered byte, another key, other AAD).
 */
export function openEnvelope(masterKey: Uint8Array, envelope: Uint8Array, aad: Uint8Array = EMPTY): Uint8Array {
  const { encKey, macKey } = deriveKeys(masterKey);
  if (envelope.length < ENVELOPE_OVERHEAD) {
    throw new EnvelopeError('TRUNCATED', { length: envelope.length, minimum: ENVELOPE_OVERHEAD });
  }
  const version = envelope[0];
  if (version !== ENVELOPE_VERSION) throw new EnvelopeError('UNSUPPORTED_VERSION', { version });
  const algorithm = envelope[1];
  if (algorithm !== ENVELOPE_ALGORITHM_SM4_CTR_HMAC_SM3)
    throw new EnvelopeError('UNSUPPORTED_ALGORITHM', { algorithm });

  const header = envelope.subarray(0, HEADER_LENGTH);
  const ciphertext = envelope.subarray(HEADER_LENGTH, envelope.length - TAG_LENGTH);
  const tag = envelope.subarray(envelope.length - TAG_LENGTH);
  // Constant time, so response timing does not reveal how many leading tag bytes an attacker got right.
  if (!timingSafeEqual(computeTag(macKey, header, aad, ciphertext), tag)) {
    throw new EnvelopeError('AUTHENTICATION_FAILED');
  }
  const decipher = createDecipheriv('sm4-ctr', encKey, header.subarray(2));
  return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}
