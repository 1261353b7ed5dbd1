import type { BatchBodyParser, BatchEntry, BatchLimits } from './batch-entry';
import { BatchItemTooLargeError, BatchTooLargeError, MalformedBatchJsonError } from './errors';

type Phase = 'start' | 'first' | 'value' | 'after' | 'next' | 'done';

const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t';

/**
 * A JSON array of items parsed as it streams in. A small scanner finds where each top-level element starts and ends
 * (tracking strings, escapes and nesting), and each element is handed to JSON.parse on its own. So the body is never
 * held whole, the item limit stops reading at the first item past it, and an error names the line (and item) where
 * it is — which JSON.parse over a whole body cannot tell reliably.
 */
export class JsonArrayParser implements BatchBodyParser {
  readonly #entries: BatchEntry[] = [];
  #phase: Phase = 'start';
  #line = 1;
  #column = 0;
  /** The element being scanned: its text so far, where it started, and its scanner state. */
  #element: string[] = [];
  #elementLength = 0;
  #elementLine = 1;
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** A number or literal (true, false, null) ends at the first delimiter rather than at a closing bracket. */
  #bare = false;

  constructor(private readonly limits: Pick<BatchLimits, 'maxItems' | 'maxItemBytes'>) {}

  push(text: string): void {
    let elementStart = this.#phase === 'value' ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charAt(i);
      if (this.#phase === 'value') {
        if (!this.#bare) {
          const closed = this.#scanInside(c);
          this.#advance(c);
          if (closed) {
            this.#take(text, elementStart, i + 1);
            this.#finishElement();
            elementStart = -1;
          }
          continue;
        }
        if (!(isSpace(c) || c === ',' || c === ']')) {
          this.#advance(c);
          continue;
        }
        // The delimiter ends a number or literal and belongs to the array: scanned again below as such.
        this.#take(text, elementStart, i);
        this.#finishElement();
        elementStart = -1;
      }
      switch (this.#phase) {
        case 'start':
          if (c === '[') this.#phase = 'first';
          else if (!isSpace(c)) this.#unexpected(c, "'['", 'the body must be a JSON array of issue requests');
          break;
        case 'first':
        case 'next':
          if (c === ']' && this.#phase === 'first') this.#phase = 'done';
          else if (c === ',' || c === ']') this.#unexpected(c, 'an item', `item ${this.#entries.length} is missing`);
          else if (!isSpace(c)) {
            this.#startElement(c);
            elementStart = i;
          }
          break;
        case 'after':
          if (c === ',') this.#phase = 'next';
          else if (c === ']') this.#phase = 'done';
          else if (!isSpace(c)) this.#unexpected(c, "',' or ']'", `after item ${this.#entries.length - 1}`);
          break;
        case 'done':
          if (!isSpace(c)) this.#unexpected(c, 'the end of the body', 'after the closing bracket');
          break;
        case 'value':
          break;
      }
      this.#advance(c);
    }
    if (this.#phase === 'value') this.#take(text, elementStart, text.length);
  }

  end(): BatchEntry[] {
    if (this.#phase === 'value' && this.#bare) this.#finishElement();
    if (this.#phase !== 'done') {
      const what = this.#phase === 'start' ? 'the body is empty' : 'the array is not closed';
      throw new MalformedBatchJsonError(`line ${this.#line}: unexpected end of the body; ${what}`, {
        line: this.#line,
      });
    }
    return this.#entries;
  }

  #advance(c: string): void {
    if (c === '\n') {
      this.#line += 1;
      this.#column = 0;
    } else {
      this.#column += 1;
    }
  }

  #startElement(first: string): void {
    if (this.#entries.length >= this.limits.maxItems) {
      throw new BatchTooLargeError(
        `the batch has more than ${this.limits.maxItems} items (item ${this.#entries.length} starts on line ${this.#line})`,
        { limit: this.limits.maxItems, line: this.#line },
      );
    }
    this.#phase = 'value';
    this.#element = [];
    this.#elementLength = 0;
    this.#elementLine = this.#line;
    this.#bare = first !== '{' && first !== '[' && first !== '"';
    this.#inString = first === '"';
    this.#escaped = false;
    this.#depth = first === '{' || first === '[' ? 1 : 0;
  }

  /** Scans one character inside a string or container element; true when it closes the element. */
  #scanInside(c: string): boolean {
    if (this.#inString) {
      if (this.#escaped) this.#escaped = false;
      else if (c === '\\') this.#escaped = true;
      else if (c === '"') {
        this.#inString = false;
        return this.#depth === 0;
      }
      return false;
    }
    if (c === '"') this.#inString = true;
    else if (c === '{' || c === '[') this.#depth += 1;
    else if (c === '}' || c === ']') {
      this.#depth -= 1;
      return this.#depth === 0;
    }
    return false;
  }

  #take(text: string, from: number, to: number): void {
    if (from < 0 || to <= from) return;
    this.#element.push(text.slice(from, to));
    this.#elementLength += to - from;
    // Characters never outnumber UTF-8 bytes: past the limit in characters is past it in bytes.
    if (this.#elementLength > this.limits.maxItemBytes) this.#tooLarge();
  }

  #finishElement(): void {
    const text = this.#element.join('');
    this.#element = [];
    this.#phase = 'after';
    const index = this.#entries.length;
    if (Buffer.byteLength(text, 'utf8') > this.limits.maxItemBytes) this.#tooLarge();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // JSON.parse's message would quote the item, which may hold a holder's ID: name the place only.
      if (error instanceof SyntaxError) {
        throw new MalformedBatchJsonError(`item ${index} (line ${this.#elementLine}) is not valid JSON`, {
          line: this.#elementLine,
          index,
        });
      }
      throw error;
    }
    this.#entries.push({ index, line: this.#elementLine, value });
  }

  #tooLarge(): never {
    const index = this.#entries.length;
    throw new BatchItemTooLargeError(
      `item ${index} (line ${this.#elementLine}) is larger than ${this.limits.maxItemBytes} bytes`,
      { line: this.#elementLine, index, limit: this.limits.maxItemBytes },
    );
  }

  #unexpected(c: string, expected: string, where: string): never {
    const shown = c === '"' ? "'\"'" : JSON.stringify(c);
    throw new MalformedBatchJsonError(
      `line ${this.#line} column ${this.#column + 1}: expected ${expected}, found ${shown} (${where})`,
      { line: this.#line, column: this.#column + 1 },
    );
  }
}
