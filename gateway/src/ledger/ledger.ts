/**
 * The narrow interface between the gateway and a ledger backend. The embedded backend runs the chaincode in-process
 * over level; a Fabric backend (a later issue) speaks to peers through fabric-gateway. Both take the caller's identity
 * on every call, because the chaincode decides access from the submitter's certificate, not from a session.
 */

/** A Fabric identity: the MSP it belongs to, its X.509 certificate (with Fabric CA attributes) and its private key. */
export interface LedgerIdentity {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** One chaincode invocation: `contract:function(args…)`, as Fabric names it, plus optional transient data. */
export interface TransactionRequest {
  readonly contract: string;
  readonly fn: string;
  readonly args?: readonly string[];
  /** Private inputs that reach the chaincode through getTransient() and are never written to a block. */
  readonly transient?: Readonly<Record<string, Uint8Array>>;
}

/** What a committed transaction returns: its ID, where it landed and what the chaincode returned. */
export interface SubmitResult {
  readonly txId: string;
  readonly blockNumber: number;
  readonly timestamp: Date;
  readonly payload: Uint8Array;
}

/** A chaincode event from a committed transaction (at most one per transaction, as on Fabric). */
export interface LedgerEvent {
  readonly blockNumber: number;
  readonly txId: string;
  readonly timestamp: Date;
  readonly name: string;
  readonly payload: Uint8Array;
}

/** One committed transaction as it appears in the chain: who submitted what and when. */
export interface CommittedTransaction {
  readonly blockNumber: number;
  readonly txId: string;
  readonly timestamp: Date;
  readonly mspId: string;
  readonly contract: string;
  readonly fn: string;
  readonly eventName: string | null;
}

export interface EventsOptions {
  /** Replay events from this block onwards before delivering live ones; default: only live events. */
  readonly startBlock?: number;
}

/** A stream of events that stops when closed (or when the ledger closes). */
export interface EventStream extends AsyncIterable<LedgerEvent> {
  close(): void;
}

export interface Ledger {
  /** Simulate, then commit: the writes apply only if the chaincode succeeds. Throws ChaincodeError on a rejection. */
  submit(identity: LedgerIdentity, request: TransactionRequest): Promise<SubmitResult>;
  /** Run a query against committed state; nothing is written. */
  evaluate(identity: LedgerIdentity, request: TransactionRequest): Promise<Uint8Array>;
  /** Chaincode events, optionally replayed from a block. */
  events(options?: EventsOptions): EventStream;
  /** The committed transactions, oldest first, from a block onwards (the chain's own record, not per key). */
  history(options?: { readonly startBlock?: number }): Promise<CommittedTransaction[]>;
  close(): Promise<void>;
}
