import assert from 'node:assert/strict';
import {
  BatchItemTooLargeError,
  BatchTooLargeError,
  JsonArrayParser,
  MalformedBatchJsonError,
  MalformedNdjsonError,
  NdjsonParser,
  batchFormatOf,
  UnsupportedBatchMediaError,
  type BatchBodyParser,
  type BatchEntry,
} from '@certhub/gateway/dist/jobs';

const LIMITS = { maxItems: 5, maxItemBytes: 200 };

/** Feeds `text` to a parser in chunks of `size` characters (1 = every boundary a network could cut at). */
function parse(parser: BatchBodyParser, text: string, size = text.length || 1): BatchEntry[] {
  for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
  return parser.end();
}

const ndjson = (text: string, size?: number) => parse(new NdjsonParser(LIMITS), text, size);
const jsonArray = (text: string, size?: number) => parse(new JsonArrayParser(LIMITS), text, size);

/** The error `fn` throws, checked to be of `type`. */
function thrown<T extends Error>(fn: () => unknown, type: new (...args: never[]) => T): T {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}`);
}

describe('batch body parsers', () => {
  describe('NDJSON', () => {
    const body = '{"a":1}\n{"b":"x\\ny"}\r\n\n  \n[1,2]\n"text"';

    it('yields one item a line at every chunk boundary, skipping blank lines but counting them', () => {
      for (const size of [1, 2, 3, 7, body.length]) {
        assert.deepEqual(ndjson(body, size), [
          { index: 0, line: 1, value: { a: 1 } },
          { index: 1, line: 2, value: { b: 'x\ny' } },
          { index: 4, line: 5, value: [1, 2] },
          { index: 5, line: 6, value: 'text' },
        ]);
      }
    });

    it('accepts a trailing newline and an empty body (the caller refuses zero items)', () => {
      assert.equal(ndjson('{"a":1}\n').length, 1);
      assert.deepEqual(ndjson(''), []);
    });

    it('names the malformed line without quoting it', () => {
      const error = thrown(() => ndjson('{"a":1}\n{"id":"11010519491231002X",\n{"c":3}\n'), MalformedNdjsonError);
      assert.equal(error.code, 'MALFORMED_NDJSON');
      assert.equal(error.context.line, 2);
      assert.match(error.message, /line 2/);
      assert.doesNotMatch(error.message, /11010519491231002X/);
    });

    it('stops at the first item past the item limit', () => {
      const error = thrown(() => ndjson('1\n2\n3\n4\n5\n6\n7\n'), BatchTooLargeError);
      assert.equal(error.code, 'BATCH_TOO_LARGE');
      assert.equal(error.context.line, 6);
    });

    it('refuses a line longer than an item may be, even before the line ends', () => {
      const long = `{"x":"${'a'.repeat(300)}"}`;
      assert.equal(thrown(() => ndjson(`1\n${long}\n`), BatchItemTooLargeError).context.line, 2);
      const parser = new NdjsonParser(LIMITS);
      parser.push('1\n');
      const error = thrown(() => {
        parser.push('"' + 'b'.repeat(250));
      }, BatchItemTooLargeError);
      assert.equal(error.code, 'BATCH_ITEM_TOO_LARGE');
      assert.equal(error.context.line, 2);
    });

    it('measures an item in UTF-8 bytes, not characters', () => {
      // 70 Chinese characters: 70 characters, 210 bytes.
      assert.equal(thrown(() => ndjson(`"${'证'.repeat(70)}"`), BatchItemTooLargeError).context.line, 1);
      assert.equal(ndjson(`"${'证'.repeat(60)}"`).length, 1);
    });
  });

  describe('JSON array', () => {
    const body = '[\n  {"a": [1, {"b": "]},\\"["}]},\n  "s\\"",\n  12.5e1 ,true,null,\n  [ ]\n]\n';

    it('yields each element with the line it starts on, at every chunk boundary', () => {
      for (const size of [1, 2, 5, body.length]) {
        assert.deepEqual(parse(new JsonArrayParser({ ...LIMITS, maxItems: 6 }), body, size), [
          { index: 0, line: 2, value: { a: [1, { b: ']},"[' }] } },
          { index: 1, line: 3, value: 's"' },
          { index: 2, line: 4, value: 125 },
          { index: 3, line: 4, value: true },
          { index: 4, line: 4, value: null },
          { index: 5, line: 5, value: [] },
        ]);
      }
    });

    it('reads an empty array as no items', () => {
      assert.deepEqual(jsonArray(' [ ] '), []);
    });

    it('refuses a body that is not an array, naming line and column', () => {
      const error = thrown(() => jsonArray('\n {"a":1}'), MalformedBatchJsonError);
      assert.equal(error.code, 'MALFORMED_JSON');
      assert.equal(error.context.line, 2);
      assert.match(error.message, /line 2 column 2: expected '\['/);
    });

    it('names the line of a malformed element without quoting it', () => {
      const error = thrown(() => jsonArray('[{"a":1},\n{"id":"11010519491231002X" "b":2}]'), MalformedBatchJsonError);
      assert.equal(error.context.line, 2);
      assert.match(error.message, /item 1 \(line 2\)/);
      assert.doesNotMatch(error.message, /11010519491231002X/);
    });

    it('refuses missing commas, trailing commas, unclosed arrays and trailing garbage', () => {
      assert.match(
        thrown(() => jsonArray('[1\n 2]'), MalformedBatchJsonError).message,
        /line 2 column 2: expected ','/,
      );
      assert.match(thrown(() => jsonArray('[1,]'), MalformedBatchJsonError).message, /expected an item/);
      assert.match(thrown(() => jsonArray('[,1]'), MalformedBatchJsonError).message, /expected an item/);
      assert.match(thrown(() => jsonArray('[{"a":1}'), MalformedBatchJsonError).message, /not closed/);
      assert.match(thrown(() => jsonArray('[{"a":1'), MalformedBatchJsonError).message, /not closed/);
      assert.match(thrown(() => jsonArray(''), MalformedBatchJsonError).message, /empty/);
      assert.match(thrown(() => jsonArray('[1] x'), MalformedBatchJsonError).message, /after the closing bracket/);
    });

    it('stops at the first element past the item limit, and at an oversized element', () => {
      assert.equal(thrown(() => jsonArray('[1,2,3,4,5,\n6,7]'), BatchTooLargeError).context.line, 2);
      const big = `[1,\n{"x":"${'a'.repeat(300)}"}]`;
      assert.equal(thrown(() => jsonArray(big, 16), BatchItemTooLargeError).context.line, 2);
    });
  });

  describe('media types', () => {
    it('takes JSON and NDJSON in UTF-8, nothing else', () => {
      assert.equal(batchFormatOf('application/json'), 'json');
      assert.equal(batchFormatOf('Application/JSON; charset=UTF-8'), 'json');
      assert.equal(batchFormatOf('application/x-ndjson'), 'ndjson');
      for (const type of [undefined, 'text/plain', 'application/x-ndjson; charset=latin1', 'multipart/form-data']) {
        assert.equal(thrown(() => batchFormatOf(type), UnsupportedBatchMediaError).code, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });
  });
});
