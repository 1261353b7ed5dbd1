import { DerError } from './errors';

// A deliberately small, strict DER codec for the few structures SM2 keys and signatures use
// (SEQUENCE, INTEGER, OCTET STRING, BIT STRING, OBJECT IDENTIFIER, explicit context tags).
// Strict means: definite minimal lengths only, minimal INTEGER encodings, no trailing bytes. Every
// departure is a DerError with the offset, never a silent truncation or a best guess.

export const DER_TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const;

/** Tag byte of an explicit, constructed context-specific tag `[n]` (n < 31). */
export function contextTag(n: number): number {
  return 0xa0 | n;
}

export interface DerElement {
  readonly tag: number;
  /** Offset of the tag byte in the outermost input, for error context. */
  readonly offset: number;
  readonly content: Uint8Array;
}

/** Reads consecutive DER elements from a byte range; nested structures get their own reader. */
export class DerReader {
  private position: number;

  private constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly end: number,
    /** Offset of `bytes[0]` in the outermost input, so nested errors point at the right byte. */
    private readonly base: number,
  ) {
    this.position = start;
  }

  static of(bytes: Uint8Array): DerReader {
    return new DerReader(bytes, 0, bytes.length, 0);
  }

  get done(): boolean {
    return this.position >= this.end;
  }

  /** The tag of the next element, or undefined at the end; lets callers handle OPTIONAL fields. */
  peekTag(): number | undefined {
    return this.done ? undefined : this.bytes[this.position];
  }

  /** Reads one whole element (tag, length, content) and checks its tag. */
  element(expectedTag: number, what: string): DerElement {
    const offset = this.base + this.position;
    if (this.done) {
      throw new DerError(`truncated: expected ${what}`, { offset, what });
    }
    const tag = this.byteAt(this.position, what);
    if ((tag & 0x1f) === 0x1f) {
      throw new DerError(`high-tag-number form is not used here (${what})`, { offset, what });
    }
    if (tag !== expectedTag) {
      throw new DerError(`expected ${what} (tag 0x${hex2(expectedTag)}), found tag 0x${hex2(tag)}`, {
        offset,
        what,
        tag,
      });
    }
    let cursor = this.position + 1;
    const first = this.byteAt(cursor, what);
    cursor += 1;
    let length: number;
    if (first < 0x80) {
      length = first;
    } else if (first === 0x80) {
      throw new DerError(`indefinite length is not DER (${what})`, { offset, what });
    } else {
      const count = first & 0x7f;
      // Four length bytes already describe 4 GiB; anything longer cannot fit in the input anyway.
      if (count > 4) {
        throw new DerError(`length of ${count} bytes is too large (${what})`, { offset, what });
      }
      length = 0;
      for (let i = 0; i < count; i += 1) {
        length = length * 256 + this.byteAt(cursor, what);
        cursor += 1;
      }
      const leadingByte = this.bytes[cursor - count];
      if (length < 0x80 || leadingByte === 0) {
        throw new DerError(`non-minimal length encoding (${what})`, { offset, what });
      }
    }
    if (cursor + length > this.end) {
      throw new DerError(`truncated: ${what} declares ${length} bytes, only ${this.end - cursor} remain`, {
        offset,
        what,
        declared: length,
        available: this.end - cursor,
      });
    }
    this.position = cursor + length;
    return { tag, offset, content: this.bytes.subarray(cursor, cursor + length) };
  }

  /** Enters a SEQUENCE (or any constructed tag) and returns a reader over its content. */
  constructed(expectedTag: number, what: string): DerReader {
    const element = this.element(expectedTag, what);
    const contentStart = element.content.byteOffset - this.bytes.byteOffset;
    return new DerReader(this.bytes, contentStart, contentStart + element.content.length, this.base);
  }

  sequence(what: string): DerReader {
    return this.constructed(DER_TAG.SEQUENCE, what);
  }

  /** An OPTIONAL explicit `[n]` field: its inner reader when present, undefined when the next tag differs. */
  optionalExplicit(n: number, what: string): DerReader | undefined {
    return this.peekTag() === contextTag(n) ? this.constructed(contextTag(n), what) : undefined;
  }

  /** A non-negative INTEGER in minimal two's-complement form. */
  unsignedInteger(what: string): bigint {
    const { content, offset } = this.element(DER_TAG.INTEGER, what);
    const first = content[0];
    const second = content[1];
    if (first === undefined) {
      throw new DerError(`empty INTEGER (${what})`, { offset, what });
    }
    if ((first & 0x80) !== 0) {
      throw new DerError(`negative INTEGER where a non-negative one is required (${what})`, { offset, what });
    }
    if (first === 0 && second !== undefined && (second & 0x80) === 0) {
      throw new DerError(`non-minimal INTEGER encoding (${what})`, { offset, what });
    }
    return bytesToBigint(content);
  }

  octetString(what: string): Uint8Array {
    return this.element(DER_TAG.OCTET_STRING, what).content;
  }

  /** A BIT STRING holding whole bytes (zero unused bits), as keys and points always are. */
  bitStringBytes(what: string): Uint8Array {
    const { content, offset } = this.element(DER_TAG.BIT_STRING, what);
    if (content[0] !== 0) {
      throw new DerError(`BIT STRING with unused bits where whole bytes are required (${what})`, { offset, what });
    }
    return content.subarray(1);
  }

  /** An OBJECT IDENTIFIER in dotted form. */
  oid(what: string): string {
    const { content, offset } = this.element(DER_TAG.OID, what);
    if (content.length === 0) {
      throw new DerError(`empty OBJECT IDENTIFIER (${what})`, { offset, what });
    }
    const arcs: bigint[] = [];
    let value = 0n;
    let inArc = false;
    for (const byte of content) {
      if (!inArc && byte === 0x80) {
        throw new DerError(`non-minimal OBJECT IDENTIFIER arc (${what})`, { offset, what });
      }
      value = (value << 7n) | BigInt(byte & 0x7f);
      inArc = (byte & 0x80) !== 0;
      if (!inArc) {
        arcs.push(value);
        value = 0n;
      }
    }
    if (inArc) {
      throw new DerError(`truncated OBJECT IDENTIFIER (${what})`, { offset, what });
    }
    const [first = 0n, ...rest] = arcs;
    const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
    return [...head, ...rest].map(String).join('.');
  }

  /** Requires that nothing follows: trailing bytes after a complete structure are an error, not ignored. */
  expectEnd(what: string): void {
    if (!this.done) {
      throw new DerError(`${this.end - this.position} trailing byte(s) after ${what}`, {
        offset: this.base + this.position,
        what,
      });
    }
  }

  private byteAt(index: number, what: string): number {
    const byte = index < this.end ? this.bytes[index] : undefined;
    if (byte === undefined) {
      throw new DerError(`truncated inside ${what}`, { offset: this.base + index, what });
    }
    return byte;
  }
}

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

export function bytesToBigint(bytes: Uint8Array): bigint {
  return bytes.length === 0
    ? 0n
    : BigInt('0x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex'));
}

/** Big-endian, left-padded to exactly `length` bytes (the caller guarantees it fits). */
export function bigintToBytes(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) {
    throw new RangeError(`value does not fit in ${length} bytes`);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

// --- writer -------------------------------------------------------------------------------------

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) {
    return Uint8Array.of(length);
  }
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function derElement(tag: number, content: Uint8Array): Uint8Array {
  const length = encodeLength(content.length);
  const out = new Uint8Array(1 + length.length + content.length);
  out[0] = tag;
  out.set(length, 1);
  out.set(content, 1 + length.length);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function derSequence(...parts: Uint8Array[]): Uint8Array {
  return derElement(DER_TAG.SEQUENCE, concat(parts));
}

export function derExplicit(n: number, inner: Uint8Array): Uint8Array {
  return derElement(contextTag(n), inner);
}

export function derUnsignedInteger(value: bigint): Uint8Array {
  if (value < 0n) {
    throw new RangeError('derUnsignedInteger takes a non-negative value');
  }
  let hex = value.toString(16);
  if (hex.length % 2 === 1) {
    hex = '0' + hex;
  }
  // A leading 1 bit would read back as negative: prefix a zero byte, as DER requires.
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) {
    hex = '00' + hex;
  }
  return derElement(DER_TAG.INTEGER, new Uint8Array(Buffer.from(hex, 'hex')));
}

export function derOctetString(content: Uint8Array): Uint8Array {
  return derElement(DER_TAG.OCTET_STRING, content);
}

export function derBitString(wholeBytes: Uint8Array): Uint8Array {
  return derElement(DER_TAG.BIT_STRING, concat([Uint8Array.of(0), wholeBytes]));
}

export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2n) {
    throw new RangeError(`not an object identifier: ${dotted}`);
  }
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const groups: number[] = [Number(arc & 0x7fn)];
    for (let rest7 = arc >> 7n; rest7 > 0n; rest7 >>= 7n) {
      groups.unshift(Number(rest7 & 0x7fn) | 0x80);
    }
    bytes.push(...groups);
  }
  return derElement(DER_TAG.OID, Uint8Array.from(bytes));
}
