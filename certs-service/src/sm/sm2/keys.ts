import { randomBytes } from 'node:crypto';
import { SM2_CURVE, SM2_SCALAR_BYTES, Sm2Point } from './curve';
import { bigintToBytes, bytesToBigint } from './der';
import { Sm2KeyError } from './errors';
import { decodePemOf, encodePem } from './pem';
import { decodePrivateKeyDer, decodeSpki, encodePkcs8, encodeSec1, encodeSpki } from './key-encoding';

// The parsed curve point behind each public key, kept out of the public surface.
const pointOf = new WeakMap<Sm2PublicKey, Sm2Point>();
const scalarOf = new WeakMap<Sm2PrivateKey, bigint>();

/** The curve point of a public key (for the signing engines in this folder only). */
export function publicKeyPoint(key: Sm2PublicKey): Sm2Point {
  const point = pointOf.get(key);
  if (point === undefined) {
    throw new Sm2KeyError('not a key built by Sm2PublicKey');
  }
  return point;
}

/** The private scalar as an integer (for the signing engines in this folder only). */
export function privateKeyScalar(key: Sm2PrivateKey): bigint {
  const d = scalarOf.get(key);
  if (d === undefined) {
    throw new Sm2KeyError('not a key built by Sm2PrivateKey');
  }
  return d;
}

/** y² = x³ + ax + b (mod p) with x, y field elements: the check every received public point must pass. */
function isOnCurve(x: bigint, y: bigint): boolean {
  const { p, a, b } = SM2_CURVE;
  return x < p && y < p && (y * y - (((x * x) % p) * x + a * x + b)) % p === 0n;
}

function parsePoint(bytes: Uint8Array): { point: Sm2Point; encoded: Uint8Array } {
  if (bytes.length === 65 && bytes[0] === 0x04) {
    // The common case (SPKI, certificates) is checked here directly: a third of the cost of noble's
    // fromBytes, which validates twice; the input bytes already are the canonical encoding.
    const x = bytesToBigint(bytes.subarray(1, 33));
    const y = bytesToBigint(bytes.subarray(33));
    if (!isOnCurve(x, y)) {
      throw new Sm2KeyError('point not on curve', { point: Buffer.from(bytes).toString('hex') });
    }
    return { point: Sm2Point.fromAffine({ x, y }), encoded: bytes.slice() };
  }
  if (bytes.length !== 65 && bytes.length !== 33) {
    throw new Sm2KeyError(`public point is ${bytes.length} bytes, expected 65 (04||x||y) or 33 (compressed)`, {
      length: bytes.length,
    });
  }
  try {
    // noble checks the prefix, decompresses, and checks that the point is on the curve.
    const point = Sm2Point.fromBytes(bytes);
    if (point.is0()) {
      throw new Error('point at infinity');
    }
    return { point, encoded: point.toBytes(false) };
  } catch (cause) {
    throw new Sm2KeyError('point not on curve', { point: Buffer.from(bytes).toString('hex') }, { cause });
  }
}

/** An SM2 public key: a point on the SM2 curve, read from and written to SPKI (DER or PEM). */
export class Sm2PublicKey {
  /** Uncompressed encoding 04 || x || y (65 bytes). */
  readonly point: Uint8Array;

  private constructor(point: Sm2Point, encoded: Uint8Array) {
    this.point = encoded;
    pointOf.set(this, point);
  }

  /** From 65-byte 04||x||y or 33-byte compressed bytes; throws Sm2KeyError unless on the curve. */
  static fromPoint(bytes: Uint8Array): Sm2PublicKey {
    const { point, encoded } = parsePoint(bytes);
    return new Sm2PublicKey(point, encoded);
  }

  /** @internal from an already validated point (d·G). */
  static fromCurvePoint(point: Sm2Point): Sm2PublicKey {
    return new Sm2PublicKey(point, point.toBytes(false));
  }

  static fromSpkiDer(der: Uint8Array): Sm2PublicKey {
    return Sm2PublicKey.fromPoint(decodeSpki(der));
  }

  /** A `PUBLIC KEY` PEM block (SPKI), as `openssl pkey -pubout` writes. */
  static fromPem(pem: string): Sm2PublicKey {
    return Sm2PublicKey.fromSpkiDer(decodePemOf(pem, ['PUBLIC KEY']).der);
  }

  toSpkiDer(): Uint8Array {
    return encodeSpki(this.point);
  }

  toPem(): string {
    return encodePem('PUBLIC KEY', this.toSpkiDer());
  }

  equals(other: Sm2PublicKey): boolean {
    return Buffer.from(this.point).equals(other.point);
  }
}

function checkScalar(d: bigint): void {
  // GB/T 32918.1 §6.1: d ∈ [1, n-2], so that 1 + d is invertible mod n for signing.
  if (d < 1n || d > SM2_CURVE.n - 2n) {
    throw new Sm2KeyError('bad scalar: private key must lie in [1, n-2]');
  }
}

/** An SM2 private key d with its public key d·G; reads and writes PKCS#8 and SEC1, DER and PEM. */
export class Sm2PrivateKey {
  readonly publicKey: Sm2PublicKey;

  private constructor(d: bigint, expectedPublicPoint?: Uint8Array) {
    checkScalar(d);
    scalarOf.set(this, d);
    this.publicKey = Sm2PublicKey.fromCurvePoint(Sm2Point.BASE.multiply(d));
    if (expectedPublicPoint !== undefined && !this.publicKey.equals(Sm2PublicKey.fromPoint(expectedPublicPoint))) {
      throw new Sm2KeyError('public key in the encoding does not match the private key');
    }
  }

  /** A fresh key from the operating system's CSPRNG (rejection sampling, so d is uniform in [1, n-2]). */
  static generate(): Sm2PrivateKey {
    for (;;) {
      const d = bytesToBigint(randomBytes(SM2_SCALAR_BYTES));
      if (d >= 1n && d <= SM2_CURVE.n - 2n) {
        return new Sm2PrivateKey(d);
      }
    }
  }

  /** From the 32-byte big-endian scalar. */
  static fromScalar(d: Uint8Array): Sm2PrivateKey {
    if (d.length !== SM2_SCALAR_BYTES) {
      throw new Sm2KeyError(`bad scalar: ${d.length} bytes, expected ${SM2_SCALAR_BYTES}`, { length: d.length });
    }
    return new Sm2PrivateKey(bytesToBigint(d));
  }

  /**
   * PKCS#8 (`PRIVATE KEY`) or SEC1: `EC PRIVATE KEY`, or `SM2 PRIVATE KEY` as `openssl ec` labels SM2 keys.
   * A preceding `EC PARAMETERS` / `SM2 PARAMETERS` block (`openssl ecparam -genkey`) is skipped.
   */
  static fromPem(pem: string): Sm2PrivateKey {
    return Sm2PrivateKey.fromDer(decodePemOf(pem, ['PRIVATE KEY', 'EC PRIVATE KEY', 'SM2 PRIVATE KEY']).der);
  }

  /** PKCS#8 or SEC1 DER, recognised by structure. */
  static fromDer(der: Uint8Array): Sm2PrivateKey {
    const decoded = decodePrivateKeyDer(der);
    return new Sm2PrivateKey(decoded.d, decoded.publicPoint);
  }

  toPkcs8Der(): Uint8Array {
    return encodePkcs8(privateKeyScalar(this), this.publicKey.point);
  }

  toPkcs8Pem(): string {
    return encodePem('PRIVATE KEY', this.toPkcs8Der());
  }

  toSec1Der(): Uint8Array {
    return encodeSec1(privateKeyScalar(this), this.publicKey.point);
  }

  toSec1Pem(): string {
    return encodePem('EC PRIVATE KEY', this.toSec1Der());
  }

  /** A copy of the 32-byte scalar; callers own it and should wipe it when done. */
  scalar(): Uint8Array {
    return bigintToBytes(privateKeyScalar(this), SM2_SCALAR_BYTES);
  }
}
