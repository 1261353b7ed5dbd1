import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { Sm2PrivateKey, sm2Sign, sm2Verify, sm3Hex, SM2_DEFAULT_ID } from '@certhub/certs-service';
import {
  CERTIFICATE_SIGNATURE_ID,
  createSm2AwareCrypto,
  Sm2CryptoKey,
} from '@certhub/certs-service/dist/x509/sm2-crypto';

const hex = (buffer: ArrayBuffer): string => Buffer.from(buffer).toString('hex');
const SM2 = { name: 'SM2', hash: 'SM3' };

describe('x509 / SM2-aware crypto for @peculiar/x509', () => {
  const crypto = createSm2AwareCrypto();
  const message = new TextEncoder().encode('tbsCertificate bytes');

  it('signs certificates with the GM/T 0015 ID 1234567812345678 (the SM2 default ID)', () => {
    assert.equal(CERTIFICATE_SIGNATURE_ID, '1234567812345678');
    assert.equal(CERTIFICATE_SIGNATURE_ID, SM2_DEFAULT_ID);
  });

  it('signs raw r||s with the project SM2 and verifies it back; the project SM2 agrees', async () => {
    const key = Sm2PrivateKey.generate();
    const signature = await crypto.subtle.sign(SM2, Sm2CryptoKey.forSigning(key), message);
    assert.equal(signature.byteLength, 64);
    const publicKey = await crypto.subtle.importKey('spki', key.publicKey.toSpkiDer(), SM2, true, ['verify']);
    assert.ok(publicKey instanceof Sm2CryptoKey);
    assert.equal(await crypto.subtle.verify(SM2, publicKey, signature, message), true);
    assert.equal(sm2Verify(key.publicKey, message, new Uint8Array(signature), { format: 'raw' }), true);
    const other = new TextEncoder().encode('tbsCertificate bytes!');
    assert.equal(await crypto.subtle.verify(SM2, publicKey, signature, other), false);
  });

  it('uses a distinguishing ID given on the algorithm, and the default one otherwise', async () => {
    const key = Sm2PrivateKey.generate();
    const raw = sm2Sign(key, message, { id: 'ALICE123@YAHOO.COM', format: 'raw' });
    const publicKey = await crypto.subtle.importKey('raw', key.publicKey.point, SM2, false, ['verify']);
    assert.equal(
      await crypto.subtle.verify({ ...SM2, id: 'ALICE123@YAHOO.COM' } as typeof SM2, publicKey, raw, message),
      true,
    );
    assert.equal(await crypto.subtle.verify(SM2, publicKey, raw, message), false);
  });

  it('imports and exports SM2 keys as SPKI, raw point and PKCS#8', async () => {
    const key = Sm2PrivateKey.generate();
    const publicKey = await crypto.subtle.importKey('spki', key.publicKey.toSpkiDer(), SM2, true, ['verify']);
    assert.equal(
      hex((await crypto.subtle.exportKey('spki', publicKey)) as ArrayBuffer),
      Buffer.from(key.publicKey.toSpkiDer()).toString('hex'),
    );
    assert.equal(
      hex((await crypto.subtle.exportKey('raw', publicKey)) as ArrayBuffer),
      Buffer.from(key.publicKey.point).toString('hex'),
    );
    const privateKey = await crypto.subtle.importKey('pkcs8', key.toPkcs8Der(), SM2, true, ['sign']);
    assert.ok(privateKey instanceof Sm2CryptoKey);
    assert.equal(privateKey.type, 'private');
    const exported = (await crypto.subtle.exportKey('pkcs8', privateKey)) as ArrayBuffer;
    assert.equal(
      Buffer.from(Sm2PrivateKey.fromDer(new Uint8Array(exported)).scalar()).toString('hex'),
      Buffer.from(key.scalar()).toString('hex'),
    );
  });

  it('refuses to export a non-extractable key and a format that does not fit the key', async () => {
    const key = Sm2PrivateKey.generate();
    await assert.rejects(crypto.subtle.exportKey('pkcs8', Sm2CryptoKey.forSigning(key)));
    const publicKey = await crypto.subtle.importKey('spki', key.publicKey.toSpkiDer(), SM2, true, ['verify']);
    await assert.rejects(crypto.subtle.exportKey('pkcs8', publicKey));
    await assert.rejects(crypto.subtle.sign(SM2, publicKey, message));
  });

  it('hands ECDSA P-256 and SHA digests to Node webcrypto', async () => {
    const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const ecdsa = { name: 'ECDSA', hash: 'SHA-256' };
    const signature = await crypto.subtle.sign(ecdsa, keys.privateKey, message);
    assert.equal(await webcrypto.subtle.verify(ecdsa, keys.publicKey, signature, message), true);
    assert.equal(await crypto.subtle.verify(ecdsa, keys.publicKey, signature, message), true);
    const spki = await crypto.subtle.exportKey('spki', keys.publicKey);
    assert.ok(spki instanceof ArrayBuffer);
    assert.equal(
      hex(await crypto.subtle.digest('SHA-1', new TextEncoder().encode('abc'))),
      'a9993e364706816aba3e25717850c26c9cd0d89d',
    );
  });

  it('answers SM3 digests with the project SM3 (GB/T 32905 "abc" vector)', async () => {
    const digest = await crypto.subtle.digest('SM3', new TextEncoder().encode('abc'));
    assert.equal(hex(digest), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    assert.equal(hex(digest), sm3Hex('abc'));
  });

  it('draws random values from Node', () => {
    const a = crypto.getRandomValues(new Uint8Array(16));
    const b = crypto.getRandomValues(new Uint8Array(16));
    assert.notDeepEqual(a, b);
  });
});
