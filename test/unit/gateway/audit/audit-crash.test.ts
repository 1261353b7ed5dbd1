import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVELOPMENT_USERS } from '@certhub/gateway/dist/auth';
import { openDevelopmentHub } from '@certhub/gateway/dist/seed';

/** Runs the crash writer until it prints `ready`, then kills it with SIGKILL; returns what it printed. */
function runAndKill(dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'audit-crash-writer.js'), dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', () => {
      resolve(output);
    });
  });
}

describe('gateway audit log across a crash', function () {
  this.timeout(120_000);
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'certhub-audit-crash-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('entries appended but not anchored before a SIGKILL are anchored by the next start, and the log verifies', async () => {
    const output = await runAndKill(dataDir);
    const entries = [...output.matchAll(/^entry (\d+) ([0-9a-f]{64})$/gm)].map((m) => [Number(m[1]), m[2]] as const);
    assert.equal(entries.length, 5, output);
    assert.match(output, /^anchored 2$/m);
    const [lastSeq, lastHash] = entries[4] ?? [0, ''];

    const hub = await openDevelopmentHub({ dataDir, audit: { anchorEvery: 1_000_000, anchorIntervalMs: 3_600_000 } });
    try {
      // start() found entries 3–5 pending and anchored the newest.
      const head = await hub.audit.heads.latest();
      assert.deepEqual(head && [head.seq, head.headHash], [lastSeq, lastHash]);
      assert.deepEqual(
        (await hub.audit.heads.history()).map((h) => h.seq),
        [2, 5],
      );
      const enterprise = DEVELOPMENT_USERS.find((u) => u.token === 'dev-enterprise')?.user;
      assert.ok(enterprise);
      const view = await hub.api.accessLog.forEnterprise(enterprise, '91420100303217469Q');
      assert.equal(view.verification.ok, true);
      assert.equal(view.verification.anchorsChecked, 2);
      assert.deepEqual(
        view.entries.map((e) => e.purpose),
        ['loan 5', 'loan 4', 'loan 3', 'loan 2', 'loan 1'],
      );
      // The chain continues after the crash.
      const bank = DEVELOPMENT_USERS.find((u) => u.token === 'dev-bank')?.user;
      assert.ok(bank);
      const next = await hub.api.creditAccess.openDetail(bank, '91420100303217469Q', 'loan 6', 'credit-detail');
      assert.equal(next.audit.seq, 6);
    } finally {
      await hub.close();
    }
  });
});
