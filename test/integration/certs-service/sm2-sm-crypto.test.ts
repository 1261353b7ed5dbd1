import assert from 'node:assert/strict';
import { sm2 as smCrypto } from 'sm-crypto';
import { Sm2PrivateKey, Sm2PublicKey, sm2Sign, sm2Verify } from '@certhub/certs-service/dist/sm/sm2';
import { describeEachEngine } from '../../unit/certs-service/sm/sm2/engines';

// Cross-check against the independent `sm-crypto` 0.5.8 implementation (hex strings; `hash: true` puts Z
// into the digest like GB/T 32918.2; its default userId is 1234567812345678), in both directions.

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

const MESSAGES = ['电子营业执照 914403001922038216', '', 'x'.repeat(1000)];

describeEachEngine('SM2 cross-check with sm-crypto', () => {
  it('sm-crypto verifies our DER and raw signatures, with the default and another ID', () => {
    const key = Sm2PrivateKey.generate();
    const publicHex = hex(key.publicKey.point);
    for (const message of MESSAGES) {
      const der = hex(sm2Sign(key, message));
      assert.equal(smCrypto.doVerifySignature(message, der, publicHex, { der: true, hash: true }), true);
      const raw = hex(sm2Sign(key, message, { format: 'raw' }));
      assert.equal(smCrypto.doVerifySignature(message, raw, publicHex, { hash: true }), true);
      const withId = hex(sm2Sign(key, message, { id: 'ALICE123@YAHOO.COM' }));
      const options = { der: true, hash: true, userId: 'ALICE123@YAHOO.COM' };
      assert.equal(smCrypto.doVerifySignature(message, withId, publicHex, options), true);
      assert.equal(smCrypto.doVerifySignature(message, withId, publicHex, { der: true, hash: true }), false);
    }
  });

  it("sm-crypto's signatures on its own keys verify here; another ID or message gives false", () => {
    const pair = smCrypto.generateKeyPairHex();
    const privateKey = Sm2PrivateKey.fromScalar(Buffer.from(pair.privateKey.padStart(64, '0'), 'hex'));
    const publicKey = Sm2PublicKey.fromPoint(Buffer.from(pair.publicKey, 'hex'));
    assert.ok(privateKey.publicKey.equals(publicKey), 'same public key derived from the scalar');
    for (const message of MESSAGES) {
      const der = Buffer.from(smCrypto.doSignature(message, pair.privateKey, { der: true, hash: true }), 'hex');
      assert.equal(sm2Verify(publicKey, message, der), true);
      assert.equal(sm2Verify(publicKey, message + '.', der), false);
      const raw = Buffer.from(smCrypto.doSignature(message, pair.privateKey, { hash: true }), 'hex');
      assert.equal(sm2Verify(publicKey, message, raw, { format: 'raw' }), true);
      const withId = smCrypto.doSignature(message, pair.privateKey, { der: true, hash: true, userId: 'issuer-7' });
      assert.equal(sm2Verify(publicKey, message, Buffer.from(withId, 'hex'), { id: 'issuer-7' }), true);
      assert.equal(sm2Verify(publicKey, message, Buffer.from(withId, 'hex')), false);
    }
  });

  it('agrees on byte messages passed to sm-crypto as number arrays', () => {
    const key = Sm2PrivateKey.generate();
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff);
    const signature = hex(sm2Sign(key, bytes));
    assert.equal(
      smCrypto.doVerifySignature(Array.from(bytes), signature, hex(key.publicKey.point), { der: true, hash: true }),
      true,
    );
  });
});
