import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hkdfSm3 } from '@certhub/certs-service';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** HKDF-SM3 by the OpenSSL 3 CLI (`openssl kdf … HKDF`), which prints colon-separated upper-case hex. */
function opensslHkdfSm3(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): string {
  const out = execFileSync('openssl', [
    'kdf',
    '-keylen',
    String(length),
    '-kdfopt',
    'digest:SM3',
    '-kdfopt',
    `hexkey:${hex(ikm)}`,
    '-kdfopt',
    `hexsalt:${hex(salt)}`,
    '-kdfopt',
    `hexinfo:${hex(info)}`,
    'HKDF',
  ]);
  return out.toString('utf8').trim().replaceAll(':', '').toLowerCase();
}

describe('hkdfSm3', () => {
  it('matches OpenSSL HKDF with SM3 for several output lengths', () => {
    for (const length of [16, 32, 48, 100]) {
      const ikm = randomBytes(32);
      const salt = randomBytes(19);
      const info = randomBytes(7);
      assert.equal(hex(hkdfSm3(ikm, salt, info, length)), opensslHkdfSm3(ikm, salt, info, length), `length ${length}`);
    }
  });

  it('gives independent keys for different labels, and treats a string label as UTF-8', () => {
    const ikm = randomBytes(32);
    const salt = Buffer.from('s');
    assert.notDeepEqual(hkdfSm3(ikm, salt, 'a', 32), hkdfSm3(ikm, salt, 'b', 32));
    assert.deepEqual(hkdfSm3(ikm, salt, '密钥', 32), hkdfSm3(ikm, salt, Buffer.from('密钥', 'utf8'), 32));
  });
});
