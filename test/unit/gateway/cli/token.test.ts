import assert from 'node:assert/strict';
import { tokenHash } from '@certhub/gateway/dist/auth/token-hash';
import { runCli } from '@certhub/gateway/dist/cli/run';
import { MemoryIo } from './memory-io';

describe('certhub token', () => {
  it('new: a fresh 256-bit token and its users-file hash, different every time', async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 3; i += 1) {
      const io = new MemoryIo();
      assert.equal(await runCli(['token', 'new'], io), 0);
      const printed = JSON.parse(io.out) as { token: string; tokenHash: string };
      assert.match(printed.token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(printed.tokenHash, tokenHash(printed.token));
      tokens.add(printed.token);
    }
    assert.equal(tokens.size, 3);
  });

  it('hash: the SM3 of a token read from a file, its trailing newline ignored', async () => {
    const io = new MemoryIo();
    io.files.set('t.txt', Buffer.from('dev-wuhan-clerk\n'));
    assert.equal(await runCli(['token', 'hash', '--in', 't.txt'], io), 0);
    assert.equal(io.out, `${tokenHash('dev-wuhan-clerk')}\n`);
    // SM3("abc") from GB/T 32905-2016, so any SM3 tool gives the same hash.
    io.reset();
    io.files.set('abc.txt', Buffer.from('abc'));
    assert.equal(await runCli(['token', 'hash', '--in', 'abc.txt'], io), 0);
    assert.equal(io.out, '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0\n');
  });

  it('hash: refuses an empty file or more than one word (exit 2)', async () => {
    for (const content of ['', '\n', 'two tokens']) {
      const io = new MemoryIo();
      io.files.set('t.txt', Buffer.from(content));
      assert.equal(await runCli(['token', 'hash', '--in', 't.txt'], io), 2, JSON.stringify(content));
      assert.match(io.err, /expected one token/);
    }
  });
});
