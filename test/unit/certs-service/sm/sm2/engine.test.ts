import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CertHubError } from '@certhub/certs-service';
import { Sm2PrivateKey, sm2Engine, sm2Sign, sm2Verify } from '@certhub/certs-service/dist/sm/sm2';
import { resetSm2EngineForTests } from '@certhub/certs-service/dist/sm/sm2/engine';
import { NATIVE_SM2_ADDON_PATH } from '@certhub/certs-service/dist/sm/sm2/native-binding';

describe('sm2 engine selection', () => {
  const saved = process.env.CERTHUB_SM2_ENGINE;
  afterEach(() => {
    if (saved === undefined) {
      delete process.env.CERTHUB_SM2_ENGINE;
    } else {
      process.env.CERTHUB_SM2_ENGINE = saved;
    }
    resetSm2EngineForTests();
  });

  it('CERTHUB_SM2_ENGINE=js forces the JS engine, and signatures still verify', () => {
    process.env.CERTHUB_SM2_ENGINE = 'js';
    resetSm2EngineForTests();
    assert.equal(sm2Engine(), 'js');
    const key = Sm2PrivateKey.generate();
    assert.equal(sm2Verify(key.publicKey, 'm', sm2Sign(key, 'm')), true);
  });

  it('keeps its choice for the process until reset, so the hot path does not re-read the environment', () => {
    process.env.CERTHUB_SM2_ENGINE = 'js';
    resetSm2EngineForTests();
    assert.equal(sm2Engine(), 'js');
    delete process.env.CERTHUB_SM2_ENGINE;
    assert.equal(sm2Engine(), 'js');
  });

  it('a bad CERTHUB_SM2_ENGINE value is a typed error at first use, not a silent fallback', () => {
    process.env.CERTHUB_SM2_ENGINE = 'fast';
    resetSm2EngineForTests();
    assert.throws(
      () => sm2Engine(),
      (error: unknown) => error instanceof CertHubError && error.code === 'INVALID_SM2_ENGINE_SETTING',
    );
  });

  it('a fresh process picks the engine from its environment: js when forced, native when the addon is built', () => {
    const script = [
      "const c = require('@certhub/certs-service/dist/sm/sm2');",
      'const key = c.Sm2PrivateKey.generate();',
      "process.stdout.write(JSON.stringify({ engine: c.sm2Engine(), ok: c.sm2Verify(key.publicKey, 'm', c.sm2Sign(key, 'm')) }));",
    ].join('\n');
    const run = (env: Record<string, string>): { engine: string; ok: boolean } => {
      const child = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      return JSON.parse(child.stdout) as { engine: string; ok: boolean };
    };
    assert.deepEqual(run({ CERTHUB_SM2_ENGINE: 'js' }), { engine: 'js', ok: true });
    const unset = run({ CERTHUB_SM2_ENGINE: '' });
    assert.equal(unset.ok, true);
    assert.equal(unset.engine, existsSync(NATIVE_SM2_ADDON_PATH) ? 'native' : 'js');
  });
});
