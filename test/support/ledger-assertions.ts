import assert from 'node:assert/strict';
import {
  ChaincodeError,
  type Ledger,
  type LedgerIdentity,
  type TransactionRequest,
} from '@certhub/gateway/dist/ledger';

/**
 * Submits a transaction that must be refused: asserts a ChaincodeError with `code` and that the ledger's history did
 * not grow, i.e. nothing of the rejected transaction was committed. Returns the error for further checks.
 */
export async function assertRejectedWithoutCommit(
  ledger: Ledger,
  identity: LedgerIdentity,
  request: TransactionRequest,
  code: string,
): Promise<ChaincodeError> {
  const before = (await ledger.history()).length;
  let caught: unknown;
  try {
    await ledger.submit(identity, request);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ChaincodeError, `expected a ChaincodeError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal((await ledger.history()).length, before, 'a rejected transaction must not be committed');
  return caught;
}
