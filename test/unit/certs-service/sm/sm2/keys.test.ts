import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  DerError,
  PemError,
  Sm2KeyError,
  Sm2PrivateKey,
  Sm2PublicKey,
  sm2Sign,
  sm2Verify,
} from '@certhub/certs-service/dist/sm/sm2';
import { encodeSec1 } from '@certhub/certs-service/dist/sm/sm2/key-encoding';
import { STANDARD_SIGNATURE_EXAMPLE as V, SM2_ORDER_HEX, fromHex, hex } from './vectors';

function keyError(reason: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof Sm2KeyError, `expected Sm2KeyError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_SM2_KEY');
    assert.match(String(error.context.reason), reason);
    return true;
  };
}

function typed(kind: typeof PemError | typeof DerError, code: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  };
}

// SPKI header OpenSSL 3 writes for SM2: SEQUENCE { SEQUENCE { id-ecPublicKey, sm2 }, BIT STRING (66 bytes) }.
const SPKI_PREFIX = '3059301306072a8648ce3d020106082a811ccf5501822d034200';

describe('Sm2PublicKey / Sm2PrivateKey', () => {
  const example = Sm2PrivateKey.fromScalar(fromHex(V.d));

  it('derives the public key of the GM/T 0003.5 example from its scalar', () => {
    // Vector: GM/T 0003.5-2012 / GB/T 32918.5 recommended-curve example (OpenSSL test/sm2_internal_test.c).
    assert.equal(hex(example.publicKey.point), '04' + V.publicX + V.publicY);
    assert.equal(hex(example.scalar()), V.d);
  });

  it('generates distinct valid keys and hands out copies of the scalar', () => {
    const a = Sm2PrivateKey.generate();
    const b = Sm2PrivateKey.generate();
    assert.notDeepEqual(a.scalar(), b.scalar());
    const copy = a.scalar();
    copy.fill(0);
    assert.notDeepEqual(a.scalar(), copy);
    assert.equal(a.publicKey.point.length, 65);
    assert.equal(sm2Verify(a.publicKey, 'x', sm2Sign(a, 'x')), true);
  });

  it('writes SPKI exactly as OpenSSL does and reads it back, in DER and PEM', () => {
    const der = example.publicKey.toSpkiDer();
    assert.equal(hex(der), SPKI_PREFIX + '04' + V.publicX + V.publicY);
    assert.ok(Sm2PublicKey.fromSpkiDer(der).equals(example.publicKey));
    const pem = example.publicKey.toPem();
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n$/);
    assert.ok(Sm2PublicKey.fromPem(pem).equals(example.publicKey));
  });

  it('round-trips PKCS#8 and SEC1, DER and PEM, recognising each by structure', () => {
    const key = Sm2PrivateKey.generate();
    for (const der of [key.toPkcs8Der(), key.toSec1Der()]) {
      const back = Sm2PrivateKey.fromDer(der);
      assert.deepEqual(back.scalar(), key.scalar());
      assert.ok(back.publicKey.equals(key.publicKey));
    }
    assert.match(key.toPkcs8Pem(), /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(key.toSec1Pem(), /^-----BEGIN EC PRIVATE KEY-----\n/);
    assert.deepEqual(Sm2PrivateKey.fromPem(key.toPkcs8Pem()).scalar(), key.scalar());
    assert.deepEqual(Sm2PrivateKey.fromPem(key.toSec1Pem()).scalar(), key.scalar());
  });

  it('reads SEC1 without the optional curve and public key, and after an EC PARAMETERS block', () => {
    const key = Sm2PrivateKey.generate();
    const d = BigInt('0x' + hex(key.scalar()));
    // SEQUENCE { INTEGER 1, OCTET STRING d } only, as `openssl ec -no_public` minus the parameters.
    const minimal = fromHex('302502010104' + '20' + hex(key.scalar()));
    assert.ok(Sm2PrivateKey.fromDer(minimal).publicKey.equals(key.publicKey));
    assert.ok(Sm2PrivateKey.fromDer(encodeSec1(d, key.publicKey.point, false)).publicKey.equals(key.publicKey));
    const params = '-----BEGIN SM2 PARAMETERS-----\nBggqgRzPVQGCLQ==\n-----END SM2 PARAMETERS-----\n';
    const relabelled = key.toSec1Pem().replaceAll('EC PRIVATE KEY', 'SM2 PRIVATE KEY');
    assert.ok(Sm2PrivateKey.fromPem(params + relabelled).publicKey.equals(key.publicKey));
  });

  it('accepts a compressed point and checks it decompresses to the same key', () => {
    const point = example.publicKey.point;
    const compressed = new Uint8Array(33);
    compressed[0] = ((point[64] ?? 0) & 1) === 1 ? 0x03 : 0x02;
    compressed.set(point.subarray(1, 33), 1);
    assert.ok(Sm2PublicKey.fromPoint(compressed).equals(example.publicKey));
  });

  describe('typed errors', () => {
    it('a point not on the curve', () => {
      const bad = example.publicKey.point.slice();
      bad[64] = (bad[64] ?? 0) ^ 1;
      assert.throws(() => Sm2PublicKey.fromPoint(bad), keyError(/point not on curve/));
      const spki = fromHex(SPKI_PREFIX + hex(bad));
      assert.throws(() => Sm2PublicKey.fromSpkiDer(spki), keyError(/point not on curve/));
    });

    it('a coordinate that is not a field element (x ≥ p)', () => {
      const p = BigInt('0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff');
      const bytes = fromHex('04' + (p + 1n).toString(16) + V.publicY);
      assert.equal(bytes.length, 65);
      assert.throws(() => Sm2PublicKey.fromPoint(bytes), keyError(/point not on curve/));
    });

    it('a point of the wrong length, the point at infinity, an unknown prefix', () => {
      assert.throws(() => Sm2PublicKey.fromPoint(new Uint8Array(64)), keyError(/bytes, expected 65/));
      assert.throws(() => Sm2PublicKey.fromPoint(new Uint8Array(65)), keyError(/point not on curve/));
      const prefixed = example.publicKey.point.slice();
      prefixed[0] = 0x06;
      assert.throws(() => Sm2PublicKey.fromPoint(prefixed), keyError(/point not on curve/));
    });

    it('a P-256 key (wrong curve), as SPKI, PKCS#8 and SEC1', () => {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const spki = publicKey.export({ type: 'spki', format: 'der' });
      assert.throws(() => Sm2PublicKey.fromSpkiDer(spki), keyError(/wrong curve/));
      assert.throws(
        () => Sm2PublicKey.fromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
        keyError(/wrong curve/),
      );
      assert.throws(
        () => Sm2PrivateKey.fromDer(privateKey.export({ type: 'pkcs8', format: 'der' })),
        keyError(/wrong curve/),
      );
      assert.throws(
        () => Sm2PrivateKey.fromPem(privateKey.export({ type: 'sec1', format: 'pem' }).toString()),
        keyError(/wrong curve/),
      );
    });

    it('a key of another algorithm (Ed25519)', () => {
      const { publicKey } = generateKeyPairSync('ed25519');
      assert.throws(
        () => Sm2PublicKey.fromSpkiDer(publicKey.export({ type: 'spki', format: 'der' })),
        keyError(/wrong algorithm/),
      );
    });

    it('a scalar of 0, n-1, n or above n, or of the wrong length', () => {
      const n = BigInt('0x' + SM2_ORDER_HEX);
      for (const d of [0n, n - 1n, n, n + 5n]) {
        const bytes = fromHex(d.toString(16).padStart(64, '0'));
        assert.throws(() => Sm2PrivateKey.fromScalar(bytes), keyError(/bad scalar/));
      }
      assert.throws(() => Sm2PrivateKey.fromScalar(new Uint8Array(31).fill(1)), keyError(/bad scalar/));
      assert.throws(
        () => Sm2PrivateKey.fromDer(fromHex('302502010104' + '20' + '00'.repeat(32))),
        keyError(/bad scalar/),
      );
      assert.throws(
        () => Sm2PrivateKey.fromDer(fromHex('302502010104' + '20' + SM2_ORDER_HEX)),
        keyError(/bad scalar/),
      );
    });

    it('a SEC1 key whose embedded public key belongs to another scalar', () => {
      const d = BigInt('0x' + V.d);
      const mismatched = encodeSec1(d, Sm2PrivateKey.generate().publicKey.point);
      assert.throws(() => Sm2PrivateKey.fromDer(mismatched), keyError(/does not match/));
    });

    it('explicit curve parameters instead of the named SM2 curve', () => {
      // SEC1 with [0] holding a SEQUENCE (explicit ECParameters), which this code does not accept.
      const der = fromHex('302b02010104' + '20' + V.d + 'a0043002' + '0500');
      assert.throws(() => Sm2PrivateKey.fromDer(der), keyError(/explicit parameters/));
    });

    it('truncated DER and trailing bytes', () => {
      const pkcs8 = example.toPkcs8Der();
      assert.throws(() => Sm2PrivateKey.fromDer(pkcs8.subarray(0, pkcs8.length - 1)), typed(DerError, 'MALFORMED_DER'));
      assert.throws(() => Sm2PrivateKey.fromDer(new Uint8Array(0)), typed(DerError, 'MALFORMED_DER'));
      const spki = example.publicKey.toSpkiDer();
      assert.throws(
        () => Sm2PublicKey.fromSpkiDer(new Uint8Array([...spki, 0x00])),
        (error: unknown) => typed(DerError, 'MALFORMED_DER')(error) && /trailing/.test((error as Error).message),
      );
      assert.throws(() => Sm2PublicKey.fromSpkiDer(spki.subarray(0, 40)), typed(DerError, 'MALFORMED_DER'));
    });

    it('malformed PEM: no armour, mismatched labels, bad base64, wrong label, encrypted', () => {
      const isPem = typed(PemError, 'MALFORMED_PEM');
      const body = Buffer.from(example.toPkcs8Der()).toString('base64');
      assert.throws(() => Sm2PrivateKey.fromPem(body), isPem);
      assert.throws(
        () => Sm2PrivateKey.fromPem(`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PUBLIC KEY-----\n`),
        isPem,
      );
      assert.throws(
        () => Sm2PrivateKey.fromPem('-----BEGIN PRIVATE KEY-----\nMII*!\n-----END PRIVATE KEY-----\n'),
        isPem,
      );
      assert.throws(() => Sm2PrivateKey.fromPem(example.publicKey.toPem()), isPem);
      assert.throws(() => Sm2PublicKey.fromPem(example.toPkcs8Pem()), isPem);
      const encrypted =
        '-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n' +
        body +
        '\n-----END EC PRIVATE KEY-----\n';
      assert.throws(() => Sm2PrivateKey.fromPem(encrypted), isPem);
      assert.throws(() => Sm2PrivateKey.fromPem(example.toPkcs8Pem() + example.toSec1Pem()), isPem);
    });

    it('an encrypted PKCS#8 key is refused by label', () => {
      const pem = `-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n`;
      assert.throws(() => Sm2PrivateKey.fromPem(pem), typed(PemError, 'MALFORMED_PEM'));
    });
  });
});
