import assert from 'node:assert/strict';
import { toBytes } from '@certhub/chaincode/dist/serialization';
import { parseStored } from '@certhub/chaincode/dist/state/repository';

describe('chaincode repository: parseStored', () => {
  const stored = { recordId: 'r1', status: 'ACTIVE', anchored: { txId: 't1' }, domains: ['FIRE'] };

  it('parses stored bytes into the record, deeply frozen', () => {
    const record = parseStored(toBytes(stored)) as typeof stored;
    assert.deepEqual(record, stored);
    assert.ok(Object.isFrozen(record) && Object.isFrozen(record.anchored) && Object.isFrozen(record.domains));
    assert.throws(() => {
      (record as { status: string }).status = 'WITHDRAWN';
    }, TypeError);
  });

  it('parses the same bytes object once and hands every reader that one parse', () => {
    const bytes = toBytes(stored);
    assert.equal(parseStored(bytes), parseStored(bytes));
  });

  it('parses other bytes on their own, even with the same content', () => {
    const first = parseStored(toBytes(stored));
    const second = parseStored(toBytes({ ...stored, status: 'REPAIRED' })) as typeof stored;
    assert.equal(second.status, 'REPAIRED');
    assert.notEqual(first, second);
  });
});
