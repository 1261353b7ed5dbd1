import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Level } from 'level';
import {
  CREDIT_RECORD_STORE_SUBLEVEL,
  CertHubError,
  CreditRecordNotFoundError,
  CreditRecordStore,
  StoredRecordUnreadableError,
  canonicalBytes,
  sm3Hex,
  type FullCreditRecord,
} from '@certhub/certs-service';
import { makeTempDir } from './temp-dir';

const MASTER = new Uint8Array(randomBytes(32));

const penalty: FullCreditRecord = {
  subject: '91420100303217469Q',
  category: 'ADMIN_PENALTY',
  severity: 'GENERAL',
  decisionDate: '2026-03-02',
  documentNumber: '武市监处罚〔2026〕12号',
  authority: { name: '武汉市市场监督管理局', code: '114201000111350663' },
  content: { violationType: '虚假宣传', fineAmount: 2, penaltyCategories: ['罚款'] },
};

describe('CreditRecordStore', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('credit-records');
  });
  afterEach(() => {
    dir.remove();
  });

  it('stores a record under the SM3 of its canonical bytes and returns it unchanged, across a reopen', async () => {
    const location = join(dir.path, 'db');
    const store = await CreditRecordStore.open(location, MASTER);
    const recordHash = await store.putRecord(penalty);
    assert.equal(recordHash, sm3Hex(canonicalBytes(penalty)));
    // Key order does not matter: the canonical form (and so the hash) is the same.
    const reordered: FullCreditRecord = Object.fromEntries(Object.entries(penalty).reverse());
    assert.equal(await store.putRecord(reordered), recordHash);
    await store.close();

    const reopened = await CreditRecordStore.open(location, MASTER);
    const loaded = await reopened.getRecord(recordHash);
    assert.deepEqual(loaded, penalty);
    assert.equal(sm3Hex(canonicalBytes(loaded)), recordHash);
    assert.equal(await reopened.hasRecord(recordHash), true);
    await reopened.close();
  });

  it('keeps no plaintext of the record in the raw level values', async () => {
    const location = join(dir.path, 'db');
    const store = await CreditRecordStore.open(location, MASTER);
    await store.putRecord(penalty);
    await store.close();

    const db = new Level<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    const values: Buffer[] = [];
    for await (const value of db.values()) values.push(value);
    await db.close();
    assert.equal(values.length, 1);
    for (const secret of ['虚假宣传', '武市监处罚', '91420100303217469Q', '"subject"']) {
      assert.equal(values[0]!.indexOf(Buffer.from(secret, 'utf8')), -1, secret);
    }
  });

  it('answers undefined (find) or CreditRecordNotFoundError, CREDIT_RECORD_NOT_FOUND (get) for a hash it does not hold', async () => {
    const store = await CreditRecordStore.open(join(dir.path, 'db'), MASTER);
    const missing = sm3Hex('nothing');
    assert.equal(await store.findRecord(missing), undefined);
    assert.equal(await store.hasRecord(missing), false);
    await assert.rejects(
      store.getRecord(missing),
      (error: unknown) =>
        error instanceof CreditRecordNotFoundError &&
        error instanceof CertHubError &&
        error.context['recordHash'] === missing,
    );
    await store.close();
  });

  it('does not open a record moved under another hash, or under another master key', async () => {
    const location = join(dir.path, 'db');
    const store = await CreditRecordStore.open(location, MASTER);
    const first = await store.putRecord(penalty);
    const second = await store.putRecord({ ...penalty, severity: 'SERIOUS' });
    await store.close();

    const db = new Level<string, Buffer>(location, { valueEncoding: 'buffer' });
    const records = db.sublevel<string, Buffer>(CREDIT_RECORD_STORE_SUBLEVEL, { valueEncoding: 'buffer' });
    const sealed = await records.get(second);
    assert.ok(sealed instanceof Buffer);
    await records.put(first, sealed);
    await db.close();

    const reopened = await CreditRecordStore.open(location, MASTER);
    await assert.rejects(reopened.getRecord(first), StoredRecordUnreadableError);
    await reopened.close();
    const otherKey = await CreditRecordStore.open(location, new Uint8Array(randomBytes(32)));
    await assert.rejects(otherKey.getRecord(second), StoredRecordUnreadableError);
    await otherKey.close();
  });
});
