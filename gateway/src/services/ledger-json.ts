import type { Ledger, LedgerIdentity, SubmitResult, TransactionRequest } from '../ledger';

/** The chaincode answers sorted-key JSON; these read it back (the chaincode is the one writer, so the shape is its). */
export async function evaluateJson(
  ledger: Ledger,
  identity: LedgerIdentity,
  contract: string,
  fn: string,
  args: readonly string[] = [],
): Promise<unknown> {
  const bytes = await ledger.evaluate(identity, { contract, fn, args });
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

/** Submits and reads the chaincode's JSON answer back with the transaction it committed in. */
export async function submitJson(
  ledger: Ledger,
  identity: LedgerIdentity,
  request: TransactionRequest,
): Promise<{ result: unknown; submitted: SubmitResult }> {
  const submitted = await ledger.submit(identity, request);
  return { result: JSON.parse(Buffer.from(submitted.payload).toString('utf8')), submitted };
}
