import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SM2_CURVE, Sm2Point } from '@certhub/certs-service/dist/sm/sm2/curve';
import { multiplyFirstSeen } from '@certhub/certs-service/dist/sm/sm2/variable-base';

// The first-seen-key multiplication is checked against noble's generic double-and-add on the same inputs.
function randomScalar(): bigint {
  return BigInt('0x' + randomBytes(32).toString('hex')) % SM2_CURVE.n;
}

describe('sm2 first-seen-key scalar multiplication (Jacobian, width-5 wNAF)', () => {
  it('agrees with noble for random points and scalars', () => {
    for (let i = 0; i < 40; i += 1) {
      const point = Sm2Point.BASE.multiply(randomScalar() || 1n);
      const k = randomScalar();
      assert.ok(multiplyFirstSeen(point, k).equals(point.multiplyUnsafe(k)), `k = ${k.toString(16)}`);
    }
  });

  it('handles the edge scalars: 0, small values around the window, n - 1 (giving -P), n - 2', () => {
    const point = Sm2Point.BASE.multiply(7n);
    const n = SM2_CURVE.n;
    for (const k of [0n, 1n, 2n, 3n, 15n, 16n, 17n, 31n, 32n, 33n, n - 1n, n - 2n, n - 16n]) {
      assert.ok(multiplyFirstSeen(point, k).equals(point.multiplyUnsafe(k)), `k = ${k}`);
    }
    assert.ok(multiplyFirstSeen(point, 0n).is0());
    assert.ok(multiplyFirstSeen(point, n - 1n).equals(point.negate()));
  });

  it('passes through the doubling and cancelling cases of mixed addition (P + P, P + (-P))', () => {
    // k = 2 reaches 2P via an addition of P to P in some digit layouts; k = n - 1 makes intermediate sums
    // meet table entries. Checked on the generator too, whose multiples are known exactly.
    assert.ok(multiplyFirstSeen(Sm2Point.BASE, 2n).equals(Sm2Point.BASE.double()));
    assert.ok(multiplyFirstSeen(Sm2Point.BASE, SM2_CURVE.n - 1n).equals(Sm2Point.BASE.negate()));
  });
});
