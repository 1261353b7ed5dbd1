import { CertHubError } from '@certhub/certs-service';
import type { User } from '../auth/user';

/*
 * The seam between the credit profile (which assembles the detail of an enterprise's records) and consent and the
 * bank audit log (which decide whether a bank may see that detail and record that it did). The profile route asks
 * `openDetail` before it reads any detail; nothing else decides access to detail.
 */

/** What a bank's consent lets it read (issue 6: the consent names the bank, the scope and an expiry). */
export type ConsentScope = 'credit-detail' | 'licenses';

/** A detailed query that was allowed, and the audit entry that records it. */
export interface DetailGrant {
  readonly consentId: string;
  readonly scope: readonly ConsentScope[];
  /** Last day (YYYY-MM-DD, China time) the consent covers. */
  readonly expiresOn: string;
  /** The hash-chained audit entry written for this query: its sequence number and entry hash. */
  readonly audit: { readonly seq: number; readonly entryHash: string };
}

export interface CreditDetailAccess {
  /**
   * Allows `caller` (a bank) to read the credit detail of `enterprise` for `purpose` only if it holds a current
   * (unexpired, unrevoked) consent of the enterprise that covers `credit-detail`. Appends the query (who, when, what,
   * why) to the tamper-evident audit log BEFORE returning, so no detail is ever served unlogged. Throws
   * `ConsentRequiredError` (403 CONSENT_REQUIRED, with the reason) when there is no such consent.
   */
  openDetail(caller: User, enterprise: string, purpose: string, what: string): Promise<DetailGrant>;
}

/** A bank asked for credit detail without a current consent of the enterprise covering it. */
export class ConsentRequiredError extends CertHubError {
  readonly code = 'CONSENT_REQUIRED';
}
