import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeProductionMaterial } from '../support/production-material';

/*
 * The gateway as `npm start` runs it (gateway/dist/main.js): development mode seeds a fresh data directory, answers
 * with the development tokens, stops on SIGTERM, and a second start over the same directory seeds nothing; production
 * mode starts only from complete operator material.
 */

const MAIN = resolve(__dirname, '..', '..', '..', 'gateway', 'dist', 'main.js');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        done(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

interface Running {
  readonly child: ChildProcess;
  /** stdout and stderr lines, in arrival order. */
  readonly lines: string[];
  /** stdout lines alone: the structured log. */
  readonly out: string[];
  readonly exited: Promise<number | null>;
}

function start(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const out: string[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    out.push(...parts);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    lines.push(chunk.toString('utf8'));
  });
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code) => {
      done(code);
    });
  });
  return { child, lines, out, exited };
}

async function waitHealthy(port: number, running: Running): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (running.child.exitCode !== null) throw new Error(`gateway exited: ${running.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gateway did not become healthy: ${running.lines.join('\n')}`);
}

/** The `seededTransactions` the process logged when its hub was ready. */
function seededTransactions(lines: readonly string[]): number | undefined {
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { message?: string; seededTransactions?: number };
    if (entry.message === 'development hub ready') return entry.seededTransactions;
  }
  return undefined;
}

describe('e2e: the gateway process', function () {
  this.timeout(90_000);
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'certhub-process-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts in development mode, serves the development users, and re-uses its data after a restart', async () => {
    for (const round of [1, 2]) {
      const port = await freePort();
      const running = start({ CERTHUB_DATA_DIR: dataDir, PORT: String(port) });
      try {
        await waitHealthy(port, running);
        const me = await fetch(`http://127.0.0.1:${port}/v1/me`, {
          headers: { Authorization: 'Bearer dev-guangde-clerk' },
        });
        assert.equal(me.status, 200);
        assert.equal(((await me.json()) as { region: string }).region, '341882');
        const spec = await fetch(`http://127.0.0.1:${port}/openapi.json`);
        assert.equal(((await spec.json()) as { openapi: string }).openapi.slice(0, 3), '3.1');
        // The web pages are mounted by the real process, not only by the browser test's own app.
        for (const page of ['/', '/clerk', '/admin']) {
          const html = await fetch(`http://127.0.0.1:${port}${page}`);
          assert.equal(html.status, 200, page);
          assert.match(html.headers.get('content-type') ?? '', /text\/html/);
        }
      } finally {
        running.child.kill('SIGTERM');
      }
      assert.equal(await running.exited, 0, running.lines.join('\n'));
      const seeded = seededTransactions(running.lines);
      if (round === 1) assert.ok(seeded !== undefined && seeded > 0, 'the first start seeds');
      else assert.equal(seeded, 0, 'a restart seeds nothing');
      // stdout is the structured log alone: fabric-contract-api's start-up lines about its decorators are not in it.
      const notJson = running.out.filter((line) => {
        try {
          const entry: unknown = JSON.parse(line);
          return typeof entry !== 'object' || entry === null;
        } catch {
          return true;
        }
      });
      assert.deepEqual(notJson.slice(0, 3), [], `${notJson.length} stdout lines are not JSON objects`);
    }
  });

  it('refuses to start in production mode without a master key (exit 2, the message, no listening)', async () => {
    const port = await freePort();
    const running = start({
      CERTHUB_MODE: 'production',
      CERTHUB_USERS_FILE: join(dataDir, 'users.json'),
      CERTHUB_IDENTITIES_DIR: join(dataDir, 'identities'),
      CERTHUB_HUB_FILE: join(dataDir, 'hub.json'),
      CERTHUB_DATA_DIR: dataDir,
      PORT: String(port),
    });
    assert.equal(await running.exited, 2);
    assert.match(running.lines.join('\n'), /certhub gateway: production mode needs CERTHUB_MASTER_KEY\n/);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
  });

  it('refuses LEDGER=fabric while the Fabric backend is blocked (exit 2)', async () => {
    const running = start({ LEDGER: 'fabric', CERTHUB_DATA_DIR: dataDir, PORT: String(await freePort()) });
    assert.equal(await running.exited, 2);
    assert.match(running.lines.join('\n'), /the Fabric backend is not available \(issue 5 blocked\)/);
  });

  it('starts in production mode from operator material: users-file tokens only, then stops cleanly', async () => {
    const material = await makeProductionMaterial();
    try {
      const port = await freePort();
      const running = start({
        CERTHUB_MODE: 'production',
        CERTHUB_MASTER_KEY: material.masterKeyHex,
        CERTHUB_USERS_FILE: material.inputs.usersFile,
        CERTHUB_IDENTITIES_DIR: material.inputs.identitiesDir,
        CERTHUB_HUB_FILE: material.inputs.hubFile,
        CERTHUB_DATA_DIR: dataDir,
        PORT: String(port),
      });
      try {
        await waitHealthy(port, running);
        const me = await fetch(`http://127.0.0.1:${port}/v1/me`, {
          headers: { Authorization: `Bearer ${material.tokens['wuhan-clerk'] ?? ''}` },
        });
        assert.equal(me.status, 200);
        assert.equal(((await me.json()) as { role: string }).role, 'clerk');
        const dev = await fetch(`http://127.0.0.1:${port}/v1/me`, {
          headers: { Authorization: 'Bearer dev-wuhan-clerk' },
        });
        assert.equal(dev.status, 401);
      } finally {
        running.child.kill('SIGTERM');
      }
      assert.equal(await running.exited, 0, running.lines.join('\n'));
      const ready = running.lines.find((line) => line.includes('"production hub ready"'));
      assert.ok(ready !== undefined, running.lines.join('\n'));
      assert.ok((JSON.parse(ready) as { seededTransactions: number }).seededTransactions > 0);
      assert.ok(!running.lines.join('\n').includes(material.masterKeyHex), 'the master key is never logged');
    } finally {
      material.dispose();
    }
  });
});
