import { Level } from 'level';
import type { AbstractSublevel } from 'abstract-level';
import type { Block } from './blocks';

/**
 * The on-disk layout of the embedded ledger, one level database with four sublevels:
 * - `state`:   key → 12-byte version (block number, tx index) + value; the world state.
 * - `history`: hex(key) + '/' + version → JSON modification; per-key history (hex keeps one key's entries
 *              contiguous even when keys contain the composite-key separator).
 * - `blocks`:  16-digit block number → JSON block.
 * - `meta`:    'tip' → the last block's number and hash.
 * Everything a block changes is written in one level batch, so a crash never leaves half a transaction.
 */
export type LedgerSublevel = AbstractSublevel<
  Level<string, Uint8Array>,
  string | Uint8Array | Buffer,
  string,
  Uint8Array
>;

export interface LedgerStore {
  readonly db: Level<string, Uint8Array>;
  readonly state: LedgerSublevel;
  readonly history: LedgerSublevel;
  readonly blocks: LedgerSublevel;
  readonly meta: LedgerSublevel;
}

export function openStore(dataDir: string): LedgerStore {
  const db = new Level<string, Uint8Array>(dataDir, { keyEncoding: 'utf8', valueEncoding: 'view' });
  const options = { keyEncoding: 'utf8', valueEncoding: 'view' } as const;
  return {
    db,
    state: db.sublevel<string, Uint8Array>('state', options),
    history: db.sublevel<string, Uint8Array>('history', options),
    blocks: db.sublevel<string, Uint8Array>('blocks', options),
    meta: db.sublevel<string, Uint8Array>('meta', options),
  };
}

export interface Version {
  readonly blockNumber: number;
  readonly txIndex: number;
}

export interface VersionedValue {
  readonly version: Version;
  readonly value: Uint8Array;
}

export function encodeVersioned(version: Version, value: Uint8Array): Uint8Array {
  const out = Buffer.alloc(12 + value.length);
  out.writeBigUInt64BE(BigInt(version.blockNumber), 0);
  out.writeUInt32BE(version.txIndex, 8);
  out.set(value, 12);
  return out;
}

export function decodeVersioned(bytes: Uint8Array): VersionedValue {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    version: { blockNumber: Number(buffer.readBigUInt64BE(0)), txIndex: buffer.readUInt32BE(8) },
    value: buffer.subarray(12),
  };
}

export interface StoredModification {
  readonly txId: string;
  readonly timestamp: number;
  readonly isDelete: boolean;
  readonly value: string; // base64
}

export function historyPrefix(key: string): string {
  return `${Buffer.from(key, 'utf8').toString('hex')}/`;
}

export function historyKey(key: string, version: Version): string {
  return `${historyPrefix(key)}${String(version.blockNumber).padStart(16, '0')}${String(version.txIndex).padStart(8, '0')}`;
}

export function blockKey(blockNumber: number): string {
  return String(blockNumber).padStart(16, '0');
}

export const TIP_KEY = 'tip';

export function encodeJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** Parses a record this module wrote; callers name the record type they stored under that sublevel. */
export function decodeJson(bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}

export type StoredBlock = Block;
