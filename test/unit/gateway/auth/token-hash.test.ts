import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { isWellFormedToken, newToken, tokenHash, tokenHashesEqual } from '@certhub/gateway/dist/auth/token-hash';

describe('auth/token-hash', () => {
  it('hashes a token as SM3 of its UTF-8 bytes (GB/T 32905 vector "abc")', () => {
    assert.equal(tokenHash('abc'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('matches `openssl dgst -sm3`, so operators can build the users file with OpenSSL', () => {
    const out = execFileSync('openssl', ['dgst', '-sm3', '-r'], { input: 'dev-wuhan-clerk' }).toString();
    assert.equal(tokenHash('dev-wuhan-clerk'), out.split(' ')[0]);
  });

  it('makes new tokens of 256 bits that are well-formed bearer tokens and never repeat', () => {
    const a = newToken();
    const b = newToken();
    assert.equal(Buffer.from(a, 'base64url').length, 32);
    assert.ok(isWellFormedToken(a));
    assert.notEqual(a, b);
  });

  it('accepts RFC 6750 b64token syntax only, bounded in length', () => {
    assert.ok(isWellFormedToken('dev-hub-admin'));
    assert.ok(isWellFormedToken('abc+/._~-=='));
    assert.ok(!isWellFormedToken(''));
    assert.ok(!isWellFormedToken('a b'));
    assert.ok(!isWellFormedToken('tök'));
    assert.ok(!isWellFormedToken('=abc'));
    assert.ok(!isWellFormedToken('a'.repeat(513)));
  });

  it('compares hashes exactly and treats anything that is not a hash as unequal', () => {
    const h = tokenHash('x');
    assert.ok(tokenHashesEqual(h, tokenHash('x')));
    assert.ok(!tokenHashesEqual(h, tokenHash('y')));
    assert.ok(!tokenHashesEqual(h, h.toUpperCase()));
    assert.ok(!tokenHashesEqual(h, h.slice(0, 62)));
  });
});
