import type { BatchBodyParser, BatchEntry, BatchLimits } from './batch-entry';
import { BatchItemTooLargeError, BatchTooLargeError, MalformedNdjsonError } from './errors';

/**
 * NDJSON (one JSON value a line, `\n` or `\r\n` line ends) parsed as it streams in: each line is parsed as soon as it
 * is complete, so the body is never held as one string, and the item and line-length limits stop reading at the first
 * line past them. Blank lines are skipped (a trailing newline is normal), but keep counting toward line numbers.
 */
export class NdjsonParser implements BatchBodyParser {
  readonly #entries: BatchEntry[] = [];
  /** Text of the line not yet ended. */
  #pending = '';
  /** 1-based number of the line `#pending` belongs to. */
  #line = 1;

  constructor(private readonly limits: Pick<BatchLimits, 'maxItems' | 'maxItemBytes'>) {}

  push(text: string): void {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const line = this.#pending + text.slice(start, end);
      this.#pending = '';
      this.#complete(line);
      start = end + 1;
    }
    this.#pending += text.slice(start);
    // Characters never outnumber UTF-8 bytes, so this refuses an endless line without measuring it in bytes each time.
    if (this.#pending.length > this.limits.maxItemBytes) this.#tooLong();
  }

  end(): BatchEntry[] {
    if (this.#pending !== '') {
      const last = this.#pending;
      this.#pending = '';
      this.#complete(last);
    }
    return this.#entries;
  }

  #complete(rawLine: string): void {
    const line = this.#line;
    this.#line += 1;
    const text = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (text.trim() === '') return;
    if (Buffer.byteLength(text, 'utf8') > this.limits.maxItemBytes) {
      this.#line = line;
      this.#tooLong();
    }
    if (this.#entries.length >= this.limits.maxItems) {
      throw new BatchTooLargeError(
        `the batch has more than ${this.limits.maxItems} items (line ${line} is item ${this.#entries.length + 1})`,
        { limit: this.limits.maxItems, line },
      );
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // JSON.parse's message would quote the line, which may hold a holder's ID: name the line only.
      if (error instanceof SyntaxError) {
        throw new MalformedNdjsonError(`line ${line} is not valid JSON`, { line });
      }
      throw error;
    }
    this.#entries.push({ index: line - 1, line, value });
  }

  #tooLong(): never {
    throw new BatchItemTooLargeError(`line ${this.#line} is longer than ${this.limits.maxItemBytes} bytes`, {
      line: this.#line,
      limit: this.limits.maxItemBytes,
    });
  }
}
