import assert from 'node:assert/strict';
import { Sm2PrivateKey } from '@certhub/certs-service/dist/sm/sm2';
import { computeZ, idBytes, messageDigest } from '@certhub/certs-service/dist/sm/sm2/distinguishing-id';
import {
  jsSignDigest,
  jsSigningKey,
  jsVerifyDigest,
  signDigestWithNonce,
} from '@certhub/certs-service/dist/sm/sm2/js-engine';
import { publicKeyPoint } from '@certhub/certs-service/dist/sm/sm2/keys';
import { Sm2Point } from '@certhub/certs-service/dist/sm/sm2/curve';
import { STANDARD_SIGNATURE_EXAMPLE as V, SM2_ORDER_HEX, fromHex, hex } from './vectors';

describe('sm2 js engine', () => {
  const d = BigInt('0x' + V.d);
  const e = BigInt('0x' + V.e);
  const key = Sm2PrivateKey.fromScalar(fromHex(V.d));

  it('reproduces r and s of the GM/T 0003.5 / GB/T 32918.5 Annex A example with its fixed k', () => {
    // Vector: GM/T 0003.5-2012 signature example on the recommended curve (OpenSSL test/sm2_internal_test.c).
    const signature = signDigestWithNonce(jsSigningKey(d), e, BigInt('0x' + V.k));
    assert.ok(signature);
    assert.equal(signature.r.toString(16), V.r);
    assert.equal(signature.s.toString(16), V.s);
  });

  it('derives e from Z and the message as in that example', () => {
    const z = computeZ(idBytes(V.id), key.publicKey.point);
    assert.equal(hex(messageDigest(z, Buffer.from(V.message))), V.e);
  });

  it('verifies the example signature and rejects it for another digest', () => {
    const signature = { r: BigInt('0x' + V.r), s: BigInt('0x' + V.s) };
    // Both paths: first-seen key (Jacobian wNAF) and known key (noble's precomputed table).
    const firstSeen = { point: publicKeyPoint(key.publicKey), tabled: false };
    const tabledPoint = Sm2Point.fromAffine(firstSeen.point.toAffine()).precompute(8, false);
    for (const prepared of [firstSeen, { point: tabledPoint, tabled: true }]) {
      assert.equal(jsVerifyDigest(prepared, e, signature), true);
      assert.equal(jsVerifyDigest(prepared, e + 1n, signature), false);
    }
  });

  it('rejects a signature with r + s = n (t = 0) without curve arithmetic', () => {
    const n = BigInt('0x' + SM2_ORDER_HEX);
    assert.equal(
      jsVerifyDigest({ point: publicKeyPoint(key.publicKey), tabled: false }, e, { r: 5n, s: n - 5n }),
      false,
    );
  });

  it('asks for a new nonce when r + k = n, as GB/T 32918.2 §6.1 A5 requires', () => {
    const n = BigInt('0x' + SM2_ORDER_HEX);
    const k = BigInt('0x' + V.k);
    const signer = jsSigningKey(d);
    const first = signDigestWithNonce(signer, e, k);
    assert.ok(first);
    // r = e + x1 with x1 fixed by k, so the digest e' = e - r - k (mod n) makes r' = n - k, i.e. r' + k = n.
    const forbidden = (((e - first.r - k) % n) + n) % n;
    assert.equal(signDigestWithNonce(signer, forbidden, k), undefined);
    // And the digest that makes r' = 0 is refused too.
    const zeroR = (((e - first.r) % n) + n) % n;
    assert.equal(signDigestWithNonce(signer, zeroR, k), undefined);
  });

  it('signs with fresh random nonces: two signatures of one digest differ and both verify', () => {
    const signer = jsSigningKey(d);
    const a = jsSignDigest(signer, e);
    const b = jsSignDigest(signer, e);
    assert.notEqual(a.r, b.r);
    const point = { point: publicKeyPoint(key.publicKey), tabled: false };
    assert.equal(jsVerifyDigest(point, e, a), true);
    assert.equal(jsVerifyDigest(point, e, b), true);
  });
});
