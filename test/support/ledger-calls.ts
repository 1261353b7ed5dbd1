import assert from 'node:assert/strict';
import {
  ChaincodeError,
  type Ledger,
  type LedgerIdentity,
  type TransactionRequest,
} from '@certhub/gateway/dist/ledger';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** Submits a transaction and parses its JSON result (the chaincode answers sorted-key JSON). */
export async function submitJson<T>(ledger: Ledger, identity: LedgerIdentity, request: TransactionRequest): Promise<T> {
  return JSON.parse(text((await ledger.submit(identity, request)).payload)) as T;
}

/** Evaluates a query and parses its JSON result. */
export async function evaluateJson<T>(
  ledger: Ledger,
  identity: LedgerIdentity,
  request: TransactionRequest,
): Promise<T> {
  return JSON.parse(text(await ledger.evaluate(identity, request))) as T;
}

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
