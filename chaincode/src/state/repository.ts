import type { Context } from 'fabric-contract-api';
import { fromBytes, toBytes } from '../serialization';
import { INDEX_VALUE } from './keys';
import type { Page } from '../model/license';

/** Reads and writes of JSON records under composite keys, through the one serialiser. */
export async function readRecord<T>(ctx: Context, objectType: string, attributes: string[]): Promise<T | undefined> {
  const bytes = await ctx.stub.getState(ctx.stub.createCompositeKey(objectType, attributes));
  return bytes.length === 0 ? undefined : (fromBytes(bytes) as T);
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
    records.push(fromBytes(kv.value) as T);
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
