import { LruMap } from '../lru-map';
import type { CreditProfile, ProfileRecord } from './credit-profiles';

/** Record texts remembered: about 1.1 KB each (with the record they were written from), a few busy enterprises. */
const RECORD_TEXT_ENTRIES = 10_000;

/** Values frozen through and through by freezeJson: nothing can change them, so one is always the same as itself. */
const frozenValues = new WeakSet<object>();

/** Freezes a JSON value and everything in it, and returns it; sameJson then knows it as a whole by its identity. */
export function freezeJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null || frozenValues.has(value)) return value;
  for (const inner of Object.values(value)) freezeJson(inner);
  Object.freeze(value);
  frozenValues.add(value);
  return value;
}

/**
 * Whether two JSON values would be written as the same text: equal primitives, arrays of such, and plain objects
 * with the same keys in the same order. Anything else (a Date, a class instance, undefined) counts as different, so
 * the caller writes it afresh: this may only ever say "same" too rarely, never wrongly.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null) return a === b;
  if (typeof b !== 'object' || b === null) return false;
  if (a === b && frozenValues.has(a)) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlain(a) || !isPlain(b)) return false;
  const keys = Object.keys(a);
  const others = Object.keys(b);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== others[i]) return false;
    const value = (a as Record<string, unknown>)[key];
    if (value === undefined || !sameJson(value, (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function isPlain(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Writes a credit profile as the bytes of JSON.stringify(profile), UTF-8, without writing each of its 1,000 records
 * again: a record equal (sameJson) to the one last written under its ID has the same text, so that text is reused.
 * Every record is still checked and compared on every query; only the writing of an unchanged result is saved (it
 * was a third of the route's time: ~1 MB of JSON, two-byte because of the sources' Chinese names, then UTF-8).
 */
export class CreditProfileJson {
  readonly #records = new LruMap<string, { readonly record: ProfileRecord; readonly text: Buffer }>(
    RECORD_TEXT_ENTRIES,
  );
  /**
   * The text of a deeply frozen record, by the record object itself: it cannot change, so its text is found without
   * a lookup by ID or a comparison (CreditProfiles answers an unchanged record with the same frozen object).
   */
  readonly #frozenTexts = new WeakMap<ProfileRecord, Buffer>();

  bytes(profile: CreditProfile): Buffer {
    const parts: Buffer[] = [];
    let first = true;
    for (const [key, value] of Object.entries(profile)) {
      if (value === undefined) continue;
      parts.push(Buffer.from(`${first ? '{' : ','}${JSON.stringify(key)}:`, 'utf8'));
      first = false;
      if (key === 'records') this.#writeRecords(value as readonly ProfileRecord[], parts);
      else parts.push(Buffer.from(JSON.stringify(value), 'utf8'));
    }
    parts.push(Buffer.from(first ? '{}' : '}', 'utf8'));
    return Buffer.concat(parts);
  }

  #writeRecords(records: readonly ProfileRecord[], parts: Buffer[]): void {
    const comma = Buffer.from(',', 'utf8');
    parts.push(Buffer.from('[', 'utf8'));
    records.forEach((record, index) => {
      if (index > 0) parts.push(comma);
      const frozenText = this.#frozenTexts.get(record);
      if (frozenText !== undefined) {
        parts.push(frozenText);
        return;
      }
      const known = this.#records.get(record.recordId);
      if (known !== undefined && sameJson(known.record, record)) {
        if (frozenValues.has(record)) this.#frozenTexts.set(record, known.text);
        parts.push(known.text);
        return;
      }
      const text = Buffer.from(JSON.stringify(record), 'utf8');
      // What is compared next time must be what was written, whatever becomes of the caller's object: a deeply
      // frozen record is that already, anything else is copied.
      const frozen = frozenValues.has(record);
      const kept = frozen ? record : structuredClone(record);
      this.#records.set(record.recordId, { record: kept, text });
      if (frozen) this.#frozenTexts.set(record, text);
      parts.push(text);
    });
    parts.push(Buffer.from(']', 'utf8'));
  }
}
