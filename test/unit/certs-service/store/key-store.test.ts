import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Level } from 'level';
import {
  CertHubError,
  KEY_STORE_SUBLEVEL,
  EnvelopeError,
  KeyNotFoundError,
  KeyStore,
  Sm2PrivateKey,
  Sm4LengthError,
  StoredRecordUnreadableError,
} from '@certhub/certs-service';
import { makeTempDir } from './temp-dir';

const MASTER = new Uint8Array(randomBytes(32));

function notFound(keyId: string) {
  return (error: unknown): boolean =>
    error instanceof CertHubError &&
    error.code === 'KEY_NOT_FOUND' &&
    error instanceof KeyNotFoundError &&
    error.context['keyId'] === keyId;
}

/** Every raw key and value in the database, as level stores them on disk. */
async function rawEntries(location: string): Promise<[Buffer, Buffer][]> {
  const db = new Level<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  const entries: [Buffer, Buffer][] = [];
  for await (const entry of db.iterator()) entries.push(entry);
  await db.close();
  return entries;
}

describe('KeyStore', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('keys');
  });
  afterEach(() => {
    dir.remove();
  });

  it('stores and returns SM2 private keys by ID, across a reopen', async () => {
    const location = join(dir.path, 'db');
    const key = Sm2PrivateKey.generate();
    const store = await KeyStore.open(location, MASTER);
    await store.putKey('issuer-420100-01', key);
    assert.equal(await store.hasKey('issuer-420100-01'), true);
    await store.close();

    const reopened = await KeyStore.open(location, MASTER);
    const loaded = await reopened.getKey('issuer-420100-01');
    assert.deepEqual(loaded.scalar(), key.scalar());
    assert.ok(loaded.publicKey.equals(key.publicKey));
    assert.deepEqual(await reopened.listKeyIds(), ['issuer-420100-01']);
    await reopened.close();
  });

  it('keeps no plaintext key material in the raw level values', async () => {
    const location = join(dir.path, 'db');
    const key = Sm2PrivateKey.generate();
    const store = await KeyStore.open(location, MASTER);
    await store.putKey('k1', key);
    await store.close();

    const entries = await rawEntries(location);
    assert.equal(entries.length, 1);
    const [rawKey, value] = entries[0]!;
    assert.equal(rawKey.toString('utf8'), `!${KEY_STORE_SUBLEVEL}!k1`, 'stored in the key store sublevel under its ID');
    assert.equal(value.indexOf(Buffer.from(key.scalar())), -1, 'scalar in clear');
    assert.equal(value.indexOf(Buffer.from(key.toPkcs8Der())), -1, 'PKCS#8 in clear');
    assert.equal(value.indexOf(Buffer.from(key.toPkcs8Der()).subarray(0, 16)), -1, 'PKCS#8 header in clear');
    assert.equal(value[0], 0x01, 'an envelope, version 1');
  });

  it('throws KeyNotFoundError for a missing key, on get and delete', async () => {
    const store = await KeyStore.open(join(dir.path, 'db'), MASTER);
    await assert.rejects(store.getKey('nope'), notFound('nope'));
    await assert.rejects(store.deleteKey('nope'), notFound('nope'));
    assert.equal(await store.hasKey('nope'), false);
    await store.close();
  });

  it('deletes keys and replaces a key stored under the same ID', async () => {
    const store = await KeyStore.open(join(dir.path, 'db'), MASTER);
    const first = Sm2PrivateKey.generate();
    const second = Sm2PrivateKey.generate();
    await store.putKey('a', first);
    await store.putKey('b', first);
    await store.putKey('a', second);
    assert.deepEqual((await store.getKey('a')).scalar(), second.scalar());
    await store.deleteKey('b');
    await assert.rejects(store.getKey('b'), notFound('b'));
    assert.deepEqual(await store.listKeyIds(), ['a']);
    await store.close();
  });

  it('refuses to open records under another master key', async () => {
    const location = join(dir.path, 'db');
    const store = await KeyStore.open(location, MASTER);
    await store.putKey('k1', Sm2PrivateKey.generate());
    await store.close();
    const wrong = await KeyStore.open(location, new Uint8Array(randomBytes(32)));
    await assert.rejects(
      wrong.getKey('k1'),
      (error: unknown) =>
        error instanceof StoredRecordUnreadableError &&
        error.context['id'] === 'k1' &&
        error.cause instanceof EnvelopeError,
    );
    await wrong.close();
  });

  it('binds each sealed key to its ID: a value copied under another ID does not open', async () => {
    const location = join(dir.path, 'db');
    const store = await KeyStore.open(location, MASTER);
    await store.putKey('victim', Sm2PrivateKey.generate());
    await store.close();

    // Copy the raw sealed value to a new ID directly in level, as an attacker with disk access could.
    const db = new Level<string, Buffer>(location, { valueEncoding: 'buffer' });
    const keys = db.sublevel<string, Buffer>(KEY_STORE_SUBLEVEL, { valueEncoding: 'buffer' });
    const sealed = await keys.get('victim');
    assert.ok(sealed instanceof Buffer);
    await keys.put('attacker', sealed);
    await db.close();

    const reopened = await KeyStore.open(location, MASTER);
    await assert.rejects(reopened.getKey('attacker'), StoredRecordUnreadableError);
    await reopened.getKey('victim');
    await reopened.close();
  });

  it('works inside a shared Level instance without closing it', async () => {
    const shared = new Level<string, string>(join(dir.path, 'shared'), { valueEncoding: 'json' });
    await shared.put('other-component', 'untouched');
    const store = await KeyStore.open(shared, MASTER);
    const key = Sm2PrivateKey.generate();
    await store.putKey('k', key);
    assert.deepEqual((await store.getKey('k')).scalar(), key.scalar());
    await store.close();
    assert.equal(shared.status, 'open');
    assert.equal(await shared.get('other-component'), 'untouched');
    await shared.close();
  });

  it('requires a 32-byte master key up front', () => {
    assert.throws(() => new KeyStore(join(dir.path, 'db'), new Uint8Array(16)), Sm4LengthError);
  });
});
