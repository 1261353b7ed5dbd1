import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Level } from 'level';
import {
  AuditAnchoring,
  AuditLog,
  AuditLogUnavailableError,
  openAuditRecords,
  type AnchoredHead,
  type AuditHeads,
  type AuditRecord,
} from '@certhub/gateway/dist/audit';
import { ChaincodeError } from '@certhub/gateway/dist/ledger';

const record: AuditRecord = {
  bank: 'BankMSP',
  user: 'bank',
  enterprise: '91420100303217469Q',
  purpose: 'loan application 7',
  what: 'credit-detail',
  consentId: null,
  outcome: 'REFUSED_NO_CONSENT',
};

/** The chain's audit contract as the anchoring sees it: forward-only heads, failures on demand. */
class FakeHeads implements AuditHeads {
  readonly logId = 'gateway-test';
  readonly heads: AnchoredHead[] = [];
  failures = 0;
  /** Simulates a submit that commits but whose answer is lost. */
  commitThenFail = false;

  anchor(seq: number, headHash: string): Promise<AnchoredHead> {
    const last = this.heads[this.heads.length - 1];
    if (last !== undefined && seq <= last.seq) {
      return Promise.reject(
        new ChaincodeError('STALE_AUDIT_HEAD', `already anchored at ${String(last.seq)}`, 'tx-stale'),
      );
    }
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('ledger unreachable'));
    }
    const head = { seq, headHash, anchoredAt: new Date().toISOString(), txId: `tx-${String(this.heads.length + 1)}` };
    this.heads.push(head);
    if (this.commitThenFail) {
      this.commitThenFail = false;
      return Promise.reject(new Error('connection reset after commit'));
    }
    return Promise.resolve(head);
  }

  latest(): Promise<AnchoredHead | null> {
    return Promise.resolve(this.heads[this.heads.length - 1] ?? null);
  }

  history(): Promise<AnchoredHead[]> {
    return Promise.resolve([...this.heads]);
  }
}

describe('gateway audit anchoring', () => {
  let dir: string;
  let db: Level;
  const masterKey = randomBytes(32);
  let heads: FakeHeads;
  let errors: unknown[];
  const openLog = () => AuditLog.open(openAuditRecords(db, masterKey));
  const anchoring = (log: AuditLog, options: { intervalMs?: number; every?: number } = {}) =>
    new AuditAnchoring(log, heads, {
      intervalMs: options.intervalMs ?? 3_600_000,
      every: options.every ?? 1000,
      onError: (error) => errors.push(error),
    });
  const until = async (condition: () => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !condition(); i += 1) await sleep(10);
    assert.ok(condition(), 'condition not reached within 2 s');
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certhub-anchoring-'));
    db = new Level(dir);
    await db.open();
    heads = new FakeHeads();
    errors = [];
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('anchors at once when `every` entries are pending, with the newest entry’s hash', async () => {
    const log = await openLog();
    const schedule = anchoring(log, { every: 3 });
    await schedule.start();
    await log.append(record);
    await log.append(record);
    assert.equal(heads.heads.length, 0);
    const third = await log.append(record);
    await until(() => heads.heads.length === 1);
    assert.deepEqual(heads.heads[0] && [heads.heads[0].seq, heads.heads[0].headHash], [3, third.entryHash]);
    assert.equal(schedule.pending, 0);
    await schedule.close();
  });

  it('anchors on the timer when entries are pending, and not when none are', async () => {
    const log = await openLog();
    const schedule = anchoring(log, { intervalMs: 30 });
    await schedule.start();
    await sleep(100);
    assert.equal(heads.heads.length, 0, 'nothing pending, nothing anchored');
    await log.append(record);
    await until(() => heads.heads.length === 1);
    await schedule.close();
    assert.equal(heads.heads.length, 1);
  });

  it('close() stops the timer and anchors what is pending', async () => {
    const log = await openLog();
    const schedule = anchoring(log);
    await schedule.start();
    for (let i = 0; i < 5; i += 1) await log.append(record);
    assert.equal(schedule.pending, 5);
    await schedule.close();
    assert.deepEqual(
      heads.heads.map((h) => h.seq),
      [5],
    );
  });

  it('recovers from a crash between append and anchoring: the next start anchors what was left pending', async () => {
    const first = await openLog();
    const before = anchoring(first);
    await before.start();
    await first.append(record);
    await before.anchorNow();
    await first.append(record);
    const last = await first.append(record);
    // The process dies here: no close(), entries 2 and 3 are stored but not anchored.
    const restarted = await openLog();
    const after = anchoring(restarted);
    await after.start();
    assert.deepEqual(
      heads.heads.map((h) => [h.seq, h.headHash]),
      [
        [1, heads.heads[0]?.headHash],
        [3, last.entryHash],
      ],
    );
    assert.equal(after.pending, 0);
    await after.close();
  });

  it('a log holding fewer entries than the chain anchors is closed to appends', async () => {
    heads.heads.push({ seq: 9, headHash: 'f'.repeat(64), anchoredAt: '2026-11-21T00:00:00.000Z', txId: 'tx-9' });
    const log = await openLog();
    const schedule = anchoring(log);
    await schedule.start();
    assert.match(log.unavailable ?? '', /anchors entry 9 .* only 0 are stored/);
    await assert.rejects(log.append(record), AuditLogUnavailableError);
    await schedule.close();
  });

  it('a failed anchor is reported and retried by the next attempt; a lost answer is learnt from the chain', async () => {
    const log = await openLog();
    const schedule = anchoring(log, { every: 1 });
    await schedule.start();
    heads.failures = 1;
    await log.append(record);
    await until(() => errors.length === 1);
    assert.equal(heads.heads.length, 0);
    assert.equal(schedule.pending, 1);
    assert.equal((await schedule.anchorNow())?.seq, 1);
    // The chain commits entry 2's head but the answer is lost: the anchoring still believes 1.
    heads.commitThenFail = true;
    await log.append(record);
    await until(() => errors.length === 2);
    assert.equal(heads.heads.length, 2);
    assert.equal(schedule.anchoredSeq, 1);
    // Asking again meets STALE_AUDIT_HEAD, learns seq 2 from the chain, and has nothing left to do.
    await assert.rejects(
      schedule.anchorNow(),
      (e: unknown) => e instanceof ChaincodeError && e.code === 'STALE_AUDIT_HEAD',
    );
    assert.equal(schedule.anchoredSeq, 2);
    assert.equal(schedule.pending, 0);
    assert.equal(await schedule.anchorNow(), null);
    await schedule.close();
  });
});
