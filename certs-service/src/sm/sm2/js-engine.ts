import { randomBytes } from 'node:crypto';
import { wNAF } from '@noble/curves/abstract/curve';
import { SM2_CURVE, SM2_SCALAR_BYTES, Sm2Point, invertModN, modN } from './curve';
import { bytesToBigint } from './der';
import type { Sm2SignatureValue } from './signature-encoding';
import { multiplyFirstSeen } from './variable-base';
import type { VerificationPoint } from './verification-tables';

// Pure-JS SM2 over @noble/curves (GB/T 32918.2 §6.1 signing, §7.1 verification). Works on the digest
// e = SM3(Z || M); hashing and encodings live in the callers.

const { n } = SM2_CURVE;

/** What signing needs from a private key, computed once per key. */
export interface JsSigningKey {
  readonly d: bigint;
  /** (1 + d)^-1 mod n: one inversion per key instead of one per signature. */
  readonly dPlus1Inverse: bigint;
}

export function jsSigningKey(d: bigint): JsSigningKey {
  return { d, dPlus1Inverse: invertModN(1n + d) };
}

/**
 * One signing attempt with nonce k ∈ [1, n-1]; undefined when the standard says to pick another k
 * (r = 0, r + k = n, or s = 0).
 */
export function signDigestWithNonce(key: JsSigningKey, e: bigint, k: bigint): Sm2SignatureValue | undefined {
  const x1 = Sm2Point.BASE.multiply(k).toAffine().x;
  const r = modN(e + x1);
  if (r === 0n || r + k === n) {
    return undefined;
  }
  // s = (1+d)^-1 (k - r·d) = (1+d)^-1 (k + r) - r  (mod n): one multiplication by the cached inverse.
  const s = modN(key.dPlus1Inverse * (k + r) - r);
  return s === 0n ? undefined : { r, s };
}

// Nonces come from the OS CSPRNG in batches: one randomBytes call per 64 signatures instead of one each.
const NONCE_BATCH = 64;
let nonceBytes = Buffer.alloc(0);
let nonceOffset = 0;

function randomNonce(): bigint {
  for (;;) {
    if (nonceOffset + SM2_SCALAR_BYTES > nonceBytes.length) {
      nonceBytes = randomBytes(SM2_SCALAR_BYTES * NONCE_BATCH);
      nonceOffset = 0;
    }
    const k = bytesToBigint(nonceBytes.subarray(nonceOffset, nonceOffset + SM2_SCALAR_BYTES));
    // Used bytes are zeroed so a nonce never lingers in memory after use.
    nonceBytes.fill(0, nonceOffset, nonceOffset + SM2_SCALAR_BYTES);
    nonceOffset += SM2_SCALAR_BYTES;
    if (k >= 1n && k < n) {
      return k;
    }
  }
}

export function jsSignDigest(key: JsSigningKey, e: bigint): Sm2SignatureValue {
  for (;;) {
    const signature = signDigestWithNonce(key, e, randomNonce());
    if (signature !== undefined) {
      return signature;
    }
  }
}

// Verification handles public values only, so it uses noble's variable-time wNAF walk over the tables
// (no dummy additions, no per-multiplication normalisation) and one inversion at the end.
const publicMultiples = new wNAF(Sm2Point, 256);

/** GB/T 32918.2 §7.1 B3-B7 for a range-checked signature: t = r + s ≠ 0, (x1, y1) = s·G + t·P, R = e + x1 = r. */
export function jsVerifyDigest(publicKey: VerificationPoint, e: bigint, signature: Sm2SignatureValue): boolean {
  const t = modN(signature.r + signature.s);
  if (t === 0n) {
    return false;
  }
  const sG = publicMultiples.unsafe(Sm2Point.BASE, signature.s);
  const sum = publicKey.tabled
    ? publicMultiples.unsafe(publicKey.point, t, undefined, sG)
    : multiplyFirstSeen(publicKey.point, t).add(sG);
  if (sum.is0()) {
    return false;
  }
  return modN(e + sum.toAffine().x) === signature.r;
}
