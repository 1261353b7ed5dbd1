import assert from 'node:assert/strict';
import { sortedKeyJson } from '@certhub/certs-service';

describe('sortedKeyJson', () => {
  it('sorts object keys at every level and keeps array order', () => {
    assert.equal(
      sortedKeyJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });
  it('drops undefined members as JSON.stringify does, so optional fields do not change the bytes', () => {
    assert.equal(sortedKeyJson({ a: 1, b: undefined }), sortedKeyJson({ a: 1 }));
  });
  it('gives the same bytes for the same values whatever the insertion order', () => {
    assert.equal(sortedKeyJson({ x: 1, y: 2 }), sortedKeyJson({ y: 2, x: 1 }));
  });
});
