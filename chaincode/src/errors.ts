import { CertHubError } from '@certhub/certs-service';

/**
 * The chaincode's typed errors. Each has a stable code the gateway maps to HTTP. fabric-shim passes only an error's
 * message to the client, so `toTransportError` encodes `{code, message, context}` as that message and the Ledger layer
 * (embedded or Fabric) turns it back into a ChaincodeError with the same code.
 */
export type ChaincodeErrorCode =
  | 'INVALID_ARGUMENT'
  | 'PAYLOAD_TOO_LARGE'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'LICENSE_NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'BAD_SIGNATURE'
  | 'CERTIFICATE_REJECTED'
  | 'ISSUER_NOT_AUTHORISED'
  | 'INVALID_STATE_TRANSITION'
  | 'INCLUSION_PROOF_INVALID'
  | 'STALE_AUDIT_HEAD'
  | 'HUB_NOT_INITIALISED';

export class ChaincodeRuleError extends CertHubError {
  readonly code: ChaincodeErrorCode;

  constructor(
    code: ChaincodeErrorCode,
    message: string,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, context, options);
    this.code = code;
  }
}

export const invalidArgument = (message: string, context: Record<string, unknown> = {}): ChaincodeRuleError =>
  new ChaincodeRuleError('INVALID_ARGUMENT', message, context);

export const forbidden = (message: string, context: Record<string, unknown> = {}): ChaincodeRuleError =>
  new ChaincodeRuleError('FORBIDDEN', message, context);

export const notFound = (kind: string, id: string): ChaincodeRuleError =>
  new ChaincodeRuleError(kind === 'license' ? 'LICENSE_NOT_FOUND' : 'NOT_FOUND', `No ${kind} ${id}`, { kind, id });

export const alreadyExists = (kind: string, id: string): ChaincodeRuleError =>
  new ChaincodeRuleError('ALREADY_EXISTS', `${kind} ${id} already exists`, { kind, id });

/**
 * The error fabric-shim carries to the client. Typed errors from certs-service (e.g. INVALID_IDENTIFIER) keep their
 * own code; anything untyped is a bug and is reported as INTERNAL without its stack.
 */
export function toTransportError(error: unknown): Error {
  if (error instanceof CertHubError) {
    return new Error(JSON.stringify({ code: error.code, message: error.message, context: error.context }));
  }
  const message = error instanceof Error ? error.message : String(error);
  return new Error(JSON.stringify({ code: 'INTERNAL', message, context: {} }));
}
