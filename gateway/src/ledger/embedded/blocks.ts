import { sm3Hex, sortedKeyJson } from '@certhub/certs-service';

/**
 * Blocks of the embedded ledger: each one names its number, the SM3 hash of the previous block, its transactions and
 * a digest of the state changes they made, so any edit to a stored block, a write or the world state breaks a link
 * that `verifyLedger` finds.
 */

/** One state change of a transaction: the key and the SM3 of the value written, or null for a delete. */
export interface BlockWrite {
  readonly key: string;
  readonly valueHash: string | null;
}

export interface BlockTransaction {
  readonly txId: string;
  /** Milliseconds since the epoch of the proposal timestamp (what the chaincode saw as tx time). */
  readonly timestamp: number;
  readonly mspId: string;
  /** SM3 of the submitter's certificate PEM: who, without copying the certificate into every block. */
  readonly creatorHash: string;
  readonly contract: string;
  readonly fn: string;
  /** SM3 of the JSON-encoded argument list. */
  readonly argsHash: string;
  readonly writes: readonly BlockWrite[];
  readonly event: { readonly name: string; readonly payload: string /* base64 */ } | null;
}

export interface BlockHeader {
  readonly number: number;
  readonly previousHash: string;
  readonly timestamp: number;
  /** SM3 over the transactions' write sets, in order. */
  readonly stateDigest: string;
  /** SM3 over the transactions (IDs, submitters, functions, events). */
  readonly transactionsDigest: string;
}

export interface Block extends BlockHeader {
  readonly hash: string;
  readonly transactions: readonly BlockTransaction[];
}

export const GENESIS_PREVIOUS_HASH = '0'.repeat(64);

export function stateDigest(transactions: readonly BlockTransaction[]): string {
  return sm3Hex(sortedKeyJson(transactions.map((tx) => tx.writes)));
}

export function transactionsDigest(transactions: readonly BlockTransaction[]): string {
  return sm3Hex(sortedKeyJson(transactions.map((tx) => ({ ...tx, writes: undefined }))));
}

export function blockHash(header: BlockHeader): string {
  return sm3Hex(
    sortedKeyJson({
      number: header.number,
      previousHash: header.previousHash,
      timestamp: header.timestamp,
      stateDigest: header.stateDigest,
      transactionsDigest: header.transactionsDigest,
    }),
  );
}

/** Cuts a block on top of `previous` (or the genesis block when there is none). */
export function cutBlock(
  previous: Block | undefined,
  transactions: readonly BlockTransaction[],
  timestamp: number,
): Block {
  const header: BlockHeader = {
    number: previous === undefined ? 0 : previous.number + 1,
    previousHash: previous === undefined ? GENESIS_PREVIOUS_HASH : previous.hash,
    timestamp,
    stateDigest: stateDigest(transactions),
    transactionsDigest: transactionsDigest(transactions),
  };
  return { ...header, hash: blockHash(header), transactions };
}
