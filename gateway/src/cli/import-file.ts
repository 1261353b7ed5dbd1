import { extname } from 'node:path';
import { MAX_BATCH_ITEMS } from '../schemas';
import { CliInputError } from './errors';
import type { ByteBody } from './gateway-client';
import type { CliIo } from './io';

/*
 * A bulk import file turned into the bodies of POST /v1/licenses/batch. The gateway takes at most MAX_BATCH_ITEMS
 * items per request, so a larger file goes as several parts, each its own job, in file order; `firstIndex` maps a
 * part's item indexes back to positions in the file. A JSON array is one JSON value and is read whole; NDJSON is
 * read twice as a stream and never held whole: a first pass checks that every line is JSON (so a broken line 40,000
 * is refused before any part is sent) and decides where parts end, the second streams each part's lines as the
 * request body, as application/x-ndjson.
 */

export const IMPORT_FORMATS = ['json', 'ndjson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Bytes per part, well under the gateway's default body limit (32 MiB), so only the item count usually decides. */
export const MAX_PART_BYTES = 16 * 1_048_576;

export interface ImportPart {
  /** 1-based. */
  readonly number: number;
  /** File position (array index, or NDJSON line − 1) of the part's index 0. */
  readonly firstIndex: number;
  /** How people find the part in the file, e.g. `lines 2,001–4,000` or `items 2,000–3,999`. */
  readonly where: string;
  readonly body: ByteBody;
}

export interface ImportPlan {
  readonly format: ImportFormat;
  /** Items to issue (blank NDJSON lines are not items). */
  readonly items: number;
  readonly partCount: number;
  /** The parts in file order; NDJSON parts stream from the file, so send each before asking for the next. */
  parts(): AsyncGenerator<ImportPart>;
}

interface PartLimits {
  readonly maxItems: number;
  readonly maxBytes: number;
}

const DEFAULT_LIMITS: PartLimits = { maxItems: MAX_BATCH_ITEMS, maxBytes: MAX_PART_BYTES };

const BY_EXTENSION: Readonly<Record<string, ImportFormat>> = {
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

/** Bytes per write of a streamed NDJSON part. */
const UPLOAD_CHUNK = 64 * 1024;

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const BOM = [0xef, 0xbb, 0xbf];
const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Plans the import of FILE in `format`, else the format its extension names, else the one its first non-space byte
 * shows (`[` JSON array, `{` NDJSON). Fails with a CliInputError, before anything is sent, when the file is missing,
 * empty, in the other format, or (NDJSON) has a line that is not JSON.
 */
export async function planImport(
  io: CliIo,
  path: string,
  format?: ImportFormat,
  limits: PartLimits = DEFAULT_LIMITS,
): Promise<ImportPlan> {
  const iterator = io.readChunks(path)[Symbol.asyncIterator]();
  let head: Uint8Array[] = [];
  let first: number | undefined;
  let offset = 0;
  let bom = 0;
  while (first === undefined) {
    const next = await iterator.next();
    if (next.done === true) break;
    head.push(next.value);
    for (const byte of next.value) {
      if (offset === bom && bom < BOM.length && byte === BOM[bom]) bom += 1;
      offset += 1;
      if (offset <= bom || WHITESPACE.has(byte)) continue;
      first = byte;
      break;
    }
  }
  if (first === undefined) {
    await iterator.return?.();
    throw new CliInputError(`${path} is empty: nothing to import`, { path });
  }
  const sniffed: ImportFormat | undefined = first === 0x5b ? 'json' : first === 0x7b ? 'ndjson' : undefined;
  const chosen = format ?? BY_EXTENSION[extname(path).toLowerCase()] ?? sniffed;
  if (chosen === undefined || chosen !== sniffed) {
    await iterator.return?.();
    const starts = first >= 0x21 && first <= 0x7e ? `"${String.fromCharCode(first)}"` : `byte 0x${first.toString(16)}`;
    const what =
      chosen === undefined
        ? 'is neither a JSON array nor NDJSON'
        : chosen === 'json'
          ? 'is not a JSON array (which starts with "[")'
          : 'is not NDJSON (one JSON object a line)';
    throw new CliInputError(`${path} ${what}: it starts with ${starts}`, { path, format: chosen });
  }
  // A UTF-8 byte order mark (editors on Windows add one) is not part of the JSON the gateway parses.
  if (bom === BOM.length) head = dropBytes(head, bom);
  const rest = concat(head, iterator);
  return chosen === 'json' ? jsonPlan(path, rest, limits) : ndjsonPlan(io, path, rest, bom === BOM.length, limits);
}

function dropBytes(chunks: readonly Uint8Array[], n: number): Uint8Array[] {
  let left = n;
  const kept: Uint8Array[] = [];
  for (const chunk of chunks) {
    if (left >= chunk.length) left -= chunk.length;
    else {
      kept.push(chunk.subarray(left));
      left = 0;
    }
  }
  return kept;
}

/** The chunks already read, then the rest of the file; the file is closed if the reader stops early. */
async function* concat(head: readonly Uint8Array[], tail: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* head;
    for (let next = await tail.next(); next.done !== true; next = await tail.next()) yield next.value;
  } finally {
    await tail.return?.();
  }
}

/** Splits bytes into lines, each with its `\n` (the last may have none); one line is held at a time. */
async function* linesOf(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      pending.push(Buffer.from(chunk.subarray(start, end + 1)));
      yield Buffer.concat(pending);
      pending = [];
      start = end + 1;
    }
    if (start < chunk.length) pending.push(Buffer.from(chunk.subarray(start)));
  }
  if (pending.length > 0) yield Buffer.concat(pending);
}

const isBlank = (line: Buffer): boolean => line.every((byte) => WHITESPACE.has(byte));

/** Where each part ends (its last line, 1-based, inclusive), found by the first pass. */
interface NdjsonPart {
  readonly firstLine: number;
  readonly lastLine: number;
}

async function ndjsonPlan(
  io: CliIo,
  path: string,
  firstPass: AsyncIterable<Uint8Array>,
  hasBom: boolean,
  limits: PartLimits,
): Promise<ImportPlan> {
  const boundaries: NdjsonPart[] = [];
  let line = 0;
  let items = 0;
  let partFirst = 1;
  let partItems = 0;
  let partBytes = 0;
  for await (const text of linesOf(firstPass)) {
    line += 1;
    if (isBlank(text)) {
      partBytes += text.length;
      continue;
    }
    try {
      JSON.parse(text.toString('utf8'));
    } catch (cause) {
      // Name the line, never quote it: it may hold a holder's ID number.
      throw new CliInputError(
        `${path} line ${count(line)} is not valid JSON; nothing was sent`,
        { path, line },
        { cause },
      );
    }
    if (partItems > 0 && (partItems >= limits.maxItems || partBytes + text.length > limits.maxBytes)) {
      boundaries.push({ firstLine: partFirst, lastLine: line - 1 });
      partFirst = line;
      partItems = 0;
      partBytes = 0;
    }
    partItems += 1;
    partBytes += text.length;
    items += 1;
  }
  boundaries.push({ firstLine: partFirst, lastLine: line });
  return {
    format: 'ndjson',
    items,
    partCount: boundaries.length,
    async *parts() {
      const source = linesOf(io.readChunks(path));
      let at = 0;
      /**
       * The lines of one part, read from the shared source as the upload asks for them, gathered into writes of
       * about UPLOAD_CHUNK bytes (one write per line would cost a syscall and a chunk header for each license).
       */
      async function* partLines(part: NdjsonPart): AsyncGenerator<Buffer> {
        let gathered: Buffer[] = [];
        let size = 0;
        while (at < part.lastLine) {
          const next = await source.next();
          if (next.done === true) break;
          at += 1;
          const line = at === 1 && hasBom ? next.value.subarray(BOM.length) : next.value;
          gathered.push(line);
          size += line.length;
          if (size >= UPLOAD_CHUNK) {
            yield Buffer.concat(gathered);
            gathered = [];
            size = 0;
          }
        }
        if (gathered.length > 0) yield Buffer.concat(gathered);
      }
      try {
        for (const [i, part] of boundaries.entries()) {
          // A part whose upload stopped early would leave the source mid-part: skip to this part's first line.
          while (at < part.firstLine - 1) {
            if ((await source.next()).done === true) return;
            at += 1;
          }
          yield {
            number: i + 1,
            firstIndex: part.firstLine - 1,
            where: `lines ${count(part.firstLine)}–${count(part.lastLine)}`,
            body: { bytes: partLines(part), contentType: 'application/x-ndjson' },
          };
        }
      } finally {
        await source.return(undefined);
      }
    },
  };
}

/**
 * A JSON array, read whole (it is one JSON value). It goes as it is when it fits one request; otherwise as
 * consecutive slices, each a JSON array of its own.
 */
async function jsonPlan(path: string, chunks: AsyncIterable<Uint8Array>, limits: PartLimits): Promise<ImportPlan> {
  const pieces: Uint8Array[] = [];
  for await (const chunk of chunks) pieces.push(chunk);
  const bytes = Buffer.concat(pieces);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new CliInputError(
      `${path} is not valid JSON (${why}); NDJSON files need --format ndjson or an .ndjson name`,
      { path },
      { cause },
    );
  }
  if (!Array.isArray(value)) throw new CliInputError(`${path} must hold a JSON array of issue requests`, { path });
  const items = value as unknown[];
  if (items.length === 0) throw new CliInputError(`${path} is an empty array: nothing to import`, { path });
  const slices: { start: number; end: number }[] = [];
  if (items.length <= limits.maxItems && bytes.length <= limits.maxBytes) slices.push({ start: 0, end: items.length });
  else {
    let start = 0;
    let size = 2;
    for (const [i, item] of items.entries()) {
      const itemBytes = Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;
      if (i > start && (i - start >= limits.maxItems || size + itemBytes > limits.maxBytes)) {
        slices.push({ start, end: i });
        start = i;
        size = 2;
      }
      size += itemBytes;
    }
    slices.push({ start, end: items.length });
  }
  const whole = slices.length === 1;
  return {
    format: 'json',
    items: items.length,
    partCount: slices.length,
    // eslint-disable-next-line @typescript-eslint/require-await -- an async generator, like the NDJSON plan's
    async *parts() {
      for (const [i, { start, end }] of slices.entries()) {
        yield {
          number: i + 1,
          firstIndex: start,
          where: `items ${count(start)}–${count(end - 1)}`,
          body: {
            bytes: whole ? bytes : Buffer.from(JSON.stringify(items.slice(start, end)), 'utf8'),
            contentType: 'application/json',
          },
        };
      }
    },
  };
}
