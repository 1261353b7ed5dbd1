import type { ConsentRefusal } from '@certhub/chaincode/dist/consent-model';
import type { AuditLog, AuditOutcome } from '../audit';
import type { User } from '../auth/user';
import { RequestValidationError } from '../schemas';
import type { ConsentCheck, ConsentService } from './consent-service';
import { ConsentRequiredError, type CreditDetailAccess, type DetailGrant } from './credit-detail-access';
import { AccessDeniedError } from './errors';

/** Longest purpose kept in the log (the query schema's bound too). */
export const MAX_PURPOSE_LENGTH = 500;

const OUTCOME: Readonly<Record<ConsentRefusal | 'ALLOWED', AuditOutcome>> = {
  ALLOWED: 'ALLOWED',
  NO_CONSENT: 'REFUSED_NO_CONSENT',
  EXPIRED: 'REFUSED_EXPIRED',
  REVOKED: 'REFUSED_REVOKED',
  SCOPE: 'REFUSED_SCOPE',
};

/** Why the bank may not read, in words a bank's loan officer can act on. */
function refusal(check: Extract<ConsentCheck, { allowed: false }>, enterprise: string, bank: string): string {
  const id = check.consent?.consentId ?? '';
  switch (check.reason) {
    case 'NO_CONSENT':
      return `enterprise ${enterprise} has given ${bank} no consent to read its credit detail; it (or its registration authority) grants one with POST /v1/enterprises/${enterprise}/consents`;
    case 'EXPIRED':
      return `the consent ${id} of enterprise ${enterprise} for ${bank} expired on ${String(check.since)}`;
    case 'REVOKED':
      return `the consent ${id} of enterprise ${enterprise} for ${bank} was revoked on ${String(check.since)}`;
    case 'SCOPE':
      return `the consent ${id} of enterprise ${enterprise} for ${bank} does not include credit-detail (its scope: ${check.consent?.scope.join(', ') ?? ''})`;
  }
}

/**
 * CreditDetailAccess by the enterprise's consent on chain, with every decision in the audit log: a bank's query is
 * decided by the chaincode's `consent:check` (as of today, China date, for the bank's own MSP), then logged — allowed
 * or refused, a bank fishing without consent is exactly what the enterprise wants to see — and only after the entry is
 * stored is the grant returned (or the refusal thrown).
 */
export class ConsentedDetailAccess implements CreditDetailAccess {
  constructor(
    private readonly consents: ConsentService,
    private readonly log: AuditLog,
  ) {}

  async openDetail(caller: User, enterprise: string, purpose: string, what: string): Promise<DetailGrant> {
    if (caller.role !== 'bank') {
      throw new AccessDeniedError(
        `only a bank reads an enterprise's credit detail (with its consent), not a ${caller.role}`,
        {
          enterprise,
          role: caller.role,
        },
      );
    }
    if (purpose.trim() === '' || purpose.length > MAX_PURPOSE_LENGTH) {
      throw new RequestValidationError('query', [
        {
          pointer: '/purpose',
          message: `must say why the bank looks, in 1 to ${String(MAX_PURPOSE_LENGTH)} characters`,
        },
      ]);
    }
    const check = await this.consents.check(caller, enterprise, 'credit-detail');
    const entry = await this.log.append({
      bank: caller.org,
      user: caller.id,
      enterprise,
      purpose,
      what,
      consentId: check.consent?.consentId ?? null,
      outcome: check.allowed ? OUTCOME.ALLOWED : OUTCOME[check.reason],
    });
    if (!check.allowed) {
      throw new ConsentRequiredError(refusal(check, enterprise, caller.org), {
        enterprise,
        bank: caller.org,
        reason: check.reason,
        consentId: check.consent?.consentId ?? null,
        since: check.since,
        auditSeq: entry.seq,
        // In the problem details too, so a bank's system can tell "ask for consent" from "ask again for a renewal".
        extensions: {
          reason: check.reason,
          consentId: check.consent?.consentId ?? null,
          since: check.since,
          auditSeq: entry.seq,
        },
      });
    }
    return {
      consentId: check.consent.consentId,
      scope: check.consent.scope,
      expiresOn: check.consent.expiresOn,
      audit: { seq: entry.seq, entryHash: entry.entryHash },
    };
  }
}
