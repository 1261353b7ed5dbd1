import { createHash } from 'node:crypto';
import { SM2_CURVE, SM2_SCALAR_BYTES } from './curve';
import { bigintToBytes } from './der';
import { Sm2IdError } from './errors';

/** The default distinguishing ID of GM/T 0009-2012 §10, which OpenSSL uses with `distid:1234567812345678`. */
export const SM2_DEFAULT_ID = '1234567812345678';

/** An ID given by a caller: strings are UTF-8. */
export type Sm2Id = string | Uint8Array;

// ENTL is two bytes holding the ID length in bits, so 8191 bytes is the longest ID with a Z value.
const MAX_ID_BYTES = 0xffff >> 3;

const DEFAULT_ID_BYTES = new Uint8Array(Buffer.from(SM2_DEFAULT_ID, 'utf8'));

// a, b, xG, yG never change: hash input prefix computed once.
const CURVE_BYTES = Buffer.concat(
  [SM2_CURVE.a, SM2_CURVE.b, SM2_CURVE.Gx, SM2_CURVE.Gy].map((v) => bigintToBytes(v, SM2_SCALAR_BYTES)),
);

/** The ID as bytes, checked to be encodable in ENTL. */
export function idBytes(id: Sm2Id | undefined): Uint8Array {
  if (id === undefined) {
    return DEFAULT_ID_BYTES;
  }
  const bytes = typeof id === 'string' ? new Uint8Array(Buffer.from(id, 'utf8')) : id;
  if (bytes.length > MAX_ID_BYTES) {
    throw new Sm2IdError(`ID is ${bytes.length} bytes; at most ${MAX_ID_BYTES} fit the 16-bit ENTL field`, {
      length: bytes.length,
    });
  }
  return bytes;
}

/**
 * Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A) (GB/T 32918.2 §5.5), binding the
 * signer's identity and public key into every message digest. `publicPoint` is 65 bytes 04||x||y.
 */
export function computeZ(id: Uint8Array, publicPoint: Uint8Array): Uint8Array {
  const entl = id.length * 8;
  const hash = createHash('sm3');
  hash.update(Uint8Array.of(entl >> 8, entl & 0xff));
  hash.update(id);
  hash.update(CURVE_BYTES);
  hash.update(publicPoint.subarray(1));
  return hash.digest();
}

/** e = SM3(Z || M), the 32 bytes read as the integer e (GB/T 32918.2 §6.1 steps A1-A2). */
export function messageDigest(z: Uint8Array, message: Uint8Array): Uint8Array {
  return createHash('sm3').update(z).update(message).digest();
}

/** A small per-key memo of Z by ID: issuers sign with one or two IDs, so a handful of entries suffices. */
export class ZCache {
  private readonly byId = new Map<string, Uint8Array>();

  constructor(private readonly publicPoint: Uint8Array) {}

  get(id: Uint8Array): Uint8Array {
    const key = Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('latin1');
    let z = this.byId.get(key);
    if (z === undefined) {
      z = computeZ(id, this.publicPoint);
      if (this.byId.size >= 8) {
        this.byId.clear();
      }
      this.byId.set(key, z);
    }
    return z;
  }
}
