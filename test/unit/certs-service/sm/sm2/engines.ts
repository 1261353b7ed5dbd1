import { resetSm2EngineForTests } from '@certhub/certs-service/dist/sm/sm2/engine';
import { sm2Engine } from '@certhub/certs-service/dist/sm/sm2';

export type EngineName = 'js' | 'native';

/**
 * Registers `body`'s tests once per SM2 engine: with CERTHUB_SM2_ENGINE=js and with the native engine.
 * The native round is skipped (visibly, as pending) when the addon is not built on this machine.
 */
export function describeEachEngine(title: string, body: (engine: EngineName) => void): void {
  for (const engine of ['js', 'native'] as const) {
    describe(`${title} [${engine} engine]`, function () {
      const saved = process.env.CERTHUB_SM2_ENGINE;
      before(function () {
        if (engine === 'js') {
          process.env.CERTHUB_SM2_ENGINE = 'js';
        } else {
          delete process.env.CERTHUB_SM2_ENGINE;
        }
        resetSm2EngineForTests();
        if (sm2Engine() !== engine) {
          this.skip();
        }
      });
      after(function () {
        if (saved === undefined) {
          delete process.env.CERTHUB_SM2_ENGINE;
        } else {
          process.env.CERTHUB_SM2_ENGINE = saved;
        }
        resetSm2EngineForTests();
      });
      body(engine);
    });
  }
}
