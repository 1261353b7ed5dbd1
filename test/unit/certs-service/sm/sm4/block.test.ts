import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CertHubError, Sm4LengthError, sm4DecryptBlock, sm4EncryptBlock } from '@certhub/certs-service';

const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

// GB/T 32907-2016 Appendix A; the same values are in OpenSSL test/sm4_internal_test.c.
const KEY = fromHex('0123456789abcdeffedcba9876543210');
const PLAINTEXT = KEY;

describe('sm4 block cipher', () => {
  it('encrypts GB/T 32907 example 1', () => {
    assert.equal(hex(sm4EncryptBlock(KEY, PLAINTEXT)), '681edf34d206965e86b3e94f536e4246');
  });

  it('decrypts GB/T 32907 example 1 back to the plaintext', () => {
    assert.deepEqual(sm4DecryptBlock(KEY, fromHex('681edf34d206965e86b3e94f536e4246')), PLAINTEXT);
  });

  it('reaches GB/T 32907 example 2 after 1,000,000 encryptions, and comes back after as many decryptions', function () {
    this.timeout(60_000);
    let block = PLAINTEXT;
    for (let round = 0; round < 1_000_000; round += 1) block = sm4EncryptBlock(KEY, block);
    assert.equal(hex(block), '595298c7c6fd271f0402f804c33d3f66');
    for (let round = 0; round < 1_000_000; round += 1) block = sm4DecryptBlock(KEY, block);
    assert.deepEqual(block, PLAINTEXT);
  });

  it('round-trips random blocks under random keys', () => {
    for (let i = 0; i < 20; i += 1) {
      const key = randomBytes(16);
      const block = new Uint8Array(randomBytes(16));
      const encrypted = sm4EncryptBlock(key, block);
      assert.notDeepEqual(encrypted, block);
      assert.deepEqual(sm4DecryptBlock(key, encrypted), block);
    }
  });

  it('rejects keys and blocks that are not 16 bytes with Sm4LengthError', () => {
    const cases: [Uint8Array, Uint8Array, string, number][] = [
      [new Uint8Array(15), new Uint8Array(16), 'key', 15],
      [new Uint8Array(32), new Uint8Array(16), 'key', 32],
      [new Uint8Array(16), new Uint8Array(0), 'block', 0],
      [new Uint8Array(16), new Uint8Array(17), 'block', 17],
    ];
    for (const [key, block, parameter, actual] of cases) {
      for (const run of [sm4EncryptBlock, sm4DecryptBlock]) {
        assert.throws(
          () => run(key, block),
          (error: unknown) =>
            // CertHubError first: its `code` is a plain string, so the comparison is a real check.
            error instanceof CertHubError &&
            error.code === 'INVALID_SM4_LENGTH' &&
            error instanceof Sm4LengthError &&
            error.context['parameter'] === parameter &&
            error.context['actual'] === actual,
        );
      }
    }
  });
});
