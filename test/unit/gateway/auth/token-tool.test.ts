import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { runTokenTool } from '@certhub/gateway/dist/auth/token-tool';
import { tokenHash } from '@certhub/gateway/dist/auth/token-hash';

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runTokenTool(args, {
    stdin: () => Promise.resolve(stdin),
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  return { code, out, err };
}

describe('auth/token-tool', () => {
  it('makes a new token with its hash', async () => {
    const { code, out } = await run(['new']);
    assert.equal(code, 0);
    const made = JSON.parse(out) as { token: string; tokenHash: string };
    assert.equal(made.tokenHash, tokenHash(made.token));
  });

  it('hashes the token on stdin, ignoring the trailing newline', async () => {
    assert.deepEqual(await run(['hash'], 'dev-bank\n'), { code: 0, out: `${tokenHash('dev-bank')}\n`, err: '' });
  });

  it('answers usage errors with exit code 2', async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run(['hash', 'secret-on-the-command-line'])).code, 2);
    assert.match((await run(['hash'], '  \n')).err, /no token/);
  });

  it('runs as a script', () => {
    const script = resolve(require.resolve('@certhub/gateway/dist/auth/token-tool'));
    const out = execFileSync(process.execPath, [script, 'hash'], { input: 'abc' }).toString();
    assert.equal(out, '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0\n');
  });
});
