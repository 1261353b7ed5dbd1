import assert from 'node:assert/strict';
import { compareKeys } from '@certhub/gateway/dist/ledger/embedded/key-order';

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
const bytesOrder = (a: string, b: string): number => sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('compareKeys (level’s key order)', () => {
  it('orders as UTF-8 bytes do where UTF-16 code units would not', () => {
    // U+FF08 (full-width parenthesis) is one code unit above the surrogates of U+10FFFF, yet a smaller code point.
    const fullWidth: string = 'k\uff08';
    const highest: string = 'k\u{10ffff}';
    assert.equal(fullWidth > highest, true, 'JavaScript puts U+FF08 after U+10FFFF');
    assert.equal(sign(compareKeys('k\uff08', 'k\u{10ffff}')), -1);
    assert.equal(sign(compareKeys('k\u{10ffff}', 'k\uff08')), 1);
    assert.equal(compareKeys('same', 'same'), 0);
    assert.equal(sign(compareKeys('ab', 'abc')), -1);
  });

  it('agrees with Buffer.compare on random keys from every part of Unicode', () => {
    const alphabet = [
      '\u0000',
      'A',
      'z',
      '\u4e00',
      '\ud7ff',
      '\ue000',
      '\uff08',
      '\uffff',
      '\u{10000}',
      '\u{1f600}',
      '\u{10ffff}',
    ];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const key = (): string => Array.from({ length: 1 + next(4) }, () => alphabet[next(alphabet.length)]).join('');
    for (let i = 0; i < 5000; i++) {
      const a = key();
      const b = key();
      assert.equal(sign(compareKeys(a, b)), bytesOrder(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });
});
