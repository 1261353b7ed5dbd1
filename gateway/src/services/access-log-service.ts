import { verifyAuditChain, type AuditEntry, type AuditHeads, type AuditLog, type AuditVerification } from '../audit';
import type { User } from '../auth/user';
import type { ConsentService } from './consent-service';
import { AccessDeniedError } from './errors';

/** The whole log's verification, as of `checkedAt`. */
export interface AuditLogReport extends AuditVerification {
  readonly logId: string;
  readonly checkedAt: string;
}

export interface AccessLogEntryView {
  readonly seq: number;
  readonly at: string;
  readonly bank: string;
  readonly user: string;
  readonly purpose: string;
  readonly what: string;
  readonly consentId: string | null;
  readonly outcome: AuditEntry['outcome'];
  readonly entryHash: string;
  readonly verified: boolean;
}

/** Who looked at an enterprise's credit detail, newest first, and whether the log they are read from verifies. */
export interface AccessLogView {
  readonly enterprise: string;
  readonly entries: AccessLogEntryView[];
  readonly total: number;
  readonly verification: AuditLogReport;
}

export const DEFAULT_ACCESS_LOG_LIMIT = 100;

/**
 * Reading the audit log (issue 6: the enterprise's registration authority, and the enterprise itself, list who looked).
 * A listing is taken in the same pass that verifies the whole chain against the heads anchored on chain, so what an
 * enterprise is shown is exactly what was checked, and an entry after a break is marked unverified.
 */
export class AccessLogService {
  private readonly clock: () => Date;

  constructor(
    private readonly consents: ConsentService,
    private readonly log: AuditLog,
    private readonly heads: AuditHeads,
    clock?: () => Date,
  ) {
    this.clock = clock ?? ((): Date => new Date());
  }

  /** Recomputes the whole chain and compares it with every anchored head. */
  async verify(visit?: (entry: AuditEntry, verified: boolean) => void): Promise<AuditLogReport> {
    const heads = await this.heads.history();
    const verification = await verifyAuditChain(this.log.scan(), heads, visit);
    return { ...verification, logId: this.heads.logId, checkedAt: this.clock().toISOString() };
  }

  async forEnterprise(caller: User, uscc: string, limit = DEFAULT_ACCESS_LOG_LIMIT): Promise<AccessLogView> {
    if (!(await this.consents.isEnterpriseOrAuthority(caller, uscc))) {
      throw new AccessDeniedError(
        `only enterprise ${uscc} and its registration authority read who looked at its credit detail`,
        { enterprise: uscc },
      );
    }
    // The newest `limit` entries about this enterprise, kept as the scan runs oldest first.
    const newest: AccessLogEntryView[] = [];
    let total = 0;
    const verification = await this.verify((entry, verified) => {
      if (entry.enterprise !== uscc) return;
      total += 1;
      newest.push({
        seq: entry.seq,
        at: entry.at,
        bank: entry.bank,
        user: entry.user,
        purpose: entry.purpose,
        what: entry.what,
        consentId: entry.consentId,
        outcome: entry.outcome,
        entryHash: entry.entryHash,
        verified,
      });
      if (newest.length > limit) newest.shift();
    });
    return { enterprise: uscc, entries: newest.reverse(), total, verification };
  }
}
