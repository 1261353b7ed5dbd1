import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLedger, verifyLedger } from '@certhub/gateway/dist/ledger';
import { createFabricCa, issueFabricIdentity } from '@certhub/certs-service';

describe('EmbeddedLedger after a crash', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'certhub-crash-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged transaction whole and the chain intact when killed mid-stream', async () => {
    const child = spawn(process.execPath, [join(__dirname, 'crash-writer.js'), dir], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const acknowledged: string[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        // fabric-contract-api logs its decorators on stdout too; tx IDs are the 64-hex lines.
        acknowledged.push(...lines.filter((line) => /^[0-9a-f]{64}$/.test(line)));
        // Kill while it is still writing: SIGKILL gives it no chance to finish a batch or close the database.
        if (acknowledged.length >= 400 && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', () => {
        resolve();
      });
    });
    assert.ok(acknowledged.length >= 400, `the writer acknowledged only ${acknowledged.length} transactions`);

    const verification = await verifyLedger(dir);
    assert.equal(verification.ok, true, JSON.stringify(verification));

    const ca = await createFabricCa({ mspId: 'CrashMSP', commonName: 'ca.crashmsp' });
    const ledger = await EmbeddedLedger.open({
      dataDir: dir,
      contracts: [],
      organizations: [{ mspId: 'CrashMSP', rootCertificatePems: [ca.certificatePem] }],
    });
    try {
      const committed = await ledger.history();
      const committedIds = new Set(committed.map((t) => t.txId));
      for (const txId of acknowledged) assert.ok(committedIds.has(txId), `acknowledged ${txId} was lost`);
      // Each transaction wrote both of its keys or neither: verifyLedger matched the world state to the blocks.
      assert.ok(committed.length >= acknowledged.length);
      assert.equal(ledger.height, (committed[committed.length - 1]?.blockNumber ?? 0) + 1);
      const identity = await issueFabricIdentity(ca, { mspId: 'CrashMSP', enrollmentId: 'after' });
      await assert.rejects(ledger.submit(identity, { contract: 'pair', fn: 'write', args: ['x'] }));
    } finally {
      await ledger.close();
    }
  });
});
