import type { Context } from 'fabric-contract-api';
import { deepFreeze, fromBytes, toBytes } from '../serialization';
import { INDEX_VALUE } from './keys';
import type { Page } from '../model/license';

/**
 * Parses of stored values, by the bytes object they were read as. A peer hands the chaincode fresh bytes on every
 * read, so this never answers there; the embedded ledger hands out the same (read-only) bytes for a key until the key
 * is written, so a credit profile after one new record parses one record rather than all 1,000 again. The same
 * bytes object always holds the same JSON, so its parse can be shared, deeply frozen so no caller can change it.
 */
const parsedValues = new WeakMap<Uint8Array, unknown>();

/** The record stored as `bytes`, deeply frozen: the chaincode builds changed records as new objects. */
export function parseStored(bytes: Uint8Array): unknown {
  const known = parsedValues.get(bytes);
  if (known !== undefined) return known;
  const value = deepFreeze(fromBytes(bytes));
  parsedValues.set(bytes, value);
  return value;
}

/** Reads and writes of JSON records under composite keys, through the one serialiser. */
export async function readRecord<T>(ctx: Context, objectType: string, attributes: string[]): Promise<T | undefined> {
  const bytes = await ctx.stub.getState(ctx.stub.createCompositeKey(objectType, attributes));
  return bytes.length === 0 ? undefined : (parseStored(bytes) as T);
}

export async function writeRecord(
  ctx: Context,
  objectType: string,
  attributes: string[],
  record: unknown,
): Promise<void> {
  await ctx.stub.putState(ctx.stub.createCompositeKey(objectType, attributes), toBytes(record));
}

export async function writeIndex(ctx: Context, objectType: string, attributes: string[]): Promise<void> {
  await ctx.stub.putState(ctx.stub.createCompositeKey(objectType, attributes), INDEX_VALUE);
}

/** All records of one type with the given key prefix (used for small sets: regions, types, a pair's agreements). */
export async function listRecords<T>(ctx: Context, objectType: string, attributes: string[]): Promise<T[]> {
  const records: T[] = [];
  for await (const kv of ctx.stub.getStateByPartialCompositeKey(objectType, attributes)) {
    records.push(parseStored(kv.value) as T);
  }
  return records;
}

/**
 * One page of an index whose last key attribute names a record, resolved through `load`. Paginated queries are
 * evaluate-only on Fabric, so only query transactions call this.
 */
export async function pageIndex<T>(
  ctx: Context,
  indexType: string,
  attributes: string[],
  pageSize: number,
  bookmark: string,
  load: (id: string) => Promise<T | undefined>,
): Promise<Page<T>> {
  const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
    indexType,
    attributes,
    pageSize,
    bookmark,
  );
  const items: T[] = [];
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const parts = ctx.stub.splitCompositeKey(next.value.key).attributes;
      const id = parts[parts.length - 1];
      if (id === undefined) continue;
      const record = await load(id);
      if (record !== undefined) items.push(record);
    }
  } finally {
    await iterator.close();
  }
  return { items, bookmark: metadata.bookmark };
}
