import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommittedState } from '@certhub/gateway/dist/ledger/embedded/committed-state';
import { encodeVersioned, openStore, type LedgerStore } from '@certhub/gateway/dist/ledger/embedded/store';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const listing = (entries: [string, Uint8Array][]): string[] =>
  entries.map(([key, value]) => `${key}=${Buffer.from(value).toString('utf8')}`);

/** What a promise has settled to within a few event-loop turns, or 'pending'. */
async function soon<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([
    promise,
    new Promise<'pending'>((resolve) =>
      setTimeout(() => {
        resolve('pending');
      }, 50),
    ),
  ]);
}

describe('CommittedState range reads', () => {
  let dir: string;
  let store: LedgerStore;

  /** Writes straight to level, as a landed block would. */
  const persist = async (entries: Record<string, string>): Promise<void> => {
    for (const [key, value] of Object.entries(entries)) {
      await store.state.put(key, encodeVersioned({ blockNumber: 1, txIndex: 0 }, bytes(value)));
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certhub-committed-state-'));
    store = openStore(dir);
    await store.db.open();
    await persist({ a1: 'one', a3: 'three', a5: 'five', b1: 'other' });
  });
  afterEach(async () => {
    await store.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies committed writes to a remembered range at once, in key order, without reading level again', async () => {
    const state = new CommittedState(store);
    assert.deepEqual(listing(await state.range('a', 'b', -1)), ['a1=one', 'a3=three', 'a5=five']);
    state.stage([
      ['a2', bytes('two')],
      ['a3', null],
      ['a5', bytes('FIVE')],
      ['b2', bytes('outside')],
    ]);
    // Level still holds a3 and the old a5, and the block has not landed: the answer can only be the patched range.
    const patched = await soon(state.range('a', 'b', -1));
    assert.notEqual(patched, 'pending', 'a remembered range does not wait for pending writes');
    assert.deepEqual(listing(patched as [string, Uint8Array][]), ['a1=one', 'a2=two', 'a5=FIVE']);
  });

  it('forgets a remembered page a write falls in, and reads it again once the writes land', async () => {
    const state = new CommittedState(store);
    assert.deepEqual(listing(await state.range('a', 'b', 2)), ['a1=one', 'a3=three']);
    const writes: [string, Uint8Array | null][] = [['a0', bytes('zero')]];
    state.stage(writes);
    const page = state.range('a', 'b', 2);
    assert.equal(await soon(page), 'pending', 'a page read afresh waits for the pending block');
    await persist({ a0: 'zero' });
    state.settle(writes, true);
    assert.deepEqual(listing(await page), ['a0=zero', 'a1=one']);
  });

  it('forgets every remembered range when staged writes are taken back', async () => {
    const state = new CommittedState(store);
    await state.range('a', 'b', -1);
    const writes: [string, Uint8Array | null][] = [['a4', bytes('four')]];
    state.stage(writes);
    assert.equal((await state.range('a', 'b', -1)).length, 4);
    state.settle(writes, false);
    assert.deepEqual(listing(await state.range('a', 'b', -1)), ['a1=one', 'a3=three', 'a5=five']);
  });

  it('applies a write only to the ranges it falls in, composite-key ranges of other object types untouched', async () => {
    const typed = (type: string, ...attributes: string[]): string =>
      `\u0000${type}\u0000${attributes.map((a) => `${a}\u0000`).join('')}`;
    const inRange = typed('subjectCredit', 'S1', 'r1');
    const otherType = typed('sourceCredit', 'S1', 'r1');
    await persist({ [inRange]: 'one', [otherType]: 'source' });
    const state = new CommittedState(store);
    const subject = typed('subjectCredit', 'S1');
    const source = typed('sourceCredit', 'S1');
    const end = '\u{10ffff}';
    assert.equal((await state.range(subject, subject + end, -1)).length, 1);
    assert.equal((await state.range(source, source + end, -1)).length, 1);
    // A range over all keys spans every object type.
    assert.equal((await state.range('', '', -1)).length, 6);
    state.stage([[typed('subjectCredit', 'S1', 'r2'), bytes('two')]]);
    assert.equal((await state.range(subject, subject + end, -1)).length, 2);
    assert.equal((await state.range(source, source + end, -1)).length, 1);
    assert.equal((await state.range('', '', -1)).length, 7);
  });

  it('places keys in level’s order (UTF-8 bytes), also for characters where UTF-16 order differs', async () => {
    const end = 'k\u{10ffff}';
    await persist({ 'k\u{1f600}': 'emoji' });
    const state = new CommittedState(store);
    assert.deepEqual(listing(await state.range('k', end, -1)), ['k\u{1f600}=emoji']);
    const writes: [string, Uint8Array | null][] = [['k\uff08', bytes('full-width')]];
    state.stage(writes);
    const patched = listing(await state.range('k', end, -1));
    await persist({ 'k\uff08': 'full-width' });
    state.settle(writes, true);
    const fresh = listing(await new CommittedState(store).range('k', end, -1));
    assert.deepEqual(patched, fresh);
    assert.deepEqual(patched, ['k\uff08=full-width', 'k\u{1f600}=emoji']);
  });
});
