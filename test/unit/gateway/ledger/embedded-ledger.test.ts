import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { Level } from 'level';
import {
  ChaincodeError,
  EmbeddedLedger,
  LedgerError,
  verifyLedger,
  type LedgerEvent,
  type LedgerIdentity,
} from '@certhub/gateway/dist/ledger';
import { createFabricCa, issueFabricIdentity, type FabricCa } from '@certhub/certs-service';

/** How many times the probe's put ran (simulated), to observe scheduling from outside the ledger. */
let putsSimulated = 0;

/** A probe contract that exercises each stub feature the chaincode relies on. */
@Info({ title: 'probe', description: 'ledger probe' })
class ProbeContract extends Contract {
  constructor() {
    super('probe');
  }

  @Transaction()
  async put(ctx: Context, key: string, value: string): Promise<string> {
    putsSimulated += 1;
    // Read-your-own-writes: Fabric returns the committed value, not the one just written.
    const before = Buffer.from(await ctx.stub.getState(key)).toString();
    await ctx.stub.putState(key, Buffer.from(value));
    const after = Buffer.from(await ctx.stub.getState(key)).toString();
    ctx.stub.setEvent('Put', Buffer.from(JSON.stringify({ key, value })));
    return JSON.stringify({ before, after });
  }

  @Transaction()
  async putIndexed(ctx: Context, owner: string, id: string): Promise<void> {
    await ctx.stub.putState(ctx.stub.createCompositeKey('owner~id', [owner, id]), Buffer.from(id));
  }

  @Transaction()
  async putThenFail(ctx: Context, key: string): Promise<void> {
    await ctx.stub.putState(key, Buffer.from('never'));
    ctx.stub.setEvent('Never', Buffer.from('x'));
    throw new Error(JSON.stringify({ code: 'PROBE_FAILED', message: 'probe failed on purpose', context: { key } }));
  }

  @Transaction()
  async remove(ctx: Context, key: string): Promise<void> {
    await ctx.stub.deleteState(key);
  }

  @Transaction(false)
  async get(ctx: Context, key: string): Promise<string> {
    return Buffer.from(await ctx.stub.getState(key)).toString();
  }

  @Transaction(false)
  async range(ctx: Context, start: string, end: string): Promise<string> {
    const keys: string[] = [];
    for await (const kv of ctx.stub.getStateByRange(start, end)) keys.push(kv.key);
    return JSON.stringify(keys);
  }

  @Transaction(false)
  async byOwner(ctx: Context, owner: string, pageSize: number, bookmark: string): Promise<string> {
    const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
      'owner~id',
      [owner],
      pageSize,
      bookmark,
    );
    const ids: string[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      ids.push(ctx.stub.splitCompositeKey(next.value.key).attributes[1] ?? '');
    }
    await iterator.close();
    return JSON.stringify({ ids, bookmark: metadata.bookmark, count: metadata.fetchedRecordsCount });
  }

  @Transaction(false)
  async rangePage(ctx: Context, start: string, end: string, pageSize: number, bookmark: string): Promise<string> {
    const { iterator, metadata } = await ctx.stub.getStateByRangeWithPagination(start, end, pageSize, bookmark);
    const keys: string[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) keys.push(next.value.key);
    await iterator.close();
    return JSON.stringify({ keys, bookmark: metadata.bookmark });
  }

  @Transaction()
  twoEvents(ctx: Context): void {
    ctx.stub.setEvent('First', Buffer.from('1'));
    ctx.stub.setEvent('Second', Buffer.from('2'));
  }

  @Transaction()
  async pageInSubmit(ctx: Context): Promise<void> {
    await ctx.stub.getStateByPartialCompositeKeyWithPagination('owner~id', [], 10, '');
  }

  @Transaction(false)
  async history(ctx: Context, key: string): Promise<string> {
    const entries: { txId: string; value: string; isDelete: boolean }[] = [];
    for await (const m of ctx.stub.getHistoryForKey(key)) {
      entries.push({ txId: m.txId, value: Buffer.from(m.value).toString(), isDelete: m.isDelete });
    }
    return JSON.stringify(entries);
  }

  @Transaction(false)
  whoAmI(ctx: Context): string {
    return JSON.stringify({
      mspId: ctx.clientIdentity.getMSPID(),
      id: ctx.clientIdentity.getID(),
      role: ctx.clientIdentity.getAttributeValue('role'),
      txTime: ctx.stub.getDateTimestamp().toISOString(),
      transient: Buffer.from(ctx.stub.getTransient().get('secret') ?? []).toString(),
    });
  }
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('EmbeddedLedger', () => {
  let dir: string;
  let ca: FabricCa;
  let alice: LedgerIdentity;
  let ledger: EmbeddedLedger;
  const open = (): Promise<EmbeddedLedger> =>
    EmbeddedLedger.open({
      dataDir: dir,
      contracts: [ProbeContract],
      organizations: [{ mspId: 'Org1MSP', rootCertificatePems: [ca.certificatePem] }],
    });

  before(async () => {
    ca = await createFabricCa({ mspId: 'Org1MSP', commonName: 'ca.org1msp' });
    alice = await issueFabricIdentity(ca, { mspId: 'Org1MSP', enrollmentId: 'alice', attrs: { role: 'clerk' } });
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certhub-ledger-'));
    ledger = await open();
  });

  afterEach(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a submitted write and never shows a transaction its own uncommitted write', async () => {
    const first = await ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['k', 'v1'] });
    assert.deepEqual(JSON.parse(text(first.payload)), { before: '', after: '' });
    assert.equal(first.blockNumber, 1);
    const second = await ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['k', 'v2'] });
    assert.deepEqual(JSON.parse(text(second.payload)), { before: 'v1', after: 'v1' });
    assert.equal(text(await ledger.evaluate(alice, { contract: 'probe', fn: 'get', args: ['k'] })), 'v2');
  });

  it('leaves no trace of a failed transaction and restores the chaincode error code', async () => {
    const heightBefore = ledger.height;
    await assert.rejects(
      ledger.submit(alice, { contract: 'probe', fn: 'putThenFail', args: ['k'] }),
      (error: unknown) => {
        assert.ok(error instanceof ChaincodeError);
        assert.equal(error.code, 'PROBE_FAILED');
        assert.deepEqual(error.context, { key: 'k' });
        return true;
      },
    );
    assert.equal(ledger.height, heightBefore);
    assert.equal(text(await ledger.evaluate(alice, { contract: 'probe', fn: 'get', args: ['k'] })), '');
    assert.deepEqual(await ledger.history(), []);
  });

  it('does not commit an evaluated transaction', async () => {
    await ledger.evaluate(alice, { contract: 'probe', fn: 'put', args: ['k', 'v'] });
    assert.equal(text(await ledger.evaluate(alice, { contract: 'probe', fn: 'get', args: ['k'] })), '');
    assert.equal(ledger.height, 1);
  });

  it('gives the chaincode the caller identity, attributes, tx time and transient data', async () => {
    const me = JSON.parse(
      text(
        await ledger.evaluate(alice, { contract: 'probe', fn: 'whoAmI', transient: { secret: Buffer.from('s3cret') } }),
      ),
    ) as Record<string, string>;
    assert.equal(me['mspId'], 'Org1MSP');
    assert.equal(me['role'], 'clerk');
    assert.match(me['id'] ?? '', /^x509::\/CN=alice/);
    assert.equal(me['transient'], 's3cret');
    assert.ok(Math.abs(Date.parse(me['txTime'] ?? '') - Date.now()) < 5_000);
  });

  it('rejects identities from an unknown MSP, from another CA, or without the matching key', async () => {
    const otherCa = await createFabricCa({ mspId: 'Org1MSP', commonName: 'ca.org1msp' });
    const mallory = await issueFabricIdentity(otherCa, { mspId: 'Org1MSP', enrollmentId: 'mallory' });
    const bob = await issueFabricIdentity(ca, { mspId: 'Org1MSP', enrollmentId: 'bob' });
    const cases: LedgerIdentity[] = [
      { ...alice, mspId: 'OtherMSP' },
      mallory,
      { ...alice, privateKeyPem: bob.privateKeyPem },
    ];
    for (const identity of cases) {
      await assert.rejects(
        ledger.submit(identity, { contract: 'probe', fn: 'put', args: ['k', 'v'] }),
        (error: unknown) => {
          assert.ok(error instanceof LedgerError);
          assert.equal(error.code, 'IDENTITY_REJECTED');
          return true;
        },
      );
    }
  });

  it('excludes composite keys from simple-key ranges and pages partial composite keys with bookmarks', async () => {
    for (const key of ['a', 'b', 'c']) await ledger.submit(alice, { contract: 'probe', fn: 'put', args: [key, key] });
    for (const id of ['1', '2', '3', '4', '5'])
      await ledger.submit(alice, { contract: 'probe', fn: 'putIndexed', args: ['o1', id] });
    await ledger.submit(alice, { contract: 'probe', fn: 'putIndexed', args: ['o2', '9'] });
    assert.deepEqual(
      JSON.parse(text(await ledger.evaluate(alice, { contract: 'probe', fn: 'range', args: ['', ''] }))),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      JSON.parse(text(await ledger.evaluate(alice, { contract: 'probe', fn: 'range', args: ['b', 'c'] }))),
      ['b'],
    );
    const pages: string[][] = [];
    let bookmark = '';
    do {
      const page = JSON.parse(
        text(await ledger.evaluate(alice, { contract: 'probe', fn: 'byOwner', args: ['o1', '2', bookmark] })),
      ) as {
        ids: string[];
        bookmark: string;
        count: number;
      };
      assert.equal(page.count, page.ids.length);
      pages.push(page.ids);
      bookmark = page.bookmark;
    } while (bookmark !== '');
    assert.deepEqual(pages, [['1', '2'], ['3', '4'], ['5']]);
  });

  it('pages simple-key ranges with bookmarks', async () => {
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5'])
      await ledger.submit(alice, { contract: 'probe', fn: 'put', args: [key, key] });
    const first = JSON.parse(
      text(await ledger.evaluate(alice, { contract: 'probe', fn: 'rangePage', args: ['k1', 'k5', '3', ''] })),
    ) as {
      keys: string[];
      bookmark: string;
    };
    assert.deepEqual(first, { keys: ['k1', 'k2', 'k3'], bookmark: 'k4' });
    const second = JSON.parse(
      text(
        await ledger.evaluate(alice, { contract: 'probe', fn: 'rangePage', args: ['k1', 'k5', '3', first.bookmark] }),
      ),
    ) as unknown;
    assert.deepEqual(second, { keys: ['k4'], bookmark: '' });
  });

  it('keeps only the last event a transaction sets, as Fabric does', async () => {
    const result = await ledger.submit(alice, { contract: 'probe', fn: 'twoEvents' });
    const stream = ledger.events({ startBlock: result.blockNumber });
    for await (const event of stream) {
      assert.deepEqual([event.txId, event.name, text(event.payload)], [result.txId, 'Second', '2']);
      stream.close();
    }
  });

  it('refuses paginated queries inside a submitted transaction, as Fabric does', async () => {
    await assert.rejects(ledger.submit(alice, { contract: 'probe', fn: 'pageInSubmit' }), /read-only/);
  });

  it('keeps per-key history newest first, including deletes', async () => {
    const t1 = await ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['h', 'one'] });
    const t2 = await ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['h', 'two'] });
    const t3 = await ledger.submit(alice, { contract: 'probe', fn: 'remove', args: ['h'] });
    const history = JSON.parse(
      text(await ledger.evaluate(alice, { contract: 'probe', fn: 'history', args: ['h'] })),
    ) as unknown;
    assert.deepEqual(history, [
      { txId: t3.txId, value: '', isDelete: true },
      { txId: t2.txId, value: 'two', isDelete: false },
      { txId: t1.txId, value: 'one', isDelete: false },
    ]);
  });

  it('replays and streams chaincode events, one per transaction', async () => {
    const first = await ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['e', '1'] });
    const stream = ledger.events({ startBlock: 0 });
    const received: LedgerEvent[] = [];
    const done = (async (): Promise<void> => {
      for await (const event of stream) {
        received.push(event);
        if (received.length === 2) stream.close();
      }
    })();
    const second = await ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['e', '2'] });
    await done;
    assert.deepEqual(
      received.map((e) => [e.txId, e.name, text(e.payload)]),
      [
        [first.txId, 'Put', '{"key":"e","value":"1"}'],
        [second.txId, 'Put', '{"key":"e","value":"2"}'],
      ],
    );
  });

  it('orders concurrent submissions: each sees the previous one, blocks group them, every tx lands once', async () => {
    const submissions = Array.from({ length: 40 }, (_, i) =>
      ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['c', String(i)] }),
    );
    const results = await Promise.all(submissions);
    results.forEach((result, i) => {
      assert.deepEqual(JSON.parse(text(result.payload)), {
        before: i === 0 ? '' : String(i - 1),
        after: i === 0 ? '' : String(i - 1),
      });
    });
    const committed = await ledger.history();
    assert.deepEqual(
      committed.map((t) => t.txId),
      results.map((r) => r.txId),
    );
    const blockNumbers = results.map((r) => r.blockNumber);
    assert.deepEqual(
      blockNumbers,
      [...blockNumbers].sort((a, b) => a - b),
    );
    assert.equal(ledger.height, (blockNumbers[blockNumbers.length - 1] ?? 0) + 1);
    assert.equal(text(await ledger.evaluate(alice, { contract: 'probe', fn: 'get', args: ['c'] })), '39');
    const history = JSON.parse(
      text(await ledger.evaluate(alice, { contract: 'probe', fn: 'history', args: ['c'] })),
    ) as unknown[];
    assert.equal(history.length, 40);
    await ledger.close();
    assert.deepEqual(await verifyLedger(dir), { ok: true, height: ledger.height, transactions: 40 });
    ledger = await open();
  });

  it('lets the event loop run while a long queue of submissions is simulated', async () => {
    const before = putsSimulated;
    const submissions = Array.from({ length: 300 }, (_, i) =>
      ledger.submit(alice, { contract: 'probe', fn: 'put', args: [`q${i}`, 'v'] }),
    );
    const simulatedWhenTimerRan = await new Promise<number>((resolve) =>
      setTimeout(() => {
        resolve(putsSimulated - before);
      }, 1),
    );
    await Promise.all(submissions);
    assert.ok(simulatedWhenTimerRan < 300, `a timer waited for all ${simulatedWhenTimerRan} simulations`);
    assert.equal(putsSimulated - before, 300);
  });

  it('survives a restart with state, history and blocks, and the chain verifies', async () => {
    await ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['r', '1'] });
    await ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['r', '2'] });
    await ledger.close();
    const verification = await verifyLedger(dir);
    assert.deepEqual(verification, { ok: true, height: 3, transactions: 2 });
    ledger = await open();
    assert.equal(ledger.height, 3);
    assert.equal(text(await ledger.evaluate(alice, { contract: 'probe', fn: 'get', args: ['r'] })), '2');
    const next = await ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['r', '3'] });
    assert.equal(next.blockNumber, 3);
    assert.equal((await ledger.history()).length, 3);
  });

  it('finds the first broken link when a block or the world state is tampered with', async () => {
    await ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['t', '1'] });
    await ledger.submit(alice, { contract: 'probe', fn: 'put', args: ['t', '2'] });
    await ledger.close();
    const db = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const blocks = db.sublevel('blocks', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const key = '1'.padStart(16, '0');
    const original = await blocks.get(key);
    assert.ok(original !== undefined);
    await blocks.put(key, original.replace('"probe"', '"probX"'));
    await db.close();
    const broken = await verifyLedger(dir);
    if (broken.ok) assert.fail('a tampered block must not verify');
    assert.equal(broken.blockNumber, 1);
    assert.match(broken.reason, /transactions digest/);

    const db2 = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db2.sublevel('blocks', { keyEncoding: 'utf8', valueEncoding: 'utf8' }).put(key, original);
    const state = db2.sublevel<string, Uint8Array>('state', { keyEncoding: 'utf8', valueEncoding: 'view' });
    const stored = await state.get('t');
    assert.ok(stored !== undefined);
    const forged = Buffer.from(stored);
    forged[forged.length - 1] = '9'.charCodeAt(0);
    await state.put('t', forged);
    await db2.close();
    const stateBroken = await verifyLedger(dir);
    if (stateBroken.ok) assert.fail('a tampered world state must not verify');
    assert.equal(stateBroken.key, 't');
    assert.equal(stateBroken.blockNumber, undefined);
    ledger = await open();
  });
});
