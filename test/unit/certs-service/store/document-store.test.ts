import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Level } from 'level';
import {
  CertHubError,
  DOCUMENT_STORE_SUBLEVEL,
  KEY_STORE_SUBLEVEL,
  DocumentNotFoundError,
  DocumentStore,
  documentHash,
  KeyStore,
  type LicenseDocument,
  Sm2PrivateKey,
  StoredRecordUnreadableError,
} from '@certhub/certs-service';
import { sampleUnsignedDocument } from '../documents/sample-document';
import { makeTempDir } from './temp-dir';

const MASTER = new Uint8Array(randomBytes(32));

function sampleDocument(): LicenseDocument {
  return {
    ...sampleUnsignedDocument(),
    proof: {
      type: 'SM2SignatureSM3',
      created: '2026-11-21T08:00:00.000Z',
      certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      signatureValue: 'MEUCIQDexample',
    },
  };
}

describe('DocumentStore', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('documents');
  });
  afterEach(() => {
    dir.remove();
  });

  it('stores and returns documents by ID with an unchanged docHash, across a reopen', async () => {
    const location = join(dir.path, 'db');
    const doc = sampleDocument();
    const store = await DocumentStore.open(location, MASTER);
    await store.putDocument(doc.licenseId, doc);
    await store.close();

    const reopened = await DocumentStore.open(location, MASTER);
    const loaded = await reopened.getDocument(doc.licenseId);
    assert.deepEqual(loaded, doc);
    assert.equal(documentHash(loaded), documentHash(doc));
    assert.equal(await reopened.hasDocument(doc.licenseId), true);
    assert.deepEqual(await reopened.listDocumentIds(), [doc.licenseId]);
    await reopened.close();
  });

  it('keeps no plaintext (holder name, ID, issuer) in the raw level values', async () => {
    const location = join(dir.path, 'db');
    const doc = sampleDocument();
    const store = await DocumentStore.open(location, MASTER);
    await store.putDocument('doc-1', doc);
    await store.close();

    const db = new Level<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    const values: Buffer[] = [];
    for await (const value of db.values()) values.push(value);
    await db.close();
    assert.equal(values.length, 1);
    for (const secret of [doc.holder.name, doc.holder.id, doc.issuer.name, '"licenseId"']) {
      assert.equal(values[0]!.indexOf(Buffer.from(secret, 'utf8')), -1, secret);
    }
  });

  it('throws DocumentNotFoundError for a missing document', async () => {
    const store = await DocumentStore.open(join(dir.path, 'db'), MASTER);
    await assert.rejects(
      store.getDocument('missing'),
      (error: unknown) =>
        error instanceof CertHubError &&
        error.code === 'DOCUMENT_NOT_FOUND' &&
        error instanceof DocumentNotFoundError &&
        error.context['documentId'] === 'missing',
    );
    assert.equal(await store.hasDocument('missing'), false);
    await store.close();
  });

  it('does not let two documents be swapped between IDs', async () => {
    const location = join(dir.path, 'db');
    const store = await DocumentStore.open(location, MASTER);
    await store.putDocument('a', sampleDocument());
    await store.putDocument('b', { ...sampleDocument(), number: 'B' });
    await store.close();

    const db = new Level<string, Buffer>(location, { valueEncoding: 'buffer' });
    const docs = db.sublevel<string, Buffer>(DOCUMENT_STORE_SUBLEVEL, { valueEncoding: 'buffer' });
    const a = await docs.get('a');
    const b = await docs.get('b');
    assert.ok(a instanceof Buffer && b instanceof Buffer);
    await docs.put('a', b);
    await docs.put('b', a);
    await db.close();

    const reopened = await DocumentStore.open(location, MASTER);
    await assert.rejects(reopened.getDocument('a'), StoredRecordUnreadableError);
    await assert.rejects(reopened.getDocument('b'), StoredRecordUnreadableError);
    await reopened.close();
  });

  it('does not open a sealed key copied into the documents space under the same ID', async () => {
    const shared = new Level<string, string>(join(dir.path, 'shared'));
    const keys = await KeyStore.open(shared, MASTER);
    await keys.putKey('x', Sm2PrivateKey.generate());
    const keysView = shared.sublevel<string, Buffer>(KEY_STORE_SUBLEVEL, { valueEncoding: 'buffer' });
    const docsView = shared.sublevel<string, Buffer>(DOCUMENT_STORE_SUBLEVEL, { valueEncoding: 'buffer' });
    const sealedKey = await keysView.get('x');
    assert.ok(sealedKey instanceof Buffer);
    await docsView.put('x', sealedKey);
    const documents = await DocumentStore.open(shared, MASTER);
    await assert.rejects(documents.getDocument('x'), StoredRecordUnreadableError);
    await shared.close();
  });

  it('shares one Level instance with a KeyStore-style neighbour without mixing records', async () => {
    const shared = new Level<string, string>(join(dir.path, 'shared'));
    const first = await DocumentStore.open(shared, MASTER);
    await first.putDocument('x', sampleDocument());
    const keysView = shared.sublevel<string, Buffer>(KEY_STORE_SUBLEVEL, { valueEncoding: 'buffer' });
    assert.equal(await keysView.get('x'), undefined);
    await first.close();
    assert.equal(shared.status, 'open');
    await shared.close();
  });

  describe('remembered documents', () => {
    it('answers a repeated read from memory, each time with a document of its own', async () => {
      const shared = new Level<string, string>(join(dir.path, 'shared'));
      const store = await DocumentStore.open(shared, MASTER);
      await store.putDocument('a', sampleDocument());
      const first = await store.getDocument('a');
      // Behind the store's back (only a test does this): a remembered read does not go to level at all.
      await shared.sublevel<string, Buffer>(DOCUMENT_STORE_SUBLEVEL, { valueEncoding: 'buffer' }).del('a');
      (first.holder as { name: string }).name = 'changed by a caller';
      const second = await store.getDocument('a');
      assert.deepEqual(second, sampleDocument());
      assert.notEqual(second, first);
      await shared.close();
    });

    it('returns the replacement after a put, whether or not the old document was remembered', async () => {
      const store = await DocumentStore.open(join(dir.path, 'db'), MASTER);
      await store.putDocument('a', sampleDocument());
      assert.equal((await store.getDocument('a')).number, sampleDocument().number);
      await store.putDocument('a', { ...sampleDocument(), number: 'REPLACED' });
      assert.equal((await store.getDocument('a')).number, 'REPLACED');
      await store.close();
    });

    it('never leaves the old document remembered when a read races a put', async () => {
      const store = await DocumentStore.open(join(dir.path, 'db'), MASTER);
      for (let i = 0; i < 20; i++) {
        // The first put leaves nothing remembered, so the read below goes to level while the second put runs.
        await store.putDocument('a', { ...sampleDocument(), number: `old${i}` });
        const [read] = await Promise.all([
          store.getDocument('a'),
          store.putDocument('a', { ...sampleDocument(), number: `new${i}` }),
        ]);
        assert.ok([`old${i}`, `new${i}`].includes(read.number), read.number);
        assert.equal((await store.getDocument('a')).number, `new${i}`);
      }
      await store.close();
    });

    it('keeps at most cacheEntries documents and still reads the others from level', async () => {
      const store = await DocumentStore.open(join(dir.path, 'db'), MASTER, { cacheEntries: 2 });
      for (const id of ['a', 'b', 'c']) await store.putDocument(id, { ...sampleDocument(), number: id });
      for (const id of ['a', 'b', 'c', 'a']) assert.equal((await store.getDocument(id)).number, id);
      await store.close();
      const none = await DocumentStore.open(join(dir.path, 'db'), MASTER, { cacheEntries: 0 });
      assert.equal((await none.getDocument('b')).number, 'b');
      await none.close();
    });
  });
});
