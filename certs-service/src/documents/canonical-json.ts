import { CanonicalizationError } from './errors';

/** A JSON value as JavaScript data: what `canonicalize` accepts without error. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/*
 * RFC 8785 JSON Canonicalization Scheme. The RFC defines the output in terms of ECMAScript's own JSON serialisation,
 * so strings and numbers go through JSON.stringify (shortest round-trip number form, minimal escaping); what JCS adds
 * is member order (by UTF-16 code units, which is what JS string comparison does) and the refusal of anything that
 * JSON.stringify would silently drop or change (undefined, functions, NaN, Infinity, Dates via toJSON, cycles).
 * Lone surrogates are refused because I-JSON (RFC 7493), which JCS requires, forbids them.
 */

const LONE_SURROGATE = /\p{Surrogate}/u;
/**
 * Deeper nesting is refused with a typed error instead of overflowing the stack: documents reach us from untrusted
 * callers (POST /v1/verify), and JSON.parse happily builds values far deeper than this recursion can walk.
 */
export const MAX_CANONICAL_DEPTH = 1000;

/**
 * Where a value sits, as a chain of keys from the root. The JSON pointer string is rendered only for an error:
 * building it for every member made pointer formatting the largest cost of canonicalising a valid document.
 */
interface Path {
  readonly parent: Path | undefined;
  readonly key: string | number;
}

function pointer(path: Path | undefined): string {
  const parts: string[] = [];
  for (let at = path; at !== undefined; at = at.parent) {
    parts.push(`/${String(at.key).replaceAll('~', '~0').replaceAll('/', '~1')}`);
  }
  return parts.reverse().join('');
}

function serializeString(value: string, path: Path | undefined): string {
  // With the u flag a well-formed pair is one code point and does not match; only unpaired halves do.
  if (LONE_SURROGATE.test(value)) {
    throw new CanonicalizationError('LONE_SURROGATE', pointer(path), 'string contains an unpaired UTF-16 surrogate');
  }
  return JSON.stringify(value);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function serialize(value: unknown, path: Path | undefined, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CanonicalizationError('NON_FINITE_NUMBER', pointer(path), `${String(value)} has no JSON form`);
      }
      // ECMAScript Number-to-String, which is what JCS specifies; -0 becomes "0".
      return JSON.stringify(value);
    case 'undefined':
      throw new CanonicalizationError(
        'UNDEFINED',
        pointer(path),
        'undefined has no JSON form (use null or omit the member)',
      );
    case 'object':
      break;
    default:
      throw new CanonicalizationError('UNSUPPORTED_TYPE', pointer(path), `a ${typeof value} has no JSON form`);
  }
  if (value === null) return 'null';
  if (ancestors.size >= MAX_CANONICAL_DEPTH) {
    throw new CanonicalizationError(
      'TOO_DEEP',
      pointer(path).slice(0, 200),
      `nested deeper than ${MAX_CANONICAL_DEPTH} levels`,
    );
  }
  if (ancestors.has(value)) throw new CanonicalizationError('CYCLE', pointer(path), 'the value refers to itself');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: string[] = [];
      // An index loop, not map(): map skips holes, and a hole must fail as undefined rather than vanish.
      for (let index = 0; index < value.length; index += 1) {
        items.push(serialize(value[index] as unknown, { parent: path, key: index }, ancestors));
      }
      return `[${items.join(',')}]`;
    }
    if (!isPlainObject(value)) {
      const kind = (value as { constructor?: { name?: unknown } }).constructor?.name;
      const what = typeof kind === 'string' ? kind : 'non-plain object';
      throw new CanonicalizationError('NOT_PLAIN_OBJECT', pointer(path), `a ${what} is not JSON data`);
    }
    // Default sort compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 prescribes.
    const keys = Object.keys(value).sort();
    const members = keys.map((key) => {
      const at: Path = { parent: path, key };
      return `${serializeString(key, at)}:${serialize(value[key], at, ancestors)}`;
    });
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * The RFC 8785 canonical JSON text of `value`.
 * @throws CanonicalizationError for undefined, functions, symbols, bigints, NaN/Infinity, non-plain objects, lone
 *   surrogates, cycles and nesting deeper than MAX_CANONICAL_DEPTH, naming where in the value the problem is
 */
export function canonicalize(value: unknown): string {
  return serialize(value, undefined, new Set());
}

/** The UTF-8 bytes of `canonicalize(value)`: what gets hashed and signed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(canonicalize(value), 'utf8'));
}
