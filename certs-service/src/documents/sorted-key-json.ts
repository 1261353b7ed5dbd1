/**
 * JSON with object keys sorted at every level, JSON.stringify's rules otherwise (undefined members are dropped).
 * What the chaincode writes and what the embedded ledger hashes into blocks: any two runs over the same values give
 * the same bytes. Lighter than RFC 8785 (`canonicalize`), which signed documents need and which refuses more.
 *
 * The bytes are exactly those of `JSON.stringify(value, replacer)` with a replacer that turns every non-array object
 * into a copy with its keys sorted (the first implementation, kept in the tests as the oracle): stored state and
 * block hashes depend on them. A replacer makes V8 call back into JavaScript for every value and build each copy
 * through Object.fromEntries, which made serialising the largest cost of a 1,000-record credit profile; this builds
 * the sorted copy in one pass (applying toJSON and dropping what JSON.stringify drops, as the replacer saw them),
 * copying only the objects not already in sorted order, and hands it to JSON.stringify without a replacer.
 */
export function sortedKeyJson(value: unknown): string {
  // Like JSON.stringify, undefined (not a string) for undefined, a function or a symbol at the top.
  return JSON.stringify(sortedCopy(value, ''));
}

/**
 * Objects and arrays known to serialise as themselves for good: frozen, plain, in sorted order, and holding only
 * primitives and other such values, so nothing in them can change. The chaincode reads records back as shared frozen
 * parses (written sorted), and a credit profile serialises the same thousand summaries on every query: each is
 * walked once, then known.
 */
const settled = new WeakSet<object>();

/** Whether a member that serialised as itself cannot change either. */
const isSettled = (member: unknown): boolean => typeof member !== 'object' || member === null || settled.has(member);

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (value: unknown): boolean =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

/**
 * The value JSON.stringify would serialise for `input` under property `key`, after toJSON and the sorting replacer:
 * primitives as they are, arrays element by element, every other object as a plain object with its own enumerable
 * keys inserted in sorted order (so, as with the replacer's copies, array-index keys still come first, numerically).
 * The copy holds no functions, so JSON.stringify calls no toJSON on it a second time.
 *
 * A plain object or array that is already in that form all the way down (keys in sorted order, no toJSON anywhere)
 * is returned itself rather than copied: what the chaincode reads back from state was written sorted, and copying it
 * only made garbage. JSON.stringify drops undefined, functions and symbols from such an object (and writes null for
 * them in an array) exactly as the copy would have.
 */
function sortedCopy(input: unknown, key: string): unknown {
  if (typeof input === 'object' && input !== null && settled.has(input)) return input;
  let value = input;
  // JSON.stringify asks every object (functions too) and BigInt for toJSON.
  if (value !== null && (typeof value === 'object' || typeof value === 'function' || typeof value === 'bigint')) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = (toJSON as (key: string) => unknown).call(value, key);
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return sortedArray(value as readonly unknown[]);
  return sortedRecord(value as Record<string, unknown>);
}

function sortedArray(items: readonly unknown[]): readonly unknown[] {
  let copy: unknown[] | undefined;
  let stable = Object.isFrozen(items);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const serialised = sortedCopy(item, String(i));
    if (copy === undefined && serialised !== item) copy = items.slice(0, i);
    if (copy !== undefined) copy.push(omitted(serialised) ? null : serialised);
    else if (stable && !isSettled(item)) stable = false;
  }
  if (copy === undefined && stable) settled.add(items);
  return copy ?? items;
}

function sortedRecord(record: Record<string, unknown>): Record<string, unknown> {
  let names = Object.keys(record);
  const prototype: unknown = Object.getPrototypeOf(record);
  // Only a plain object may stand for itself: JSON.stringify writes boxed primitives (new Number(1)) its own way.
  const inOrder = (prototype === Object.prototype || prototype === null) && inCopyOrder(names);
  const members: unknown[] = [];
  let unchanged = inOrder;
  if (inOrder) {
    let stable = Object.isFrozen(record);
    for (const name of names) {
      const member = record[name];
      const serialised = sortedCopy(member, name);
      members.push(serialised);
      if (serialised !== member) unchanged = false;
      else if (stable && !isSettled(member)) stable = false;
    }
    if (unchanged) {
      if (stable) settled.add(record);
      return record;
    }
  } else {
    names = names.sort();
  }
  // Names in sorted order (or already in the order a sorted copy lists them): insert them so.
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const member = inOrder ? members[i] : sortedCopy(record[name], name);
    if (omitted(member)) continue;
    if (name === '__proto__') {
      // An own property, as Object.fromEntries makes it; assignment would set the copy's prototype instead.
      Object.defineProperty(copy, name, { value: member, enumerable: true, writable: true, configurable: true });
    } else {
      copy[name] = member;
    }
  }
  return copy;
}

/** Canonical array-index keys ("0", "7", never "07"): every object lists them first, in numeric order. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

function isArrayIndex(name: string): boolean {
  const first = name.charCodeAt(0);
  return first >= 0x30 && first <= 0x39 && ARRAY_INDEX.test(name) && Number(name) <= 2 ** 32 - 2;
}

/**
 * Whether Object.keys order (array indices first and numerically, then insertion order) is already the order of a
 * sorted copy, that is, whether the names after the indices ascend.
 */
function inCopyOrder(names: readonly string[]): boolean {
  let previous: string | undefined;
  for (const name of names) {
    if (isArrayIndex(name)) continue;
    if (previous !== undefined && previous >= name) return false;
    previous = name;
  }
  return true;
}
