// SM2 inside @peculiar/x509, the way the library adds EC in its src/ec_algorithm.ts: an algorithm provider that maps
// between WebCrypto-style algorithm objects and ASN.1 AlgorithmIdentifiers, and a signature formatter that turns the
// WebCrypto-style raw r||s into the DER SEQUENCE{r, s} that goes into a certificate (and back).
import { ECDSASigValue, ECParameters } from '@peculiar/asn1-ecc';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import type { IAlgorithm, IAsnSignatureFormatter } from './peculiar';
import { CertificateFormatError } from './errors';
import { OID_EC_PUBLIC_KEY, OID_SM2_CURVE, OID_SM2_WITH_SM3 } from './oids';

/** The WebCrypto algorithm name CertHub uses for SM2 (keys and signatures). */
export const SM2_ALGORITHM_NAME = 'SM2';
/** The hash name paired with SM2 in certificate signatures. */
export const SM3_HASH_NAME = 'SM3';
/** Bytes in each of r and s: the SM2 curve order is 256 bits. */
const SM2_SCALAR_LENGTH = 32;

/** An SM2 key algorithm (what a key's `algorithm` holds). */
export interface Sm2KeyAlgorithm {
  name: typeof SM2_ALGORITHM_NAME;
  namedCurve: typeof SM2_ALGORITHM_NAME;
}

/** An SM2 signature algorithm; `id` is the signer's distinguishing ID (defaults to 1234567812345678). */
export interface Sm2SignatureAlgorithm {
  name: typeof SM2_ALGORITHM_NAME;
  hash: { name: typeof SM3_HASH_NAME } | typeof SM3_HASH_NAME;
  id?: string | Uint8Array;
}

interface NamedAlgorithm {
  name: string;
  hash?: unknown;
  namedCurve?: unknown;
}

function isNamedAlgorithm(value: unknown): value is NamedAlgorithm {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}

export function isSm2Algorithm(value: unknown): boolean {
  return isNamedAlgorithm(value) && value.name.toUpperCase() === SM2_ALGORITHM_NAME;
}

function hashName(hash: unknown): string | undefined {
  if (typeof hash === 'string') {
    return hash;
  }
  return isNamedAlgorithm(hash) ? hash.name : undefined;
}

/**
 * Maps SM2-with-SM3 (1.2.156.10197.1.501, parameters absent) and SM2 public keys (id-ecPublicKey + namedCurve
 * 1.2.156.10197.1.301). Returning null hands the algorithm on to the next provider, so EC, RSA etc. keep working.
 */
export class Sm2Algorithm implements IAlgorithm {
  toAsnAlgorithm(alg: unknown): AlgorithmIdentifier | null {
    if (!isNamedAlgorithm(alg) || !isSm2Algorithm(alg)) {
      return null;
    }
    // A signature algorithm carries a hash; a key algorithm only its curve (same rule as EcAlgorithm).
    if (alg.hash !== undefined) {
      // @peculiar/x509 merges a default SHA-256 into signing algorithms: refuse it rather than mislabel a signature.
      return hashName(alg.hash)?.toUpperCase() === SM3_HASH_NAME
        ? new AlgorithmIdentifier({ algorithm: OID_SM2_WITH_SM3 })
        : null;
    }
    if (alg.namedCurve !== undefined) {
      return new AlgorithmIdentifier({
        algorithm: OID_EC_PUBLIC_KEY,
        parameters: AsnConvert.serialize(new ECParameters({ namedCurve: OID_SM2_CURVE })),
      });
    }
    return null;
  }

  toWebAlgorithm(alg: AlgorithmIdentifier): Sm2KeyAlgorithm | Sm2SignatureAlgorithm | null {
    if (alg.algorithm === OID_SM2_WITH_SM3) {
      return { name: SM2_ALGORITHM_NAME, hash: { name: SM3_HASH_NAME } };
    }
    if (alg.algorithm === OID_EC_PUBLIC_KEY && alg.parameters) {
      const parameters = AsnConvert.parse(alg.parameters, ECParameters);
      if (parameters.namedCurve === OID_SM2_CURVE) {
        return { name: SM2_ALGORITHM_NAME, namedCurve: SM2_ALGORITHM_NAME };
      }
    }
    return null;
  }
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) {
    return data;
  }
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data);
  }
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  throw new TypeError('expected bytes');
}

/** Minimal positive DER INTEGER content for a big-endian unsigned value. */
function positiveInteger(unsigned: Uint8Array): ArrayBuffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) {
    start++;
  }
  const magnitude = unsigned.subarray(start);
  const needsPad = (magnitude[0] ?? 0) >= 0x80;
  const out = new Uint8Array(magnitude.length + (needsPad ? 1 : 0));
  out.set(magnitude, needsPad ? 1 : 0);
  return out.buffer;
}

/** DER INTEGER content (possibly with a sign byte) → fixed 32-byte big-endian; null if it does not fit. */
function fixedScalar(integer: ArrayBuffer): Uint8Array | null {
  let bytes = new Uint8Array(integer);
  while (bytes.length > SM2_SCALAR_LENGTH && bytes[0] === 0) {
    bytes = bytes.subarray(1);
  }
  if (bytes.length > SM2_SCALAR_LENGTH) {
    return null;
  }
  const out = new Uint8Array(SM2_SCALAR_LENGTH);
  out.set(bytes, SM2_SCALAR_LENGTH - bytes.length);
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** DER SEQUENCE{r INTEGER, s INTEGER} of a 64-byte r||s. */
function encodeDer(raw: Uint8Array): Uint8Array {
  const value = new ECDSASigValue({
    r: positiveInteger(raw.subarray(0, SM2_SCALAR_LENGTH)),
    s: positiveInteger(raw.subarray(SM2_SCALAR_LENGTH)),
  });
  return new Uint8Array(AsnConvert.serialize(value));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** raw r||s (64 bytes, WebCrypto style) ⇄ DER SEQUENCE{r INTEGER, s INTEGER} (GM/T 0009 / the certificate's BIT STRING). */
export class Sm2SignatureFormatter implements IAsnSignatureFormatter {
  toAsnSignature(algorithm: unknown, signature: unknown): ArrayBuffer | null {
    if (!isSm2Algorithm(algorithm)) {
      return null;
    }
    const raw = toBytes(signature);
    if (raw.length !== 2 * SM2_SCALAR_LENGTH) {
      throw new CertificateFormatError('an SM2 signature must be 64 bytes r||s before DER encoding', {
        length: raw.length,
      });
    }
    return encodeDer(raw).slice().buffer;
  }

  toWebSignature(algorithm: unknown, signature: unknown): ArrayBuffer | null {
    if (!isSm2Algorithm(algorithm)) {
      return null;
    }
    const der = toBytes(signature);
    let value: ECDSASigValue;
    try {
      value = AsnConvert.parse(der, ECDSASigValue);
    } catch (cause) {
      throw new CertificateFormatError('the SM2 signature value is not a DER SEQUENCE{r, s}', {}, { cause });
    }
    const r = fixedScalar(value.r);
    const s = fixedScalar(value.s);
    const raw = r && s ? concat(r, s) : undefined;
    // The parser is BER-lenient and ignores trailing bytes; re-encoding must give back exactly the input, so a
    // signature with extra or non-minimal bytes is rejected instead of being silently normalised.
    if (raw === undefined || !sameBytes(encodeDer(raw), der)) {
      throw new CertificateFormatError('the SM2 signature value is not canonical DER with 256-bit r and s', {});
    }
    return raw.buffer;
  }
}
