import { CertHubError } from '@certhub/certs-service';

/**
 * The chaincode rejected a transaction. Its `code` is the chaincode's own stable code (FORBIDDEN, LICENSE_NOT_FOUND…),
 * carried through fabric-shim as a JSON error message and restored here, so callers match on the code whichever
 * backend ran the chaincode.
 */
export class ChaincodeError extends CertHubError {
  readonly code: string;
  readonly txId: string;

  constructor(code: string, message: string, txId: string, context: Record<string, unknown> = {}) {
    super(message, context);
    this.code = code;
    this.txId = txId;
  }
}

/** Code used when the chaincode failed without a structured error (a bug or a fabric-shim dispatch failure). */
export const UNSTRUCTURED_CHAINCODE_ERROR = 'CHAINCODE_ERROR';

/** The ledger itself could not do what was asked: closed, unknown identity, storage failure. */
export class LedgerError extends CertHubError {
  readonly code: string;

  constructor(
    code: LedgerErrorCode,
    message: string,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, context, options);
    this.code = code;
  }
}

export type LedgerErrorCode =
  'LEDGER_CLOSED' | 'IDENTITY_REJECTED' | 'LEDGER_CORRUPT' | 'UNSUPPORTED_STUB_OPERATION' | 'PAGINATION_IN_SUBMIT';

/**
 * Turns a chaincode error message back into a typed error. The chaincode serialises its errors as
 * `{"code","message","context"}`; anything else (fabric-shim's own failures, e.g. an unknown function) keeps its text.
 */
export function chaincodeErrorFromMessage(message: string, txId: string): ChaincodeError {
  try {
    const parsed: unknown = JSON.parse(message);
    if (isStructuredError(parsed)) {
      return new ChaincodeError(parsed.code, parsed.message, txId, parsed.context ?? {});
    }
  } catch {
    // Not JSON: fall through to the unstructured form.
  }
  return new ChaincodeError(UNSTRUCTURED_CHAINCODE_ERROR, message, txId);
}

function isStructuredError(
  value: unknown,
): value is { code: string; message: string; context?: Record<string, unknown> } {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const context = record['context'];
  return (
    typeof record['code'] === 'string' &&
    typeof record['message'] === 'string' &&
    (context === undefined || (typeof context === 'object' && context !== null))
  );
}
