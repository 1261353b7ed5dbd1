import { SM2_CURVE, Sm2Point } from './curve';

// t·P for a public key P seen for the first time (no precomputed table), in Jacobian coordinates with the
// a = -3 shortcut of the SM2 curve and a width-5 wNAF over P's odd multiples. noble's generic projective
// formulas cost ~16 field multiplications per doubling; dbl-2001-b costs 8, mixed addition 11, and the
// scalar needs 256 doublings but only ~43 additions, which roughly halves the work of a first-seen
// verification. Public inputs only (verification): this code is not constant-time and must not see secrets.

const p = SM2_CURVE.p;
const WINDOW = 5;
const ODD_MULTIPLES = 1 << (WINDOW - 2); // P, 3P, ..., 15P

interface Jacobian {
  readonly X: bigint;
  readonly Y: bigint;
  readonly Z: bigint;
}
interface Affine {
  readonly x: bigint;
  readonly y: bigint;
}

const INFINITY: Jacobian = { X: 1n, Y: 1n, Z: 0n };

function mod(a: bigint): bigint {
  const r = a % p;
  return r < 0n ? r + p : r;
}

// dbl-2001-b (a = -3): 3M + 5S. Infinity (Z = 0) doubles to Z = 0.
function double(P: Jacobian): Jacobian {
  const { X, Y, Z } = P;
  if (Z === 0n || Y === 0n) {
    return INFINITY;
  }
  const delta = mod(Z * Z);
  const gamma = mod(Y * Y);
  const beta = mod(X * gamma);
  const alpha = mod(3n * mod((X - delta) * (X + delta)));
  const X3 = mod(alpha * alpha - 8n * beta);
  const Z3 = mod((Y + Z) * (Y + Z) - gamma - delta);
  const Y3 = mod(alpha * (4n * beta - X3) - 8n * mod(gamma * gamma));
  return { X: X3, Y: Y3, Z: Z3 };
}

// madd-2007-bl: Jacobian + affine, 7M + 4S, with the exceptional cases (equal or opposite points) handled.
function addAffine(P: Jacobian, q: Affine): Jacobian {
  const { X: X1, Y: Y1, Z: Z1 } = P;
  if (Z1 === 0n) {
    return { X: q.x, Y: q.y, Z: 1n };
  }
  const Z1Z1 = mod(Z1 * Z1);
  const U2 = mod(q.x * Z1Z1);
  const S2 = mod(q.y * mod(Z1 * Z1Z1));
  const H = mod(U2 - X1);
  const r = mod(2n * (S2 - Y1));
  if (H === 0n) {
    return r === 0n ? double({ X: q.x, Y: q.y, Z: 1n }) : INFINITY;
  }
  const HH = mod(H * H);
  const I = 4n * HH;
  const J = mod(H * I);
  const V = mod(X1 * I);
  const X3 = mod(r * r - J - 2n * V);
  const Y3 = mod(r * (V - X3) - 2n * mod(Y1 * J));
  const Z3 = mod((Z1 + H) * (Z1 + H) - Z1Z1 - HH);
  return { X: X3, Y: Y3, Z: Z3 };
}

/** Affine forms of several Jacobian points with one field inversion (Montgomery's trick); none may be infinity. */
function toAffineBatch(points: readonly Jacobian[]): Affine[] {
  const prefix: bigint[] = [];
  let acc = 1n;
  for (const point of points) {
    prefix.push(acc);
    acc = mod(acc * point.Z);
  }
  let inverse = Sm2Point.Fp.inv(acc);
  const out: Affine[] = new Array<Affine>(points.length);
  for (let i = points.length - 1; i >= 0; i -= 1) {
    const point = points[i] as Jacobian;
    const zInverse = mod(inverse * (prefix[i] as bigint));
    inverse = mod(inverse * point.Z);
    const zz = mod(zInverse * zInverse);
    out[i] = { x: mod(point.X * zz), y: mod(point.Y * mod(zz * zInverse)) };
  }
  return out;
}

/** P, 3P, 5P, ..., 15P in affine form. */
function oddMultiples(base: Affine): Affine[] {
  const [twice] = toAffineBatch([double({ X: base.x, Y: base.y, Z: 1n })]);
  if (twice === undefined) {
    throw new Error('unreachable: doubling a point of prime order never gives infinity');
  }
  const jacobian: Jacobian[] = [];
  let current: Jacobian = { X: base.x, Y: base.y, Z: 1n };
  for (let i = 1; i < ODD_MULTIPLES; i += 1) {
    current = addAffine(current, twice);
    jacobian.push(current);
  }
  return [base, ...toAffineBatch(jacobian)];
}

/** Width-5 non-adjacent form, least significant digit first; digits are 0 or odd in [-15, 15]. */
function wnafDigits(k: bigint): number[] {
  const digits: number[] = [];
  const mask = BigInt((1 << WINDOW) - 1);
  let rest = k;
  while (rest > 0n) {
    let digit = 0;
    if ((rest & 1n) === 1n) {
      digit = Number(rest & mask);
      if (digit >= 1 << (WINDOW - 1)) {
        digit -= 1 << WINDOW;
      }
      rest -= BigInt(digit);
    }
    digits.push(digit);
    rest >>= 1n;
  }
  return digits;
}

/** k·P for a valid affine point P and 0 ≤ k < n, returned as a noble point. */
export function multiplyFirstSeen(point: Sm2Point, k: bigint): Sm2Point {
  if (k === 0n) {
    return Sm2Point.ZERO;
  }
  const table = oddMultiples(point.toAffine());
  const digits = wnafDigits(k);
  let acc = INFINITY;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    acc = double(acc);
    const digit = digits[i] ?? 0;
    if (digit !== 0) {
      const entry = table[(Math.abs(digit) - 1) >> 1] as Affine;
      acc = addAffine(acc, digit > 0 ? entry : { x: entry.x, y: mod(-entry.y) });
    }
  }
  if (acc.Z === 0n) {
    return Sm2Point.ZERO;
  }
  // Jacobian (X, Y, Z) is x = X/Z², y = Y/Z³; noble's homogeneous form (X·Z, Y, Z³) is the same point, no inversion.
  const Z3 = mod(acc.Z * acc.Z * acc.Z);
  return new Sm2Point(mod(acc.X * acc.Z), acc.Y, Z3);
}
