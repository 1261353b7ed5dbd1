import assert from 'node:assert/strict';
import { sortedKeyJson } from '@certhub/certs-service';

/** The first implementation, whose bytes stored state and block hashes depend on: the oracle for the hand-written one. */
function replacerOracle(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const record = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(record)
          .sort()
          .map((k) => [k, record[k]]),
      );
    }
    return v;
  });
}

/** A small deterministic PRNG (mulberry32), so a failing case can be reproduced from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  'a',
  'b',
  'B',
  'z',
  'Z',
  '',
  ' ',
  'é',
  '中文',
  '\u0000',
  '"',
  '\\',
  '__proto__x',
  'toString',
  'toJSON',
  'recordId',
  '0',
  '1',
  '2',
  '9',
  '10',
  '01',
  '-1',
  '1.5',
  '1e3',
  '4294967294',
  '4294967295',
  '4294967296',
  '😀',
  'a\nb',
];
const STRINGS = ['', 'x', 'é', '中文', '"quoted"', 'back\\slash', 'line\nbreak', '\u0001', '\u2028', '\ud800', '😀'];
const NUMBERS = [0, -0, 1, -1, 1.5, 1e21, 1e-7, 123456789.125, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity];

function generate(next: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const kind = Math.floor(next() * (depth > 3 ? 6 : 12));
  switch (kind) {
    case 0:
      return pick(STRINGS);
    case 1:
      return pick(NUMBERS);
    case 2:
      return next() < 0.5;
    case 3:
      return null;
    case 4:
      return undefined;
    case 5:
      return pick([new Date(Date.UTC(2026, 10, 21, 8)), () => 1, Symbol('s')]);
    case 6:
    case 7: {
      const length = Math.floor(next() * 5);
      return Array.from({ length }, () => generate(next, depth + 1));
    }
    case 8:
      return pick([
        Buffer.from('ab'),
        new Uint8Array([3, 1, 2]),
        { toJSON: (key: string) => ({ key, y: 1 }) },
        Object.assign(() => 1, { toJSON: () => ({ z: 1, a: [2, undefined] }) }),
        Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
        Object.assign(Object.create(null) as object, { a: 1, b: [{ c: 1 }] }),
        new Number(5),
        new String('ab'),
      ]);
    case 9: {
      // Already in sorted order, as records read back from state are: the serialiser may pass these through uncopied.
      const record: Record<string, unknown> = {};
      const keys = [...new Set(Array.from({ length: Math.floor(next() * 6) }, () => pick(KEYS)))].sort();
      for (const key of keys) {
        if (key === '__proto__') continue;
        record[key] = generate(next, depth + 1);
      }
      return record;
    }
    default: {
      const record: Record<string, unknown> = {};
      const count = Math.floor(next() * 7);
      for (let i = 0; i < count; i++) record[pick(KEYS)] = generate(next, depth + 1);
      return record;
    }
  }
}

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
  it('lists array-index keys first in numeric order, as the first implementation’s sorted copies did', () => {
    const value = { b: 1, '10': 2, '2': 3, '01': 4, a: 5, '4294967295': 6 };
    assert.equal(sortedKeyJson(value), '{"2":3,"10":2,"01":4,"4294967295":6,"a":5,"b":1}');
    assert.equal(sortedKeyJson(value), replacerOracle(value));
  });
  it('writes exactly the bytes of the first implementation for 20,000 generated values', () => {
    for (let seed = 1; seed <= 20_000; seed++) {
      const value = generate(random(seed), 0);
      assert.equal(sortedKeyJson(value), replacerOracle(value), `seed ${seed}`);
    }
  });
  it('keeps an own __proto__ key (JSON.parse makes one) as an ordinary member', () => {
    const value = JSON.parse('{"z":1,"__proto__":{"b":2,"a":1}}') as unknown;
    assert.equal(sortedKeyJson(value), '{"__proto__":{"a":1,"b":2},"z":1}');
    assert.equal(sortedKeyJson(value), replacerOracle(value));
  });
  it('writes frozen values as the first implementation does, on every call', () => {
    const deepFreeze = <T>(value: T): T => {
      // Typed arrays cannot be frozen; they stay as they are (and are never taken as settled).
      if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
        for (const inner of Object.values(value)) deepFreeze(inner);
        Object.freeze(value);
      }
      return value;
    };
    for (let seed = 1; seed <= 2_000; seed++) {
      const value = deepFreeze(generate(random(seed), 0));
      const expected = replacerOracle(value);
      assert.equal(sortedKeyJson(value), expected, `seed ${seed}`);
      assert.equal(sortedKeyJson({ again: [value] }), replacerOracle({ again: [value] }), `seed ${seed}, inside`);
      assert.equal(sortedKeyJson(value), expected, `seed ${seed}, again`);
    }
  });
  it('sees a change inside a frozen value whose inner objects are not frozen', () => {
    const inner = { a: 1 };
    const outer = Object.freeze({ inner, list: Object.freeze([inner]) });
    assert.equal(sortedKeyJson(outer), '{"inner":{"a":1},"list":[{"a":1}]}');
    inner.a = 2;
    assert.equal(sortedKeyJson(outer), '{"inner":{"a":2},"list":[{"a":2}]}');
  });
  it('answers undefined at the top and throws on a BigInt, as JSON.stringify does', () => {
    assert.equal(sortedKeyJson(undefined), undefined);
    assert.throws(() => sortedKeyJson({ a: 1n }), TypeError);
  });
});
