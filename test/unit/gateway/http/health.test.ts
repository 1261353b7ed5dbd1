import assert from 'node:assert/strict';
import { runHealthChecks } from '@certhub/gateway/dist/http/health';

describe('health checks', () => {
  it('reports ok when every check passes', async () => {
    const r = await runHealthChecks([{ name: 'ledger', check: () => Promise.resolve() }], 100);
    assert.deepEqual(r, { status: 'ok', checks: { ledger: { ok: true } } });
  });
  it('reports a failing check with its reason, and a hung one as a timeout', async () => {
    const r = await runHealthChecks(
      [
        { name: 'ledger', check: () => Promise.reject(new Error('connection refused')) },
        { name: 'store', check: () => new Promise<void>(() => undefined) },
      ],
      50,
    );
    assert.equal(r.status, 'failing');
    assert.deepEqual(r.checks.ledger, { ok: false, detail: 'connection refused' });
    assert.deepEqual(r.checks.store, { ok: false, detail: 'no answer within 50 ms' });
  });
});
