import { SM2_CURVE, SM2_SCALAR_BYTES } from './curve';
import { DerReader, bigintToBytes, bytesToBigint, derSequence, derUnsignedInteger } from './der';
import { DerError, Sm2SignatureFormatError } from './errors';

/** The two integers of an SM2 signature, each in [1, n-1]. */
export interface Sm2SignatureValue {
  readonly r: bigint;
  readonly s: bigint;
}

export type Sm2SignatureFormat = 'der' | 'raw';

const RAW_LENGTH = 2 * SM2_SCALAR_BYTES;

function checkRange(r: bigint, s: bigint): void {
  // GB/T 32918.2 §7.1 B1-B2: a signature with r or s outside [1, n-1] is rejected before any curve work.
  for (const [name, value] of [
    ['r', r],
    ['s', s],
  ] as const) {
    if (value < 1n || value >= SM2_CURVE.n) {
      throw new Sm2SignatureFormatError(`${name} is outside [1, n-1]`, { component: name });
    }
  }
}

/** SEQUENCE { INTEGER r, INTEGER s } (GM/T 0009 SM2Signature), the form OpenSSL reads and writes. */
export function encodeSignatureDer(signature: Sm2SignatureValue): Uint8Array {
  return derSequence(derUnsignedInteger(signature.r), derUnsignedInteger(signature.s));
}

export function encodeSignatureRaw(signature: Sm2SignatureValue): Uint8Array {
  const out = new Uint8Array(RAW_LENGTH);
  out.set(bigintToBytes(signature.r, SM2_SCALAR_BYTES), 0);
  out.set(bigintToBytes(signature.s, SM2_SCALAR_BYTES), SM2_SCALAR_BYTES);
  return out;
}

export function encodeSignature(signature: Sm2SignatureValue, format: Sm2SignatureFormat): Uint8Array {
  return format === 'raw' ? encodeSignatureRaw(signature) : encodeSignatureDer(signature);
}

/** Parses and range-checks a signature; any defect is an Sm2SignatureFormatError (DER defects keep their DerError as cause). */
export function decodeSignature(bytes: Uint8Array, format: Sm2SignatureFormat): Sm2SignatureValue {
  let r: bigint;
  let s: bigint;
  if (format === 'raw') {
    if (bytes.length !== RAW_LENGTH) {
      throw new Sm2SignatureFormatError(`raw signature is ${bytes.length} bytes, expected ${RAW_LENGTH}`, {
        length: bytes.length,
      });
    }
    r = bytesToBigint(bytes.subarray(0, SM2_SCALAR_BYTES));
    s = bytesToBigint(bytes.subarray(SM2_SCALAR_BYTES));
  } else {
    try {
      const outer = DerReader.of(bytes);
      const sequence = outer.sequence('SM2Signature');
      r = sequence.unsignedInteger('r');
      s = sequence.unsignedInteger('s');
      sequence.expectEnd('SM2Signature');
      outer.expectEnd('SM2Signature');
    } catch (cause) {
      if (cause instanceof DerError) {
        throw new Sm2SignatureFormatError(cause.message, { ...cause.context }, { cause });
      }
      throw cause;
    }
  }
  checkRange(r, s);
  return { r, s };
}

/** Validates a caller-supplied format option at run time (JavaScript callers are not type-checked). */
export function signatureFormat(format: unknown): Sm2SignatureFormat {
  if (format === undefined || format === 'der') {
    return 'der';
  }
  if (format === 'raw') {
    return 'raw';
  }
  const shown = typeof format === 'string' ? format : typeof format;
  throw new Sm2SignatureFormatError(`unknown signature format option ${shown}; use 'der' or 'raw'`, {
    format: shown,
  });
}
