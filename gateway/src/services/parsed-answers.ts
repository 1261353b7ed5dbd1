import { LruMap } from '../lru-map';

/**
 * The last answer's bytes per question and their parse, kept while the same bytes come back: the ledger is asked every
 * time, and only an answer that differs is parsed again (parsing is a pure function of the bytes). The parse is
 * shared by every later caller, so `parse` must return a value nobody changes (frozen).
 */
export class ParsedAnswers<T> {
  readonly #answers: LruMap<string, { readonly bytes: Buffer; readonly value: T }>;

  constructor(capacity: number) {
    this.#answers = new LruMap(capacity);
  }

  /** `bytes` must not change afterwards: the ledger hands each caller bytes of its own. */
  parse(question: string, bytes: Uint8Array, parse: (text: string) => T): T {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const known = this.#answers.get(question);
    if (known !== undefined && known.bytes.equals(view)) return known.value;
    const value = parse(view.toString('utf8'));
    this.#answers.set(question, { bytes: view, value });
    return value;
  }
}
