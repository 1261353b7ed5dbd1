import assert from 'node:assert/strict';
import {
  CanonicalizationError,
  canonicalBytes,
  canonicalize,
  CertHubError,
  MAX_CANONICAL_DEPTH,
} from '@certhub/certs-service';

function fails(reason: string, path: string) {
  return (error: unknown): boolean =>
    // CertHubError first: its `code` is a plain string, so the comparison is a real check.
    error instanceof CertHubError &&
    error.code === 'NOT_CANONICALIZABLE' &&
    error instanceof CanonicalizationError &&
    error.context['reason'] === reason &&
    error.context['path'] === path;
}

/** A double given by its IEEE 754 bit pattern, as RFC 8785 Appendix B lists them. */
function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalize (RFC 8785 JCS)', () => {
  // RFC 8785 §3.2.2, the worked example of whitespace removal, number and string serialisation and member order.
  it('reproduces the RFC 8785 §3.2.2 example', () => {
    const input: unknown = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    assert.equal(
      canonicalize(input),
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  // RFC 8785 §3.2.3: members sorted by UTF-16 code units, so the emoji (a surrogate pair, 0xD83D…) sorts before U+FB33.
  it('sorts members by UTF-16 code units as in RFC 8785 §3.2.3', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    assert.equal(
      canonicalize(input),
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  // RFC 8785 Appendix B: IEEE 754 bit patterns and their required serialisations.
  it('serialises the RFC 8785 Appendix B numbers', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, expected] of cases) {
      assert.equal(canonicalize(fromBits(bits)), expected, bits);
    }
  });

  it('rejects NaN and ±Infinity (RFC 8785 Appendix B lists them as errors)', () => {
    assert.throws(() => canonicalize({ a: [1, fromBits('7fffffffffffffff')] }), fails('NON_FINITE_NUMBER', '/a/1'));
    assert.throws(() => canonicalize(fromBits('7ff0000000000000')), fails('NON_FINITE_NUMBER', ''));
    assert.throws(() => canonicalize(-Infinity), fails('NON_FINITE_NUMBER', ''));
  });

  it('rejects undefined anywhere, including object members and array holes, rather than dropping it', () => {
    assert.throws(() => canonicalize(undefined), fails('UNDEFINED', ''));
    assert.throws(() => canonicalize({ holder: { id: undefined } }), fails('UNDEFINED', '/holder/id'));
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point of this case
    assert.throws(() => canonicalize([1, , 3]), fails('UNDEFINED', '/1'));
  });

  it('rejects functions, symbols and bigints', () => {
    assert.throws(() => canonicalize({ f: () => 1 }), fails('UNSUPPORTED_TYPE', '/f'));
    assert.throws(() => canonicalize([Symbol('s')]), fails('UNSUPPORTED_TYPE', '/0'));
    assert.throws(() => canonicalize({ n: 1n }), fails('UNSUPPORTED_TYPE', '/n'));
  });

  it('rejects Dates, Maps, byte arrays and class instances instead of applying toJSON', () => {
    assert.throws(() => canonicalize({ at: new Date(0) }), fails('NOT_PLAIN_OBJECT', '/at'));
    assert.throws(() => canonicalize(new Map()), fails('NOT_PLAIN_OBJECT', ''));
    assert.throws(() => canonicalize({ b: new Uint8Array(2) }), fails('NOT_PLAIN_OBJECT', '/b'));
    class Point {
      x = 1;
    }
    assert.throws(() => canonicalize(new Point()), fails('NOT_PLAIN_OBJECT', ''));
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare['b'] = 1;
    bare['a'] = 2;
    assert.equal(canonicalize(bare), '{"a":2,"b":1}');
  });

  it('rejects lone surrogates in strings and keys, accepts proper pairs', () => {
    assert.throws(() => canonicalize({ s: 'a\ud800b' }), fails('LONE_SURROGATE', '/s'));
    assert.throws(() => canonicalize({ '\udc00': 1 }), fails('LONE_SURROGATE', '/\udc00'));
    assert.equal(canonicalize('\ud83d\ude00'), '"😀"');
  });

  it('rejects cycles but allows the same object twice side by side', () => {
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    assert.throws(() => canonicalize({ a: loop }), fails('CYCLE', '/a/self'));
    const shared = { x: 1 };
    assert.equal(canonicalize([shared, shared]), '[{"x":1},{"x":1}]');
  });

  it('refuses nesting deeper than MAX_CANONICAL_DEPTH with a typed error, not a stack overflow', () => {
    const nest = (depth: number): unknown => {
      let value: unknown = 1;
      for (let level = 0; level < depth; level += 1) value = [value];
      return value;
    };
    assert.equal(
      canonicalize(nest(MAX_CANONICAL_DEPTH)),
      `${'['.repeat(MAX_CANONICAL_DEPTH)}1${']'.repeat(MAX_CANONICAL_DEPTH)}`,
    );
    assert.throws(
      () => canonicalize(nest(MAX_CANONICAL_DEPTH + 1)),
      (error: unknown) => error instanceof CanonicalizationError && error.context['reason'] === 'TOO_DEEP',
    );
    // JSON.parse builds values far deeper than a recursive walk could follow.
    const deep: unknown = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    assert.throws(() => canonicalize(deep), CanonicalizationError);
  });

  it('escapes "/" and "~" in error paths as JSON pointers do', () => {
    assert.throws(() => canonicalize({ 'a/b': { '~': undefined } }), fails('UNDEFINED', '/a~1b/~0'));
  });

  it('is independent of member insertion order and nests sorting', () => {
    assert.equal(canonicalize({ b: { d: 1, c: [{ z: 0, y: 1 }] }, a: '' }), '{"a":"","b":{"c":[{"y":1,"z":0}],"d":1}}');
    assert.equal(canonicalize({ x: 1, y: 2 }), canonicalize({ y: 2, x: 1 }));
  });

  it('encodes the canonical text as UTF-8 bytes', () => {
    const bytes = canonicalBytes({ name: '武汉市市场监督管理局' });
    assert.deepEqual(Buffer.from(bytes), Buffer.from('{"name":"武汉市市场监督管理局"}', 'utf8'));
  });
});
