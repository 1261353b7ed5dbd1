import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalBytes, openEnvelope, sealEnvelope, sm3Hex } from '@certhub/certs-service';
import { Level } from 'level';
import {
  AUDIT_LOG_SUBLEVEL,
  AuditLog,
  AuditLogUnavailableError,
  GENESIS_HASH,
  auditEntryHash,
  openAuditRecords,
  verifyAuditChain,
  type AnchoredHead,
  type AuditEntry,
  type AuditRecord,
} from '@certhub/gateway/dist/audit';

const record = (n: number, fields: Partial<AuditRecord> = {}): AuditRecord => ({
  bank: 'BankMSP',
  user: 'bank',
  enterprise: n % 2 === 0 ? '91420100303217469Q' : '914403001922038216',
  purpose: `贷款审批 loan application ${String(n)}`,
  what: 'credit-detail',
  consentId: n % 3 === 0 ? null : `cs-${'a'.repeat(31)}${String(n % 10)}`,
  outcome: n % 3 === 0 ? 'REFUSED_NO_CONSENT' : 'ALLOWED',
  ...fields,
});

const keyOf = (seq: number): string => String(seq).padStart(15, '0');
const aad = (seq: number): Uint8Array => Buffer.from(`${AUDIT_LOG_SUBLEVEL}:${keyOf(seq)}`);

/** A head as the chain would anchor it for entry `entry`. */
const headOf = (entry: AuditEntry, n = entry.seq): AnchoredHead => ({
  seq: entry.seq,
  headHash: entry.entryHash,
  anchoredAt: '2026-11-21T00:00:00.000Z',
  txId: `tx-${String(n)}`,
});

describe('gateway audit log', () => {
  let dir: string;
  let db: Level;
  const masterKey = randomBytes(32);
  let clockMs: number;
  const clock = (): Date => new Date(clockMs);
  /** The raw sublevel, as someone with access to the database files (not the master key) sees it. */
  const raw = () => db.sublevel<string, Uint8Array>(AUDIT_LOG_SUBLEVEL, { keyEncoding: 'utf8', valueEncoding: 'view' });
  const records = () => openAuditRecords(db, masterKey);
  const openLog = () => AuditLog.open(records(), { clock });
  const verify = (heads: readonly AnchoredHead[] = [], visit?: (e: AuditEntry, ok: boolean) => void) =>
    verifyAuditChain(records().scan(), heads, visit);

  async function appendMany(log: AuditLog, count: number): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    for (let n = 1; n <= count; n += 1) {
      clockMs += 1000;
      entries.push(await log.append(record(n)));
    }
    return entries;
  }

  /** Re-seals entry `seq` after `change`, as an insider holding the master key could. */
  async function rewrite(seq: number, change: (entry: AuditEntry) => AuditEntry): Promise<void> {
    const sealed = await raw().get(keyOf(seq));
    assert.ok(sealed !== undefined);
    const entry = JSON.parse(Buffer.from(openEnvelope(masterKey, sealed, aad(seq))).toString()) as AuditEntry;
    await raw().put(keyOf(seq), sealEnvelope(masterKey, Buffer.from(JSON.stringify(change(entry))), aad(seq)));
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certhub-audit-'));
    db = new Level(dir);
    await db.open();
    clockMs = Date.parse('2026-11-21T02:00:00.000Z');
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('chains entries: seq from 1, prevHash = the previous entryHash, entryHash = SM3 of the canonical fields', async () => {
    const log = await openLog();
    assert.equal(log.head, null);
    const [first, second] = await appendMany(log, 2);
    assert.ok(first !== undefined && second !== undefined);
    assert.deepEqual([first.seq, first.prevHash], [1, GENESIS_HASH]);
    assert.deepEqual([second.seq, second.prevHash], [2, first.entryHash]);
    assert.equal(first.at, '2026-11-21T02:00:01.000Z');
    // Recomputed here from the field list, independently of the gateway's helper.
    const { entryHash, ...body } = second;
    assert.equal(
      entryHash,
      sm3Hex(
        canonicalBytes({
          seq: 2,
          prevHash: first.entryHash,
          at: body.at,
          bank: 'BankMSP',
          user: 'bank',
          enterprise: body.enterprise,
          purpose: body.purpose,
          what: 'credit-detail',
          consentId: body.consentId,
          outcome: body.outcome,
        }),
      ),
    );
    assert.equal(auditEntryHash(body), entryHash);
    assert.deepEqual(log.head, { seq: 2, entryHash: second.entryHash });
  });

  it('serialises concurrent appends into one unbroken chain', async () => {
    const log = await openLog();
    const entries = await Promise.all(Array.from({ length: 40 }, (_, i) => log.append(record(i + 1))));
    assert.deepEqual(
      entries.map((e) => e.seq),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    const result = await verify();
    assert.equal(result.ok, true);
    assert.equal(result.verifiedEntries, 40);
  });

  it('seals every entry with SM4 (purposes never appear in the database) and continues the chain after a reopen', async () => {
    const log = await openLog();
    const entries = await appendMany(log, 3);
    for await (const [, value] of raw().iterator()) {
      assert.equal(Buffer.from(value).includes(Buffer.from('loan application')), false);
    }
    const reopened = await openLog();
    assert.deepEqual(reopened.head, { seq: 3, entryHash: entries[2]?.entryHash });
    const fourth = await reopened.append(record(4));
    assert.equal(fourth.prevHash, entries[2]?.entryHash);
    assert.equal((await verify()).ok, true);
  });

  it('an edited stored value (bytes changed) fails verification at that entry; later entries show as unverified', async () => {
    await appendMany(await openLog(), 5);
    const sealed = await raw().get(keyOf(3));
    assert.ok(sealed !== undefined);
    const edited = Uint8Array.from(sealed);
    edited[30] = (edited[30] ?? 0) ^ 0x01;
    await raw().put(keyOf(3), edited);
    const seen: [number, boolean][] = [];
    const result = await verify([], (entry, ok) => seen.push([entry.seq, ok]));
    assert.equal(result.ok, false);
    assert.equal(result.firstBadSeq, 3);
    assert.equal(result.problem?.kind, 'UNREADABLE');
    assert.equal(result.verifiedEntries, 2);
    assert.deepEqual(seen, [
      [1, true],
      [2, true],
      [4, false],
      [5, false],
    ]);
  });

  it('an entry moved under another sequence number does not open', async () => {
    await appendMany(await openLog(), 3);
    const second = await raw().get(keyOf(2));
    assert.ok(second !== undefined);
    await raw().put(keyOf(3), second);
    const result = await verify();
    assert.deepEqual([result.firstBadSeq, result.problem?.kind], [3, 'UNREADABLE']);
  });

  it('an insider re-sealing a changed purpose is caught by the hash; re-hashing it breaks the next link', async () => {
    await appendMany(await openLog(), 5);
    await rewrite(2, (e) => ({ ...e, purpose: 'routine check' }));
    let result = await verify();
    assert.deepEqual([result.firstBadSeq, result.problem?.kind], [2, 'HASH_MISMATCH']);
    await rewrite(2, (e) => {
      const { entryHash: _old, ...body } = e;
      return { ...body, entryHash: auditEntryHash(body) };
    });
    result = await verify();
    assert.deepEqual([result.firstBadSeq, result.problem?.kind], [3, 'BROKEN_LINK']);
  });

  it('a deleted entry is named as missing', async () => {
    await appendMany(await openLog(), 5);
    await raw().del(keyOf(3));
    const result = await verify();
    assert.equal(result.ok, false);
    assert.deepEqual([result.firstBadSeq, result.problem?.kind], [3, 'MISSING']);
    assert.equal(result.lastSeq, 5);
  });

  it('a cut-off tail shows only against an anchored head; a rewritten chain differs from the anchored heads', async () => {
    const entries = await appendMany(await openLog(), 6);
    const heads = [headOf(entries[1]!), headOf(entries[4]!)];
    assert.deepEqual(await verify(heads).then((r) => [r.ok, r.anchorsChecked, r.anchoredSeq]), [true, 2, 5]);
    await raw().del(keyOf(6));
    // Entry 6 was never anchored: without a head above it, dropping it is invisible (the anchor schedule bounds this).
    assert.equal((await verify(heads)).ok, true);
    await raw().del(keyOf(5));
    const truncated = await verify(heads);
    assert.deepEqual([truncated.ok, truncated.firstBadSeq, truncated.problem?.kind], [false, 5, 'TRUNCATED']);
    // Rebuild entries 2.. consistently with one purpose changed: every link holds, but the heads on chain do not match.
    let prev = entries[0]!.entryHash;
    for (let seq = 2; seq <= 4; seq += 1) {
      await rewrite(seq, (e) => {
        const body = { ...e, prevHash: prev, purpose: seq === 2 ? 'nothing to see' : e.purpose };
        const { entryHash: _old, ...fields } = body;
        const entryHash = auditEntryHash(fields);
        prev = entryHash;
        return { ...fields, entryHash };
      });
    }
    const forged = await verify(heads.slice(0, 1));
    assert.deepEqual([forged.ok, forged.firstBadSeq, forged.problem?.kind], [false, 2, 'ANCHOR_MISMATCH']);
    assert.match(forged.problem?.detail ?? '', /tx-2/);
  });

  it('a failed write does not block the appends queued behind it, and takes no sequence number', async () => {
    const inner = records();
    let failNext = true;
    const flaky = {
      ...inner,
      scan: () => inner.scan(),
      put: (seq: number, bytes: Uint8Array) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('disk full'));
        }
        return inner.put(seq, bytes);
      },
    };
    const log = await AuditLog.open(flaky, { clock });
    const [failed, next] = await Promise.allSettled([log.append(record(1)), log.append(record(2))]);
    assert.equal(failed.status, 'rejected');
    assert.equal(next.status === 'fulfilled' ? next.value.seq : null, 1);
    assert.equal((await verify()).ok, true);
  });

  it('refuses appends when its newest entry cannot be read, rather than chaining after an unknown hash', async () => {
    await appendMany(await openLog(), 2);
    await raw().put(keyOf(2), Uint8Array.of(1, 2, 3));
    const log = await openLog();
    assert.match(log.unavailable ?? '', /newest entry \(2\)/);
    await assert.rejects(log.append(record(3)), AuditLogUnavailableError);
    const marked = await openLog();
    marked.markUnavailable('the chain anchors entries this log lost');
    await assert.rejects(
      marked.append(record(3)),
      (e: unknown) => e instanceof AuditLogUnavailableError && /lost/.test(e.message),
    );
  });
});
