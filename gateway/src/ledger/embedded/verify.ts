import { sm3Hex } from '@certhub/certs-service';
import { GENESIS_PREVIOUS_HASH, blockHash, stateDigest, transactionsDigest, type Block } from './blocks';
import { TIP_KEY, decodeJson, decodeVersioned, openStore } from './store';

export type LedgerVerification =
  | { readonly ok: true; readonly height: number; readonly transactions: number }
  | {
      readonly ok: false;
      readonly height: number;
      /** The first block whose link or contents do not check out, or undefined when the break is in the world state. */
      readonly blockNumber: number | undefined;
      readonly key?: string;
      readonly reason: string;
    };

/**
 * Re-walks an embedded ledger's chain (what `certhub ledger verify` runs): each block's number, its link to the
 * previous block's SM3 hash, its own hash and digests, the recorded tip, and finally that the world state holds
 * exactly the last value each key was given by a block. Reports the first broken link. Opens the database itself,
 * so the ledger must not be open in another process.
 */
export async function verifyLedger(dataDir: string): Promise<LedgerVerification> {
  const store = openStore(dataDir);
  await store.db.open();
  try {
    let previous: Block | undefined;
    let transactions = 0;
    const lastWrite = new Map<string, string | null>();
    for await (const [key, bytes] of store.blocks.iterator()) {
      const block = decodeJson(bytes) as Block;
      const expectedNumber = previous === undefined ? 0 : previous.number + 1;
      const height = expectedNumber;
      const broken = (reason: string): LedgerVerification => ({
        ok: false,
        height,
        blockNumber: expectedNumber,
        reason,
      });
      if (block.number !== expectedNumber || key !== String(expectedNumber).padStart(16, '0'))
        return broken('block number out of sequence');
      if (block.previousHash !== (previous === undefined ? GENESIS_PREVIOUS_HASH : previous.hash))
        return broken('previous hash does not match');
      if (block.stateDigest !== stateDigest(block.transactions))
        return broken('state digest does not match the write sets');
      if (block.transactionsDigest !== transactionsDigest(block.transactions))
        return broken('transactions digest does not match');
      if (block.hash !== blockHash(block)) return broken('block hash does not match its header');
      for (const tx of block.transactions) {
        transactions += 1;
        for (const write of tx.writes) lastWrite.set(write.key, write.valueHash);
      }
      previous = block;
    }
    const height = previous === undefined ? 0 : previous.number + 1;
    const tipBytes = await store.meta.get(TIP_KEY);
    const tip = tipBytes === undefined ? undefined : (decodeJson(tipBytes) as { number: number }).number;
    if (tip !== (previous === undefined ? undefined : previous.number)) {
      return { ok: false, height, blockNumber: tip, reason: 'recorded tip does not match the last block' };
    }
    for await (const [key, bytes] of store.state.iterator()) {
      const expected = lastWrite.get(key);
      if (expected === undefined || expected === null || sm3Hex(decodeVersioned(bytes).value) !== expected) {
        return { ok: false, height, blockNumber: undefined, key, reason: 'world state differs from the chain' };
      }
      lastWrite.delete(key);
    }
    for (const [key, valueHash] of lastWrite) {
      if (valueHash !== null)
        return { ok: false, height, blockNumber: undefined, key, reason: 'world state is missing a key' };
    }
    return { ok: true, height, transactions };
  } finally {
    await store.db.close();
  }
}
