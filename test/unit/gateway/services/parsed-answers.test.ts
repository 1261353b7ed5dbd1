import assert from 'node:assert/strict';
import { ParsedAnswers } from '@certhub/gateway/dist/services/parsed-answers';

describe('ParsedAnswers', () => {
  it('parses a question’s answer once while the same bytes come back, and again when they change', () => {
    const answers = new ParsedAnswers<{ n: number }>(8);
    let parses = 0;
    const parse = (text: string): { n: number } => {
      parses += 1;
      return Object.freeze(JSON.parse(text) as { n: number });
    };
    const first = answers.parse('q', Buffer.from('{"n":1}'), parse);
    assert.equal(answers.parse('q', Buffer.from('{"n":1}'), parse), first);
    assert.equal(parses, 1);
    assert.deepEqual(answers.parse('q', Buffer.from('{"n":2}'), parse), { n: 2 });
    assert.equal(parses, 2);
    assert.notEqual(answers.parse('other', Buffer.from('{"n":2}'), parse), first, 'questions are kept apart');
    assert.equal(parses, 3);
  });

  it('keeps at most its capacity of questions, the least recently asked forgotten first', () => {
    const answers = new ParsedAnswers<unknown>(1);
    let parses = 0;
    const parse = (text: string): unknown => {
      parses += 1;
      return JSON.parse(text) as unknown;
    };
    answers.parse('a', Buffer.from('1'), parse);
    answers.parse('b', Buffer.from('1'), parse);
    answers.parse('a', Buffer.from('1'), parse);
    assert.equal(parses, 3);
  });
});
