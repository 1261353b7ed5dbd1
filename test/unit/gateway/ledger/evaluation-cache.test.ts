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

  it('never answers from before a commit: a write to a key read is seen by the next read', async () => {
    await put('k', 'v1');
    assert.equal(await get('k'), 'v1');
    await put('k', 'v2');
    assert.equal(await get('k'), 'v2');
    assert.equal(runs, 2);
    await ledger.submit(alice, { contract: 'reads', fn: 'remove', args: ['k'] });
    assert.equal(await get('k'), '');
    // A key that did not exist was read too: creating it is a write to the read set.
    await put('k', 'v3');
    assert.equal(await get('k'), 'v3');
    assert.equal(runs, 4);
  });

  it('keeps an answer across writes to keys it did not read', async () => {
    await put('k', 'v1');
    assert.equal(await get('k'), 'v1');
    await put('other', 'x');
    await put('k0', 'y');
    assert.equal(await get('k'), 'v1');
    assert.equal(runs, 1);
    const keys = async (): Promise<unknown> =>
      JSON.parse(text(await ledger.evaluate(alice, { contract: 'reads', fn: 'keys', args: ['b', 'd'] })));
    assert.deepEqual(await keys(), []);
    await put('a', 'outside');
    await put('d', 'the end is exclusive');
    assert.deepEqual(await keys(), []);
    assert.equal(runs, 2);
    await put('c\u{10ffff}', 'inside, after every BMP character in UTF-8 order');
    assert.deepEqual(await keys(), ['c\u{10ffff}']);
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
  const reads = (keys: string[], ranges: [string, string][] = []) => ({ keys: new Set(keys), ranges });

  it('forgets an answer when a key it read is written, and keeps the others', () => {
    const cache = new EvaluationCache();
    cache.set('a', cache.sequence, bytes(1), reads(['x']));
    cache.set('b', cache.sequence, bytes(1), reads(['y']));
    cache.written(['x']);
    assert.equal(cache.get('a'), undefined);
    assert.ok(cache.get('b'));
  });

  it('forgets an answer whose range a written key falls in, in level (UTF-8) order, end exclusive', () => {
    const cache = new EvaluationCache();
    cache.set('bounded', cache.sequence, bytes(1), reads([], [['b', 'd']]));
    cache.set('open', cache.sequence, bytes(1), reads([], [['m', '']]));
    cache.written(['a', 'd', 'l']);
    assert.ok(cache.get('bounded'));
    assert.ok(cache.get('open'));
    // U+FFFD sorts after the surrogates of U+10FFFF in UTF-16, but before U+10FFFF in UTF-8, as level orders keys.
    cache.set('supplementary', cache.sequence, bytes(1), reads([], [['x', 'x\u{10ffff}']]));
    cache.written(['x\ufffd']);
    assert.equal(cache.get('supplementary'), undefined);
    cache.written(['zz']);
    assert.equal(cache.get('open'), undefined);
    cache.written(['c']);
    assert.equal(cache.get('bounded'), undefined);
  });

  it('does not keep an answer if a write since its evaluation began touched what it read', () => {
    const cache = new EvaluationCache();
    const began = cache.sequence;
    cache.written(['elsewhere']);
    cache.set('kept', began, bytes(1), reads(['x']));
    assert.ok(cache.get('kept'));
    const later = cache.sequence;
    cache.written(['x']);
    cache.set('dropped', later, bytes(1), reads(['x']));
    assert.equal(cache.get('dropped'), undefined);
    cache.set('ranged', later, bytes(1), reads([], [['w', 'y']]));
    assert.equal(cache.get('ranged'), undefined);
  });

  it('does not keep an answer that began before the writes it can still check', () => {
    const cache = new EvaluationCache();
    const began = cache.sequence;
    for (let i = 0; i < 1100; i++) cache.written([`k${i}`]);
    cache.set('too old', began, bytes(1), reads(['unrelated']));
    assert.equal(cache.get('too old'), undefined);
  });

  it('keeps at most its entry and byte bounds, dropping the least recently used first', () => {
    const cache = new EvaluationCache(2, 1600);
    cache.set('a', 0, bytes(10), reads(['a']));
    cache.set('b', 0, bytes(10), reads(['b']));
    cache.get('a');
    cache.set('c', 0, bytes(10), reads(['c']));
    assert.ok(cache.get('a'));
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('c'));
    // A payload over a sixteenth of the byte budget is not kept at all; bytes evict like entries.
    cache.set('big', 0, bytes(101), reads([]));
    assert.equal(cache.get('big'), undefined);
    cache.set('d', 0, bytes(100), reads([]));
    assert.equal(cache.size, 2);
    // A forgotten entry no longer listens for writes to what it read.
    cache.written(['b']);
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
