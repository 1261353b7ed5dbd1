import { CertHubError } from '@certhub/certs-service';

/** The authority a credit source writes for is not registered on the ledger (so nothing can check its signature). */
export class CreditSourceNotRegisteredError extends CertHubError {
  readonly code = 'CREDIT_SOURCE_NOT_REGISTERED';
}

/**
 * A repair asked for before the record's minimum publicity period has passed (issue 6). Its problem details carry
 * `repairAllowedFrom`, the first day a repair will be accepted.
 */
export class CreditRepairTooEarlyError extends CertHubError {
  readonly code = 'REPAIR_TOO_EARLY';
  declare readonly context: Readonly<{
    recordId: string;
    minimumUntil: string;
    extensions: { readonly repairAllowedFrom: string };
  }>;

  constructor(recordId: string, minimumUntil: string, repairAllowedFrom: string) {
    super(
      `credit record ${recordId} is in its minimum publicity period until ${minimumUntil}: repair is allowed from ${repairAllowedFrom}`,
      { recordId, minimumUntil, extensions: { repairAllowedFrom } },
    );
  }
}

/** A repair or withdrawal of a record that is no longer ACTIVE (already repaired or withdrawn: history is final). */
export class CreditRecordStateError extends CertHubError {
  readonly code = 'INVALID_STATE_TRANSITION';
}

/**
 * The ledger listed a record in a profile, then could not find it: an inconsistent answer, not a client's mistake, so
 * it stays an internal error (500, logged with this message).
 */
export class CreditProfileInconsistentError extends CertHubError {
  readonly code = 'LEDGER_INCONSISTENT';
}
