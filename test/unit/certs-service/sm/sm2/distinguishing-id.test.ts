import assert from 'node:assert/strict';
import { Sm2IdError, Sm2PrivateKey, SM2_DEFAULT_ID } from '@certhub/certs-service/dist/sm/sm2';
import { ZCache, computeZ, idBytes, messageDigest } from '@certhub/certs-service/dist/sm/sm2/distinguishing-id';
import { STANDARD_SIGNATURE_EXAMPLE as V, fromHex, hex } from './vectors';

describe('sm2 distinguishing ID and Z', () => {
  const publicPoint = Sm2PrivateKey.fromScalar(fromHex(V.d)).publicKey.point;

  it('uses the GM/T 0009 default ID 1234567812345678', () => {
    assert.equal(SM2_DEFAULT_ID, '1234567812345678');
    assert.deepEqual(idBytes(undefined), new Uint8Array(Buffer.from('1234567812345678')));
  });

  it('computes Z_A and e of the GM/T 0003.5 / GB/T 32918.5 recommended-curve example', () => {
    // Vector: GM/T 0003.5-2012 signature example (OpenSSL test/sm2_internal_test.c), ID 1234567812345678.
    const z = computeZ(idBytes(V.id), publicPoint);
    assert.equal(hex(z), V.z);
    assert.equal(hex(messageDigest(z, Buffer.from(V.message))), V.e);
  });

  it('gives a different Z for another ID, and the same for the ID as string or bytes', () => {
    const other = computeZ(idBytes('ALICE123@YAHOO.COM'), publicPoint);
    assert.notEqual(hex(other), V.z);
    assert.deepEqual(computeZ(idBytes(Buffer.from('ALICE123@YAHOO.COM')), publicPoint), other);
  });

  it('accepts the empty ID (what OpenSSL uses without distid) and IDs up to 8191 bytes', () => {
    assert.equal(computeZ(idBytes(''), publicPoint).length, 32);
    assert.equal(idBytes(new Uint8Array(8191)).length, 8191);
  });

  it('refuses an ID whose bit length does not fit ENTL, with Sm2IdError', () => {
    assert.throws(
      () => idBytes(new Uint8Array(8192)),
      (error: unknown) => {
        assert.ok(error instanceof Sm2IdError);
        assert.equal(error.code, 'INVALID_SM2_ID');
        assert.equal(error.context.length, 8192);
        return true;
      },
    );
  });

  it('caches Z per ID and returns the same value as computing it afresh', () => {
    const cache = new ZCache(publicPoint);
    const id = idBytes(V.id);
    assert.equal(cache.get(id), cache.get(id));
    assert.equal(hex(cache.get(id)), V.z);
    assert.deepEqual(cache.get(idBytes('x')), computeZ(idBytes('x'), publicPoint));
  });
});
