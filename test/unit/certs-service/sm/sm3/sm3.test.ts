import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSm3, hmacSm3, sm3, sm3Hex, SM3_DIGEST_LENGTH } from '@certhub/certs-service';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** HMAC-SM3 as computed by the OpenSSL 3 CLI (`openssl mac -digest SM3 -macopt hexkey:… HMAC`), an independent implementation. */
function opensslHmacSm3(key: Uint8Array, data: Uint8Array): string {
  const out = execFileSync('openssl', ['mac', '-digest', 'SM3', '-macopt', `hexkey:${hex(key)}`, 'HMAC'], {
    input: data,
  });
  return out.toString('utf8').trim().toLowerCase();
}

describe('sm3', () => {
  // GB/T 32905-2016 Appendix A example 1; also OpenSSL test/recipes/30-test_evp_data/evpmd_sm3.txt.
  it('hashes "abc" to the GB/T 32905 example 1 digest', () => {
    assert.equal(sm3Hex('abc'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  // GB/T 32905-2016 Appendix A example 2: "abcd" repeated 16 times (64 bytes, exactly one block before padding).
  it('hashes "abcd"×16 to the GB/T 32905 example 2 digest', () => {
    assert.equal(sm3Hex('abcd'.repeat(16)), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('returns 32 bytes equal to the hex form, treating strings as UTF-8', () => {
    const digest = sm3('abc');
    assert.ok(digest instanceof Uint8Array);
    assert.equal(digest.length, SM3_DIGEST_LENGTH);
    assert.equal(hex(digest), sm3Hex('abc'));
    assert.equal(sm3Hex('证照'), sm3Hex(Buffer.from('证照', 'utf8')));
  });

  it('matches the OpenSSL CLI digest on random input', () => {
    const data = randomBytes(1000);
    const out = execFileSync('openssl', ['dgst', '-sm3', '-r'], { input: data }).toString('utf8');
    assert.equal(sm3Hex(data), out.split(' ')[0]);
  });
});

describe('createSm3', () => {
  it('gives the same digest incrementally as in one shot, across block boundaries', () => {
    const data = randomBytes(10_000);
    const hasher = createSm3();
    for (let offset = 0; offset < data.length; offset += 777) {
      hasher.update(data.subarray(offset, offset + 777));
    }
    assert.deepEqual(hasher.digest(), sm3(data));
  });

  it('chains update calls and accepts strings', () => {
    assert.equal(
      hex(
        createSm3()
          .update('ab')
          .update(new Uint8Array([0x63]))
          .digest(),
      ),
      sm3Hex('abc'),
    );
  });
});

describe('hmacSm3', () => {
  it('matches OpenSSL HMAC-SM3 for short, block-sized and over-long keys', () => {
    for (const keyLength of [16, 64, 100]) {
      const key = randomBytes(keyLength);
      const data = randomBytes(300);
      assert.equal(hex(hmacSm3(key, data)), opensslHmacSm3(key, data), `key of ${keyLength} bytes`);
    }
  });

  it('treats a string message as UTF-8 and yields a 32-byte tag', () => {
    const key = randomBytes(32);
    const tag = hmacSm3(key, '11010519491231002X');
    assert.equal(tag.length, 32);
    assert.equal(hex(tag), opensslHmacSm3(key, Buffer.from('11010519491231002X', 'utf8')));
  });

  it('depends on the key', () => {
    assert.notDeepEqual(hmacSm3(new Uint8Array(32), 'x'), hmacSm3(new Uint8Array(32).fill(1), 'x'));
  });
});
