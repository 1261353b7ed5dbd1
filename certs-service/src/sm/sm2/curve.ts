import { weierstrassN, type WeierstrassPoint } from '@noble/curves/abstract/weierstrass';

/**
 * The SM2 recommended curve (GB/T 32918.5-2017 / GM/T 0003.5-2012), y² = x³ + ax + b over F_p,
 * on @noble/curves' audited short-Weierstrass core. noble precomputes an 8-bit wNAF table for the
 * base point when the curve is built (~20 ms once), which is what makes signing fast.
 */
export const SM2_CURVE = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
} as const;

/** Named-curve OID of SM2 (GM/T 0006), as it appears in SPKI, PKCS#8 and SEC1 structures. */
export const SM2_CURVE_OID = '1.2.156.10197.1.301';
/** id-ecPublicKey (RFC 5480): OpenSSL 3 labels SM2 keys with it plus the SM2 named curve. */
export const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';

/** Bytes of a field element or scalar. */
export const SM2_SCALAR_BYTES = 32;

export type Sm2Point = WeierstrassPoint<bigint>;

export const Sm2Point = weierstrassN<bigint>(SM2_CURVE);
// Build the base table now (normalised to Z = 1), not lazily inside the first signature or verification.
Sm2Point.BASE.precompute(8, false);

/** x mod n, non-negative. */
export function modN(x: bigint): bigint {
  const r = x % SM2_CURVE.n;
  return r < 0n ? r + SM2_CURVE.n : r;
}

/** Multiplicative inverse mod n (n is prime, so a ≠ 0 always has one). */
export function invertModN(a: bigint): bigint {
  return Sm2Point.Fn.inv(modN(a));
}
