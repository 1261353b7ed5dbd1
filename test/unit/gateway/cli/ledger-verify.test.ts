import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { Level } from 'level';
import { createFabricCa, issueFabricIdentity } from '@certhub/certs-service';
import { runCli } from '@certhub/gateway/dist/cli/run';
import { EmbeddedLedger } from '@certhub/gateway/dist/ledger';
import { MemoryIo } from './memory-io';

@Info({ title: 'note', description: 'writes one key per transaction' })
class NoteContract extends Contract {
  constructor() {
    super('note');
  }

  @Transaction()
  async write(ctx: Context, key: string, value: string): Promise<void> {
    await ctx.stub.putState(key, Buffer.from(value));
  }
}

describe('certhub ledger verify', function () {
  this.timeout(30_000);
  let dir: string;
  const io = new MemoryIo();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certhub-cli-ledger-'));
    const ca = await createFabricCa({ mspId: 'NoteMSP', commonName: 'ca.note' });
    const writer = await issueFabricIdentity(ca, { mspId: 'NoteMSP', enrollmentId: 'writer' });
    const ledger = await EmbeddedLedger.open({
      dataDir: dir,
      contracts: [NoteContract],
      organizations: [{ mspId: 'NoteMSP', rootCertificatePems: [ca.certificatePem] }],
    });
    await ledger.submit(writer, { contract: 'note', fn: 'write', args: ['a', '1'] });
    await ledger.submit(writer, { contract: 'note', fn: 'write', args: ['a', '2'] });
    await ledger.close();
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    io.reset();
  });

  it('reports an intact ledger with exit 0', async () => {
    assert.equal(await runCli(['ledger', 'verify', '--data-dir', dir], io), 0);
    assert.match(io.out, /^ledger intact: \d+ blocks, 2 transactions\n$/);
  });

  it('names the first broken block with exit 1 after a block is altered', async () => {
    const db = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const blocks = db.sublevel('blocks', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const key = '1'.padStart(16, '0');
    const original = await blocks.get(key);
    assert.ok(original !== undefined);
    await blocks.put(key, original.replace('"note"', '"notX"'));
    await db.close();
    assert.equal(await runCli(['ledger', 'verify', '--data-dir', dir], io), 1);
    assert.match(io.err, /ledger broken at block 1: /);
  });

  it('refuses a folder that holds no ledger with exit 2 instead of creating one', async () => {
    const missing = join(dir, 'absent');
    assert.equal(await runCli(['ledger', 'verify', '--data-dir', missing], io), 2);
    assert.match(io.err, /no ledger at/);
  });
});
