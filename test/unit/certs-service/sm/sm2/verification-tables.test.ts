import assert from 'node:assert/strict';
import { Sm2PrivateKey, Sm2PublicKey } from '@certhub/certs-service/dist/sm/sm2';
import { publicKeyPoint } from '@certhub/certs-service/dist/sm/sm2/keys';
import {
  clearVerificationTables,
  tabledKeyCount,
  verificationPoint,
} from '@certhub/certs-service/dist/sm/sm2/verification-tables';

describe('per-key verification tables', () => {
  beforeEach(clearVerificationTables);
  after(clearVerificationTables);

  it('builds a table the second time a key is seen, even when re-parsed, and reuses it', () => {
    const key = Sm2PrivateKey.generate().publicKey;
    const first = verificationPoint(key.point, publicKeyPoint(key));
    assert.equal(first.tabled, false);
    assert.equal(tabledKeyCount(), 0);
    const reparsed = Sm2PublicKey.fromPoint(key.point);
    const second = verificationPoint(reparsed.point, publicKeyPoint(reparsed));
    assert.equal(tabledKeyCount(), 1);
    assert.equal(second.tabled, true);
    assert.ok(second.point.equals(first.point));
    assert.notEqual(second.point, first.point, 'the table hangs on a private copy of the point');
    assert.equal(verificationPoint(key.point, publicKeyPoint(key)).point, second.point);
  });

  it('keeps at most 64 keys, dropping the least recently used', () => {
    const keep = Sm2PrivateKey.generate().publicKey;
    verificationPoint(keep.point, publicKeyPoint(keep));
    verificationPoint(keep.point, publicKeyPoint(keep));
    for (let i = 0; i < 64; i += 1) {
      const other = Sm2PrivateKey.generate().publicKey;
      verificationPoint(other.point, publicKeyPoint(other));
    }
    // `keep` was the oldest entry and has been evicted: seeing it again starts over without a table.
    assert.equal(tabledKeyCount(), 0);
    verificationPoint(keep.point, publicKeyPoint(keep));
    assert.equal(tabledKeyCount(), 0);
  });
});
