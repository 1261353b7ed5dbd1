import { deepFreeze } from '@certhub/chaincode/dist/serialization';
import type { Ledger, LedgerIdentity, SubmitResult, TransactionRequest } from '../ledger';
import { ParsedAnswers } from './parsed-answers';

/** Parsed answers kept per ledger: the registry, anchors and histories a busy verifier asks about. */
const REMEMBERED_ANSWERS = 4096;
/** Larger answers (a credit profile, long pages) are parsed each time; a profile keeps its own. */
const MAX_REMEMBERED_ANSWER_BYTES = 64 * 1024;

/** Per ledger, per question (contract, function, arguments): the last answer's bytes and their frozen parse. */
const parsedAnswers = new WeakMap<Ledger, ParsedAnswers<unknown>>();

/**
 * The chaincode answers sorted-key JSON; these read it back (the chaincode is the one writer, so the shape is its).
 * The ledger is asked every time; when it answers a question with the same bytes as last time, the parse of last time
 * is returned again (JSON.parse is pure, and which caller asked does not change what bytes mean). So the value is
 * deeply frozen and shared: callers build new objects rather than change it. A verification asks five such
 * questions, and parsing their answers afresh was a tenth of its CPU.
 */
export async function evaluateJson(
  ledger: Ledger,
  identity: LedgerIdentity,
  contract: string,
  fn: string,
  args: readonly string[] = [],
): Promise<unknown> {
  const bytes = await ledger.evaluate(identity, { contract, fn, args });
  if (bytes.byteLength > MAX_REMEMBERED_ANSWER_BYTES) return JSON.parse(Buffer.from(bytes).toString('utf8'));
  let remembered = parsedAnswers.get(ledger);
  if (remembered === undefined) {
    remembered = new ParsedAnswers(REMEMBERED_ANSWERS);
    parsedAnswers.set(ledger, remembered);
  }
  return remembered.parse(JSON.stringify([contract, fn, ...args]), bytes, (text) =>
    deepFreeze(JSON.parse(text) as unknown),
  );
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
