import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { EmbeddedLedger, type LedgerIdentity } from '@certhub/gateway/dist/ledger';
import { EvaluationCache } from '@certhub/gateway/dist/ledger/embedded/evaluation-cache';
import { createFabricCa, issueFabricIdentity, type FabricCa } from '@certhub/certs-service';

/** How many times the chaincode actually ran an evaluation, to tell a remembered answer from a fresh one. */
let runs = 0;

@Info({ title: 'reads', description: 'what an evaluation may read' })
class ReadsContract extends Contract {
  constructor() {
    super('reads');
  }

  @Transaction()
  async put(ctx: Context, key: string, value: string): Promise<void> {
    await ctx.stub.putState(key, Buffer.from(value));
  }

  @Transaction()
  async remove(ctx: Context, key: string): Promise<void> {
    await ctx.stub.deleteState(key);
  }

  @Transaction(false)
  async get(ctx: Context, key: string): Promise<string> {
    runs += 1;
    return Buffer.from(await ctx.stub.getState(key)).toString();
  }

  @Transaction(false)
  async keys(ctx: Context, start: string, end: string): Promise<string> {
    runs += 1;
    const keys: string[] = [];
    for await (const kv of ctx.stub.getStateByRange(start, end)) keys.push(kv.key);
    return JSON.stringify(keys);
  }

  /** Reads its timestamp, so the evaluation always runs; its range read may still be remembered by the state. */
  @Transaction(false)
  async keysToday(ctx: Context, start: string, end: string): Promise<string> {
    runs += 1;
    const keys: string[] = [ctx.stub.getDateTimestamp().toISOString().slice(0, 10)];
    for await (const kv of ctx.stub.getStateByRange(start, end)) keys.push(kv.key);
    return JSON.stringify(keys.slice(1));
  }

  @Transaction(false)
  async changes(ctx: Context, key: string): Promise<string> {
    runs += 1;
    const values: string[] = [];
    for await (const m of ctx.stub.getHistoryForKey(key)) values.push(Buffer.from(m.value).toString());
    return JSON.stringify(values);
  }

  @Transaction(false)
  caller(ctx: Context): string {
    runs += 1;
    return ctx.clientIdentity.getID();
  }

  @Transaction(false)
  now(ctx: Context): string {
    runs += 1;
    return ctx.stub.getDateTimestamp().toISOString();
  }

  @Transaction(false)
  txId(ctx: Context): string {
    runs += 1;
    return ctx.stub.getTxID();
  }

  @Transaction(false)
  secret(ctx: Context): string {
    runs += 1;
    return Buffer.from(ctx.stub.getTransient().get('secret') ?? []).toString();
  }
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('EmbeddedLedger evaluation cache', () => {
  let dir: string;
  let ca: FabricCa;
  let alice: LedgerIdentity;
  let bob: LedgerIdentity;
  let ledger: EmbeddedLedger;
  let millis: number;

  before(async () => {
    ca = await createFabricCa({ mspId: 'Org1MSP', commonName: 'ca.org1msp' });
    alice = await issueFabricIdentity(ca, { mspId: 'Org1MSP', enrollmentId: 'alice' });
    bob = await issueFabricIdentity(ca, { mspId: 'Org1MSP', enrollmentId: 'bob' });
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certhub-evaluations-'));
    millis = Date.now();
    ledger = await EmbeddedLedger.open({
      dataDir: dir,
      contracts: [ReadsContract],
      organizations: [{ mspId: 'Org1MSP', rootCertificatePems: [ca.certificatePem] }],
      // Every reading of the clock is a millisecond later, as real time would be.
      clock: () => new Date((millis += 1)),
    });
    runs = 0;
  });

  afterEach(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (key: string, who = alice): Promise<string> =>
    text(await ledger.evaluate(who, { contract: 'reads', fn: 'get', args: [key] }));
  const put = (key: string, value: string): Promise<unknown> =>
    ledger.submit(alice, { contract: 'reads', fn: 'put', args: [key, value] });

  it('answers a repeated read of unchanged state without running the chaincode again', async () => {
    await put('k', 'v1');
    assert.equal(await get('k'), 'v1');
    assert.equal(await get('k'), 'v1');
    assert.equal(await get('k'), 'v1');
    assert.equal(runs, 1);
  });

  it('never answers from before a commit: the read after a write sees it, whichever key it wrote', async () => {
    await put('k', 'v1');
    assert.equal(await get('k'), 'v1');
    await put('k', 'v2');
    assert.equal(await get('k'), 'v2');
    await put('other', 'x');
    assert.equal(await get('k'), 'v2');
    assert.equal(runs, 3);
  });

  it('re-reads ranges and history after a commit', async () => {
    await put('a', '1');
    const keys = async (): Promise<unknown> =>
      JSON.parse(text(await ledger.evaluate(alice, { contract: 'reads', fn: 'keys', args: ['a', 'z'] })));
    const changes = async (): Promise<unknown> =>
      JSON.parse(text(await ledger.evaluate(alice, { contract: 'reads', fn: 'changes', args: ['a'] })));
    assert.deepEqual(await keys(), ['a']);
    assert.deepEqual(await changes(), ['1']);
    assert.deepEqual(await keys(), ['a']);
    assert.deepEqual(await changes(), ['1']);
    assert.equal(runs, 2);
    await put('b', '2');
    await put('a', '3');
    assert.deepEqual(await keys(), ['a', 'b']);
    assert.deepEqual(await changes(), ['3', '1']);
  });

  it('does not remember an evaluation that ran while a transaction committed', async () => {
    await put('a', '1');
    for (let i = 0; i < 20; i++) {
      const key = `b${i}`;
      const writing = put(key, 'x');
      // Racing the commit: this answer may or may not include the new key, but it must not outlive the commit.
      await ledger.evaluate(alice, { contract: 'reads', fn: 'keys', args: ['a', 'z'] });
      await writing;
      const after = JSON.parse(
        text(await ledger.evaluate(alice, { contract: 'reads', fn: 'keys', args: ['a', 'z'] })),
      ) as string[];
      assert.ok(after.includes(key), `${key} missing after its commit: ${after.join(',')}`);
    }
  });

  it('re-reads a range after every commit, also inside evaluations that always run', async () => {
    const keysToday = async (): Promise<string[]> =>
      JSON.parse(
        text(await ledger.evaluate(alice, { contract: 'reads', fn: 'keysToday', args: ['a', 'z'] })),
      ) as string[];
    await put('a', '1');
    assert.deepEqual(await keysToday(), ['a']);
    assert.deepEqual(await keysToday(), ['a']);
    for (let i = 0; i < 20; i++) {
      const key = `c${String(i).padStart(2, '0')}`;
      const writing = put(key, 'x');
      await keysToday();
      await writing;
      assert.ok((await keysToday()).includes(key), `${key} missing after its commit`);
    }
    await ledger.submit(alice, { contract: 'reads', fn: 'remove', args: ['a'] });
    assert.equal((await keysToday()).includes('a'), false);
    assert.equal(runs, 43);
  });

  it('keeps answers apart per caller identity', async () => {
    const asAlice = text(await ledger.evaluate(alice, { contract: 'reads', fn: 'caller' }));
    const asBob = text(await ledger.evaluate(bob, { contract: 'reads', fn: 'caller' }));
    assert.match(asAlice, /CN=alice/);
    assert.match(asBob, /CN=bob/);
    assert.equal(text(await ledger.evaluate(alice, { contract: 'reads', fn: 'caller' })), asAlice);
    assert.equal(text(await ledger.evaluate(bob, { contract: 'reads', fn: 'caller' })), asBob);
    assert.equal(runs, 2);
  });

  it('runs every evaluation that reads its own timestamp or tx ID (fabric-shim’s own tx ID reads do not count)', async () => {
    const times = new Set<string>();
    const txIds = new Set<string>();
    for (let i = 0; i < 3; i++) {
      times.add(text(await ledger.evaluate(alice, { contract: 'reads', fn: 'now' })));
      txIds.add(text(await ledger.evaluate(alice, { contract: 'reads', fn: 'txId' })));
    }
    assert.equal(times.size, 3);
    assert.equal(txIds.size, 3);
    assert.equal(runs, 6);
  });

  it('runs every evaluation that carries transient data', async () => {
    for (const secret of ['s1', 's1', 's2']) {
      const answer = await ledger.evaluate(alice, {
        contract: 'reads',
        fn: 'secret',
        transient: { secret: Buffer.from(secret) },
      });
      assert.equal(text(answer), secret);
    }
    assert.equal(runs, 3);
  });

  it('hands each caller its own copy of a remembered answer', async () => {
    await put('k', 'value');
    const first = await ledger.evaluate(alice, { contract: 'reads', fn: 'get', args: ['k'] });
    first.fill(0);
    const second = await ledger.evaluate(alice, { contract: 'reads', fn: 'get', args: ['k'] });
    second.fill(0);
    assert.equal(await get('k'), 'value');
    assert.equal(runs, 1);
  });

  it('still checks the identity of a caller whose question is remembered', async () => {
    await put('k', 'v');
    await get('k');
    await assert.rejects(
      ledger.evaluate(
        { ...alice, privateKeyPem: bob.privateKeyPem },
        {
          contract: 'reads',
          fn: 'get',
          args: ['k'],
        },
      ),
      /Identity rejected/,
    );
  });
});

describe('EvaluationCache', () => {
  const bytes = (n: number): Uint8Array => new Uint8Array(n);

  it('forgets everything when the state version changes', () => {
    const cache = new EvaluationCache();
    cache.set('a', 1, bytes(1));
    assert.ok(cache.get('a', 1));
    assert.equal(cache.get('a', 2), undefined);
    assert.equal(cache.get('a', 1), undefined);
  });

  it('keeps at most its entry and byte bounds, dropping the least recently used first', () => {
    const cache = new EvaluationCache(2, 1600);
    cache.set('a', 1, bytes(10));
    cache.set('b', 1, bytes(10));
    cache.get('a', 1);
    cache.set('c', 1, bytes(10));
    assert.ok(cache.get('a', 1));
    assert.equal(cache.get('b', 1), undefined);
    assert.ok(cache.get('c', 1));
    // A payload over a sixteenth of the byte budget is not kept at all; bytes evict like entries.
    cache.set('big', 1, bytes(101));
    assert.equal(cache.get('big', 1), undefined);
    cache.set('d', 1, bytes(100));
    assert.equal(cache.size, 2);
  });

  it('does not key requests with transient data', () => {
    assert.equal(
      EvaluationCache.keyOf('Org1MSP', 'h', { contract: 'c', fn: 'f', transient: { x: new Uint8Array(1) } }),
      undefined,
    );
    assert.notEqual(
      EvaluationCache.keyOf('Org1MSP', 'h', { contract: 'c', fn: 'f', args: ['a', 'b'] }),
      EvaluationCache.keyOf('Org1MSP', 'h', { contract: 'c', fn: 'f', args: ['a\u0000b'] }),
    );
  });
});
