import { createCipheriv, createDecipheriv } from 'node:crypto';
import { Sm4LengthError } from './errors';

/** SM4 block and key size in bytes (GB/T 32907). */
export const SM4_BLOCK_LENGTH = 16;
export const SM4_KEY_LENGTH = 16;

function checkSizes(key: Uint8Array, block: Uint8Array): void {
  if (key.length !== SM4_KEY_LENGTH) throw new Sm4LengthError('key', SM4_KEY_LENGTH, key.length);
  if (block.length !== SM4_BLOCK_LENGTH) throw new Sm4LengthError('block', SM4_BLOCK_LENGTH, block.length);
}

// One block through Node's sm4-ecb with padding off is exactly the raw SM4 block cipher; this is the primitive
// the standard's examples are stated in, so it is what the tests pin. Modes for real data live in envelope.ts.
function runBlock(decrypt: boolean, key: Uint8Array, block: Uint8Array): Uint8Array {
  checkSizes(key, block);
  const cipher = decrypt ? createDecipheriv('sm4-ecb', key, null) : createCipheriv('sm4-ecb', key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
}

/** Encrypts one 16-byte block with a 16-byte SM4 key. */
export function sm4EncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  return runBlock(false, key, block);
}

/** Decrypts one 16-byte block with a 16-byte SM4 key. */
export function sm4DecryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  return runBlock(true, key, block);
}
