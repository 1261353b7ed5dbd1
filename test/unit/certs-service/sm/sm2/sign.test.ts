import assert from 'node:assert/strict';
import {
  Sm2IdError,
  Sm2PrivateKey,
  Sm2PublicKey,
  Sm2SignatureFormatError,
  sm2Engine,
  sm2Sign,
  sm2Verify,
  sm2VerifyAsync,
} from '@certhub/certs-service/dist/sm/sm2';
import { describeEachEngine } from './engines';
import { STANDARD_SIGNATURE_EXAMPLE as V, SM2_ORDER_HEX, fromHex } from './vectors';

function isFormatError(error: unknown): boolean {
  assert.ok(error instanceof Sm2SignatureFormatError);
  assert.equal(error.code, 'MALFORMED_SM2_SIGNATURE');
  return true;
}

/** DER SEQUENCE { INTEGER r, INTEGER s } built by hand, so malformed variants are easy to write. */
function derSignature(rHex: string, sHex: string): Uint8Array {
  const integer = (h: string): Buffer => {
    let body = Buffer.from(h.length % 2 === 1 ? '0' + h : h, 'hex');
    if ((body[0] ?? 0) >= 0x80) {
      body = Buffer.concat([Buffer.of(0), body]);
    }
    return Buffer.concat([Buffer.of(0x02, body.length), body]);
  };
  const content = Buffer.concat([integer(rHex), integer(sHex)]);
  return new Uint8Array(Buffer.concat([Buffer.of(0x30, content.length), content]));
}

describeEachEngine('sm2Sign / sm2Verify', (engine) => {
  const key = Sm2PrivateKey.generate();
  const other = Sm2PrivateKey.generate();

  it('reports the engine in use', () => {
    assert.equal(sm2Engine(), engine);
  });

  it('verifies the GM/T 0003.5 / GB/T 32918.5 example signature (r, s) under its key and ID', () => {
    // Vector: GM/T 0003.5-2012 recommended-curve example, via OpenSSL test/sm2_internal_test.c.
    const publicKey = Sm2PrivateKey.fromScalar(fromHex(V.d)).publicKey;
    const raw = fromHex(V.r + V.s);
    assert.equal(sm2Verify(publicKey, V.message, raw, { format: 'raw' }), true);
    assert.equal(sm2Verify(publicKey, V.message, derSignature(V.r, V.s)), true);
    assert.equal(sm2Verify(publicKey, V.message, raw, { format: 'raw', id: 'ALICE123@YAHOO.COM' }), false);
  });

  it('round-trips with the default ID, in DER by default', () => {
    const signature = sm2Sign(key, 'licence 1.2.156.3005.2');
    assert.equal(signature[0], 0x30);
    assert.ok(signature.length >= 8 && signature.length <= 72);
    assert.equal(sm2Verify(key.publicKey, 'licence 1.2.156.3005.2', signature), true);
    assert.equal(sm2Verify(key.publicKey, 'licence 1.2.156.3005.2', signature, { id: '1234567812345678' }), true);
  });

  it('round-trips with other IDs, as strings or bytes, including the empty ID', () => {
    for (const id of ['ALICE123@YAHOO.COM', '', new Uint8Array([0, 1, 2, 255])]) {
      const signature = sm2Sign(key, 'msg', { id });
      assert.equal(sm2Verify(key.publicKey, 'msg', signature, { id }), true);
      assert.equal(sm2Verify(key.publicKey, 'msg', signature), false, 'verified under the default ID');
    }
    const byString = sm2Sign(key, 'msg', { id: 'issuer-42' });
    assert.equal(sm2Verify(key.publicKey, 'msg', byString, { id: Buffer.from('issuer-42') }), true);
  });

  it('returns false for a wrong ID, message or key', () => {
    const signature = sm2Sign(key, 'hello');
    assert.equal(sm2Verify(key.publicKey, 'hello', signature, { id: '1234567812345679' }), false);
    assert.equal(sm2Verify(key.publicKey, 'hellp', signature), false);
    assert.equal(sm2Verify(other.publicKey, 'hello', signature), false);
  });

  it('treats a string message as its UTF-8 bytes, and signs the empty message', () => {
    const signature = sm2Sign(key, '电子证照');
    assert.equal(sm2Verify(key.publicKey, Buffer.from('电子证照', 'utf8'), signature), true);
    const empty = sm2Sign(key, new Uint8Array(0));
    assert.equal(sm2Verify(key.publicKey, '', empty), true);
  });

  it('produces 64-byte raw r || s on request, matching the DER form', () => {
    const raw = sm2Sign(key, 'raw please', { format: 'raw' });
    assert.equal(raw.length, 64);
    assert.equal(sm2Verify(key.publicKey, 'raw please', raw, { format: 'raw' }), true);
    const r = Buffer.from(raw.subarray(0, 32)).toString('hex');
    const s = Buffer.from(raw.subarray(32)).toString('hex');
    assert.equal(sm2Verify(key.publicKey, 'raw please', derSignature(r, s)), true);
  });

  it('uses a fresh nonce for every signature', () => {
    assert.notDeepEqual(sm2Sign(key, 'same'), sm2Sign(key, 'same'));
  });

  it('returns false for a well-formed signature with a changed s', () => {
    const raw = sm2Sign(key, 'tamper', { format: 'raw' });
    const last = raw[63] ?? 0;
    raw[63] = last === 0x01 ? 0x02 : 0x01;
    assert.equal(sm2Verify(key.publicKey, 'tamper', raw, { format: 'raw' }), false);
  });

  it('verifies the same key many times (the cached-table path) and keeps answering correctly', () => {
    const signature = sm2Sign(other, 'cached');
    for (let i = 0; i < 3; i += 1) {
      assert.equal(sm2Verify(other.publicKey, 'cached', signature), true);
      assert.equal(sm2Verify(other.publicKey, 'cachee', signature), false);
    }
  });

  it('verifies through re-parsed copies of a key (shared per-point state) with correct answers each time', () => {
    const signature = sm2Sign(other, 'reparsed', { id: 'issuer-9' });
    for (let i = 0; i < 4; i += 1) {
      const copy = Sm2PublicKey.fromSpkiDer(other.publicKey.toSpkiDer());
      assert.equal(sm2Verify(copy, 'reparsed', signature, { id: 'issuer-9' }), true);
      assert.equal(sm2Verify(copy, 'reparsed', signature), false);
      assert.equal(sm2Verify(key.publicKey, 'reparsed', signature, { id: 'issuer-9' }), false);
    }
  });

  describe('malformed signatures throw Sm2SignatureFormatError', () => {
    const n = SM2_ORDER_HEX;
    const one = '01';

    it('r = 0 or s = 0', () => {
      assert.throws(() => sm2Verify(key.publicKey, 'm', derSignature('00', one)), isFormatError);
      assert.throws(() => sm2Verify(key.publicKey, 'm', derSignature(one, '00')), isFormatError);
      assert.throws(() => sm2Verify(key.publicKey, 'm', new Uint8Array(64), { format: 'raw' }), isFormatError);
    });

    it('r or s ≥ n', () => {
      assert.throws(() => sm2Verify(key.publicKey, 'm', derSignature(n, one)), isFormatError);
      assert.throws(() => sm2Verify(key.publicKey, 'm', derSignature(one, n)), isFormatError);
      assert.throws(
        () => sm2Verify(key.publicKey, 'm', fromHex('ff'.repeat(32) + '01'.repeat(32)), { format: 'raw' }),
        isFormatError,
      );
    });

    it('truncated DER', () => {
      const good = sm2Sign(key, 'm');
      for (const length of [0, 1, 2, good.length - 1]) {
        assert.throws(() => sm2Verify(key.publicKey, 'm', good.subarray(0, length)), isFormatError);
      }
    });

    it('trailing bytes after the DER signature', () => {
      const good = sm2Sign(key, 'm');
      const padded = new Uint8Array([...good, 0]);
      assert.throws(
        () => sm2Verify(key.publicKey, 'm', padded),
        (error: unknown) => isFormatError(error) && /trailing/.test((error as Error).message),
      );
    });

    it('non-minimal and negative INTEGERs', () => {
      assert.throws(() => sm2Verify(key.publicKey, 'm', fromHex('3007020200010201' + '01')), isFormatError);
      assert.throws(() => sm2Verify(key.publicKey, 'm', fromHex('30060201ff020101')), isFormatError);
    });

    it('a raw signature of the wrong length', () => {
      assert.throws(() => sm2Verify(key.publicKey, 'm', new Uint8Array(63).fill(1), { format: 'raw' }), isFormatError);
    });

    it('a DER signature handed in as raw, and an unknown format option', () => {
      assert.throws(() => sm2Verify(key.publicKey, 'm', sm2Sign(key, 'm'), { format: 'raw' }), isFormatError);
      const options = JSON.parse('{"format":"p1363"}') as { format: 'der' };
      assert.throws(() => sm2Sign(key, 'm', options), isFormatError);
    });
  });

  it('sm2VerifyAsync answers as sm2Verify does: true, false for another message, ID or key, malformed rejects', async () => {
    const signature = sm2Sign(key, 'hello', { id: 'issuer-7' });
    assert.equal(await sm2VerifyAsync(key.publicKey, 'hello', signature, { id: 'issuer-7' }), true);
    assert.equal(await sm2VerifyAsync(key.publicKey, 'hellp', signature, { id: 'issuer-7' }), false);
    assert.equal(await sm2VerifyAsync(key.publicKey, 'hello', signature), false);
    assert.equal(await sm2VerifyAsync(other.publicKey, 'hello', signature, { id: 'issuer-7' }), false);
    const raw = sm2Sign(key, 'hello', { format: 'raw' });
    assert.equal(await sm2VerifyAsync(key.publicKey, 'hello', raw, { format: 'raw' }), true);
    await assert.rejects(
      sm2VerifyAsync(key.publicKey, 'm', new Uint8Array(63).fill(1), { format: 'raw' }),
      isFormatError,
    );
  });

  it('sm2VerifyAsync keeps every answer apart when many run at once on one key', async () => {
    const messages = Array.from({ length: 64 }, (_, i) => `message ${i}`);
    const signatures = messages.map((m) => sm2Sign(key, m));
    // Every third one is checked against another message: it must come back false, and only it.
    const answers = await Promise.all(
      messages.map((m, i) => sm2VerifyAsync(key.publicKey, i % 3 === 0 ? `${m}!` : m, signatures[i] as Uint8Array)),
    );
    assert.deepEqual(
      answers,
      messages.map((_, i) => i % 3 !== 0),
    );
  });

  it('refuses an ID too long for ENTL when signing and verifying', () => {
    const id = new Uint8Array(9000);
    assert.throws(() => sm2Sign(key, 'm', { id }), Sm2IdError);
    assert.throws(() => sm2Verify(key.publicKey, 'm', sm2Sign(key, 'm'), { id }), Sm2IdError);
  });
});
