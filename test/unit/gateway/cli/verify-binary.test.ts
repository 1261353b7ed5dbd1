import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import request from 'supertest';
import { bearer, businessLicenseRequest } from '../routes/hub-app';
import { listenGateway, refusingUrl, type ListeningGateway } from './listening-gateway';

// The built `certhub` bin (test/dist/unit/gateway/cli → repo root).
const CLI = resolve(__dirname, '../../../../../gateway/dist/cli/main.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real binary. Asynchronously: the gateway it talks to listens in this process, so blocking the event loop
 * (spawnSync) would leave its request unanswered. The environment is emptied of CERTHUB_* so the shell cannot steer it.
 */
function certhub(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CERTHUB_')));
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...base, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          fail(new Error(`cannot run ${CLI}: ${error.message}`, { cause: error }));
          return;
        }
        done({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

describe('the certhub binary: license verify against a listening gateway', function () {
  this.timeout(60_000);
  let gateway: ListeningGateway;
  let licenseId: string;

  before(async () => {
    gateway = await listenGateway();
    const issued = await request(gateway.hub.app)
      .post('/v1/licenses')
      .set(bearer('dev-wuhan-clerk'))
      .send(businessLicenseRequest());
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    licenseId = (issued.body as { licenseId: string }).licenseId;
  });
  after(async () => {
    await gateway.close();
  });

  it('prints VALID with every step and exits 0, taking the URL from CERTHUB_URL', async () => {
    const r = await certhub(['license', 'verify', '--id', licenseId], { CERTHUB_URL: gateway.url });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^verdict: {4}VALID$/m);
    assert.match(r.stdout, /^✓ signature: /m);
    assert.match(r.stdout, /^✓ anchor: /m);
    assert.equal(r.stderr, '');
  });

  it('exits 1 naming status once the license is revoked, and 2 with one line when nothing listens', async () => {
    const revoked = await request(gateway.hub.app)
      .post(`/v1/licenses/${licenseId}/revoke`)
      .set(bearer('dev-wuhan-clerk'))
      .send({ reason: 'binary test' });
    assert.equal(revoked.status, 200);
    const r = await certhub(['license', 'verify', '--id', licenseId, '--url', gateway.url, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { verdict: string; checks: { step: string; ok: boolean | null }[] };
    assert.equal(report.verdict, 'INVALID');
    assert.deepEqual(
      report.checks.filter((c) => c.ok === false).map((c) => c.step),
      ['status'],
    );

    const nowhere = await refusingUrl();
    const down = await certhub(['license', 'verify', '--id', licenseId, '--url', nowhere]);
    assert.equal(down.code, 2);
    assert.ok(down.stderr.startsWith(`certhub: cannot reach the gateway at ${nowhere}: ECONNREFUSED`), down.stderr);
    assert.equal(down.stderr.split('\n').length, 2, 'one line, no stack trace');
  });
});
