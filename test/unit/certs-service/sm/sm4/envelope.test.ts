import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createDecipheriv, randomBytes } from 'node:crypto';
import {
  CertHubError,
  ENVELOPE_OVERHEAD,
  EnvelopeError,
  hkdfSm3,
  openEnvelope,
  sealEnvelope,
  Sm4LengthError,
} from '@certhub/certs-service';

const MASTER = new Uint8Array(randomBytes(32));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Runs the OpenSSL 3 CLI with stdin and returns stdout as bytes. */
function openssl(args: string[], input: Uint8Array = new Uint8Array(0)): Buffer {
  return execFileSync('openssl', args, { input });
}

/** HKDF-SM3 by the OpenSSL CLI (prints colon-separated hex). */
function opensslHkdf(ikm: Uint8Array, salt: string, info: string, length: number): Buffer {
  const out = openssl([
    'kdf',
    '-keylen',
    String(length),
    '-kdfopt',
    'digest:SM3',
    '-kdfopt',
    `hexkey:${hex(ikm)}`,
    '-kdfopt',
    `salt:${salt}`,
    '-kdfopt',
    `info:${info}`,
    'HKDF',
  ]);
  return Buffer.from(out.toString('utf8').trim().replaceAll(':', ''), 'hex');
}
const PLAINTEXT = new Uint8Array(Buffer.from('-----BEGIN PRIVATE KEY----- issuer signing key 证照', 'utf8'));
const AAD = new Uint8Array(Buffer.from('key:issuer-420100-01', 'utf8'));

function isEnvelopeError(reason: string) {
  return (error: unknown): boolean =>
    // CertHubError first: its `code` is a plain string, so the comparison is a real check.
    error instanceof CertHubError &&
    error.code === 'ENVELOPE_INVALID' &&
    error instanceof EnvelopeError &&
    error.context['reason'] === reason;
}

describe('sealEnvelope / openEnvelope', () => {
  it('round-trips with and without AAD, including an empty plaintext and a large one', () => {
    assert.deepEqual(openEnvelope(MASTER, sealEnvelope(MASTER, PLAINTEXT, AAD), AAD), PLAINTEXT);
    assert.deepEqual(openEnvelope(MASTER, sealEnvelope(MASTER, PLAINTEXT)), PLAINTEXT);
    assert.deepEqual(openEnvelope(MASTER, sealEnvelope(MASTER, new Uint8Array(0))), new Uint8Array(0));
    const big = new Uint8Array(randomBytes(1_000_003));
    assert.deepEqual(openEnvelope(MASTER, sealEnvelope(MASTER, big, AAD), AAD), big);
  });

  it('lays out version 1, algorithm 1, a 16-byte IV, ciphertext of the plaintext length and a 32-byte tag', () => {
    const envelope = sealEnvelope(MASTER, PLAINTEXT);
    assert.equal(envelope[0], 0x01);
    assert.equal(envelope[1], 0x01);
    assert.equal(envelope.length, ENVELOPE_OVERHEAD + PLAINTEXT.length);
    assert.equal(ENVELOPE_OVERHEAD, 2 + 16 + 32);
  });

  it('is SM4-CTR under the HKDF-SM3-derived encryption key (checked by decrypting independently)', () => {
    const envelope = sealEnvelope(MASTER, PLAINTEXT);
    const encKey = hkdfSm3(MASTER, Buffer.from('CertHub envelope v1'), 'SM4-CTR encryption key', 16);
    const decipher = createDecipheriv('sm4-ctr', encKey, envelope.subarray(2, 18));
    const ciphertext = envelope.subarray(18, envelope.length - 32);
    assert.deepEqual(new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()])), PLAINTEXT);
  });

  it('follows its documented format exactly, as re-derived, decrypted and authenticated by the OpenSSL CLI alone', () => {
    const aad = new Uint8Array(Buffer.from('documentstore:1.2.156.3005.2.x', 'utf8'));
    const envelope = sealEnvelope(MASTER, PLAINTEXT, aad);
    const header = envelope.subarray(0, 18);
    const iv = envelope.subarray(2, 18);
    const ciphertext = envelope.subarray(18, envelope.length - 32);
    const tag = envelope.subarray(envelope.length - 32);

    const encKey = opensslHkdf(MASTER, 'CertHub envelope v1', 'SM4-CTR encryption key', 16);
    const macKey = opensslHkdf(MASTER, 'CertHub envelope v1', 'HMAC-SM3 authentication key', 32);
    const aadLength = Buffer.alloc(8);
    aadLength.writeBigUInt64BE(BigInt(aad.length));
    const macInput = Buffer.concat([header, aadLength, aad, ciphertext]);
    const expectedTag = openssl(['mac', '-digest', 'SM3', '-macopt', `hexkey:${hex(macKey)}`, 'HMAC'], macInput);
    assert.equal(hex(tag), expectedTag.toString('utf8').trim().toLowerCase());

    const decrypted = openssl(['enc', '-d', '-sm4-ctr', '-K', hex(encKey), '-iv', hex(iv)], ciphertext);
    assert.deepEqual(new Uint8Array(decrypted), PLAINTEXT);
  });

  it('uses a fresh IV each time, so equal plaintexts give different envelopes without leaking the plaintext', () => {
    const a = sealEnvelope(MASTER, PLAINTEXT);
    const b = sealEnvelope(MASTER, PLAINTEXT);
    assert.notDeepEqual(a.subarray(2, 18), b.subarray(2, 18));
    assert.notDeepEqual(a, b);
    assert.equal(Buffer.from(a).indexOf(Buffer.from('issuer signing key')), -1);
  });

  it('rejects every single flipped byte, anywhere in the envelope', () => {
    const envelope = sealEnvelope(MASTER, PLAINTEXT, AAD);
    for (let index = 0; index < envelope.length; index += 1) {
      const tampered = Uint8Array.from(envelope);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      assert.throws(
        () => openEnvelope(MASTER, tampered, AAD),
        (error: unknown) => error instanceof EnvelopeError,
        `byte ${index}`,
      );
    }
  });

  it('rejects a wrong master key', () => {
    const envelope = sealEnvelope(MASTER, PLAINTEXT);
    assert.throws(
      () => openEnvelope(new Uint8Array(randomBytes(32)), envelope),
      isEnvelopeError('AUTHENTICATION_FAILED'),
    );
  });

  it('does not keep using keys derived from a master key buffer the caller later changed in place', () => {
    const key = new Uint8Array(randomBytes(32));
    const envelope = sealEnvelope(key, PLAINTEXT);
    const flipFirstByte = (bytes: Uint8Array): void => {
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    };
    flipFirstByte(key);
    assert.throws(() => openEnvelope(key, envelope), isEnvelopeError('AUTHENTICATION_FAILED'));
    flipFirstByte(key);
    assert.deepEqual(openEnvelope(key, envelope), PLAINTEXT);
  });

  it('alternates between master keys correctly', () => {
    const other = new Uint8Array(randomBytes(32));
    const mine = sealEnvelope(MASTER, PLAINTEXT);
    const theirs = sealEnvelope(other, PLAINTEXT);
    for (let round = 0; round < 3; round += 1) {
      assert.deepEqual(openEnvelope(MASTER, mine), PLAINTEXT);
      assert.deepEqual(openEnvelope(other, theirs), PLAINTEXT);
      assert.throws(() => openEnvelope(other, mine), isEnvelopeError('AUTHENTICATION_FAILED'));
    }
  });

  it('rejects wrong, missing or extra AAD', () => {
    const envelope = sealEnvelope(MASTER, PLAINTEXT, AAD);
    const other = new Uint8Array(Buffer.from('key:issuer-420100-02', 'utf8'));
    assert.throws(() => openEnvelope(MASTER, envelope, other), isEnvelopeError('AUTHENTICATION_FAILED'));
    assert.throws(() => openEnvelope(MASTER, envelope), isEnvelopeError('AUTHENTICATION_FAILED'));
    const withoutAad = sealEnvelope(MASTER, PLAINTEXT);
    assert.throws(() => openEnvelope(MASTER, withoutAad, AAD), isEnvelopeError('AUTHENTICATION_FAILED'));
  });

  it('does not let bytes move between the AAD and the ciphertext', () => {
    // Without the AAD length in the MAC input, moving the first ciphertext byte to the end of the AAD would keep
    // header ‖ aad ‖ ciphertext identical and the old tag would still verify.
    const envelope = sealEnvelope(MASTER, new Uint8Array([1, 2, 3]), new Uint8Array([9]));
    const firstCiphertextByte = envelope[18] ?? 0;
    const shifted = new Uint8Array([...envelope.subarray(0, 18), ...envelope.subarray(19)]);
    assert.throws(
      () => openEnvelope(MASTER, shifted, new Uint8Array([9, firstCiphertextByte])),
      isEnvelopeError('AUTHENTICATION_FAILED'),
    );
  });

  it('names an unknown version or algorithm', () => {
    const envelope = sealEnvelope(MASTER, PLAINTEXT);
    const v2 = Uint8Array.from(envelope);
    v2[0] = 0x02;
    assert.throws(() => openEnvelope(MASTER, v2), isEnvelopeError('UNSUPPORTED_VERSION'));
    const cbc = Uint8Array.from(envelope);
    cbc[1] = 0x02;
    assert.throws(() => openEnvelope(MASTER, cbc), isEnvelopeError('UNSUPPORTED_ALGORITHM'));
  });

  it('rejects truncated input: too short for a header and tag, or cut anywhere', () => {
    const envelope = sealEnvelope(MASTER, PLAINTEXT);
    assert.throws(() => openEnvelope(MASTER, new Uint8Array(0)), isEnvelopeError('TRUNCATED'));
    assert.throws(
      () => openEnvelope(MASTER, envelope.subarray(0, ENVELOPE_OVERHEAD - 1)),
      isEnvelopeError('TRUNCATED'),
    );
    for (let length = ENVELOPE_OVERHEAD; length < envelope.length; length += 1) {
      assert.throws(
        () => openEnvelope(MASTER, envelope.subarray(0, length)),
        isEnvelopeError('AUTHENTICATION_FAILED'),
        `length ${length}`,
      );
    }
  });

  it('requires a 32-byte master key on both sides', () => {
    const envelope = sealEnvelope(MASTER, PLAINTEXT);
    for (const size of [0, 16, 31, 33, 64]) {
      const key = new Uint8Array(size);
      const wrongSize = (error: unknown): boolean =>
        error instanceof Sm4LengthError &&
        error.context['parameter'] === 'masterKey' &&
        error.context['actual'] === size;
      assert.throws(() => sealEnvelope(key, PLAINTEXT), wrongSize);
      assert.throws(() => openEnvelope(key, envelope), wrongSize);
    }
  });
});
