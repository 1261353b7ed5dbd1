import assert from 'node:assert/strict';
import { serialize } from '@certhub/chaincode';
import { fromBytes, parseJsonArgument, toBytes } from '@certhub/chaincode/dist/serialization';

describe('chaincode serialisation', () => {
  it('sorts object keys at every level and keeps array order, so endorsers write identical bytes', () => {
    assert.equal(
      serialize({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    assert.equal(serialize({ a: 1, b: 2 }), serialize({ b: 2, a: 1 }));
  });

  it('round-trips through bytes', () => {
    const value = { licenseId: 'L', status: '01', nested: { list: ['x', 'y'] } };
    assert.deepEqual(fromBytes(toBytes(value)), value);
  });

  it('parses JSON object arguments and rejects anything else with INVALID_ARGUMENT', () => {
    assert.deepEqual(parseJsonArgument('request', '{"a":1}'), { a: 1 });
    for (const bad of ['{', '[]', '"text"', 'null', '42']) {
      assert.throws(() => parseJsonArgument('request', bad), { code: 'INVALID_ARGUMENT' });
    }
  });
});
