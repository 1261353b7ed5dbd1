import { sm2Sign } from '@certhub/certs-service';
import {
  consentSigningBytes,
  consentStateOn,
  registrationRegionCandidates,
  type Consent as ConsentRecord,
  type ConsentDecision,
  type ConsentScope,
  type ConsentState,
} from '@certhub/chaincode/dist/consent-model';
import type { User } from '../auth/user';
import { ChaincodeError, type Ledger } from '../ledger';
import { RequestValidationError, type ConsentRequest } from '../schemas';
import { chinaDate } from './china-date';
import type { EnterpriseSigners } from './enterprise-signers';
import { AccessDeniedError, ConsentNotFoundError } from './errors';
import type { LedgerIdentities } from './identities';
import { evaluateJson, submitJson } from './ledger-json';
import type { PageRecord, RegionRecord, StampRecord } from './ledger-records';
import type { RegistryService } from './registry-service';

/** A consent as the API shows it: the chain's record with its state as of a China date. */
export interface ConsentView {
  readonly id: string;
  readonly enterprise: string;
  readonly region: string;
  readonly bank: string;
  readonly scope: readonly ConsentScope[];
  readonly expiresOn: string;
  readonly grantedOn: string;
  readonly state: ConsentState;
  readonly basis: 'SIGNED' | 'RECORDED';
  readonly signedAt: string | null;
  readonly certificateFingerprint: string | null;
  readonly recordedBy: { readonly region: string; readonly mspId: string; readonly actor: string } | null;
  readonly revokedOn: string | null;
  readonly revocationReason: string | null;
  readonly granted: StampRecord;
}

export interface ConsentChanged extends ConsentView {
  readonly txId: string;
}

export interface ConsentList {
  readonly enterprise: string;
  readonly onDate: string;
  readonly consents: ConsentView[];
}

/** The chain's answer to `consent:check`. */
export type ConsentCheck = ConsentDecision & { readonly onDate: string };

export interface ConsentServiceDeps {
  readonly ledger: Ledger;
  readonly identities: LedgerIdentities;
  readonly registry: RegistryService;
  readonly signers: EnterpriseSigners;
  /** Injectable so tests can pin today. */
  readonly clock?: () => Date;
}

const PAGE_SIZE = '100';

export function consentView(record: ConsentRecord, onDate: string): ConsentView {
  return {
    id: record.consentId,
    enterprise: record.enterprise,
    region: record.region,
    bank: record.bank,
    scope: record.scope,
    expiresOn: record.expiresOn,
    grantedOn: record.grantedOn,
    state: consentStateOn(record, onDate),
    basis: record.signed === null ? 'RECORDED' : 'SIGNED',
    signedAt: record.signed?.signedAt ?? null,
    certificateFingerprint: record.signed?.certificateFingerprint ?? null,
    recordedBy: record.recordedBy,
    revokedOn: record.revokedOn,
    revocationReason: record.revocationReason,
    granted: record.granted,
  };
}

/**
 * Consents (issue 6) between the API and the `consent` contract. The gateway checks who may act first, so a refusal is
 * fast and names the rule, and signs an enterprise user's consent with the enterprise's key only for that user's own
 * enterprise; the chaincode re-checks everything from the submitter's certificate.
 */
export class ConsentService {
  private readonly clock: () => Date;

  constructor(private readonly deps: ConsentServiceDeps) {
    this.clock = deps.clock ?? ((): Date => new Date());
  }

  /** Today in China, the calendar consents are dated in. */
  today(): string {
    return chinaDate(this.clock());
  }

  /**
   * The enterprise's registration region (its registration authority's region): the first region on the hub among the
   * USCC's administrative division code, its prefecture and its province, as the chaincode decides it.
   */
  async registrationRegion(uscc: string): Promise<RegionRecord | undefined> {
    for (const code of registrationRegionCandidates(uscc)) {
      const region = await this.deps.registry.region(undefined, code);
      if (region !== undefined) return region;
    }
    return undefined;
  }

  /** Whether `caller` is the enterprise itself or its registration authority (the admin of its registration region). */
  async isEnterpriseOrAuthority(caller: User, uscc: string): Promise<boolean> {
    if (caller.role === 'enterprise') return caller.enterprise === uscc;
    if (caller.role !== 'region-admin' || caller.region === null) return false;
    const region = await this.registrationRegion(uscc);
    return region !== undefined && region.code === caller.region && region.mspId === caller.org;
  }

  async grant(caller: User, uscc: string, request: ConsentRequest): Promise<ConsentChanged> {
    const now = this.clock();
    const today = chinaDate(now);
    if (request.expiresOn < today) {
      throw new RequestValidationError('body', [
        { pointer: '/expiresOn', message: `must be today (${today}, China) or later` },
      ]);
    }
    const terms = {
      enterprise: uscc,
      bank: request.bank,
      scope: [...new Set(request.scope)].sort(),
      expiresOn: request.expiresOn,
    };
    let signature: { signedAt: string; signature: string; certificate: string } | null;
    if (caller.role === 'enterprise') {
      // The gateway signs with an enterprise's key only for that enterprise's own users.
      if (caller.enterprise !== uscc) {
        throw new AccessDeniedError(`enterprise user ${caller.id} acts for ${String(caller.enterprise)}, not ${uscc}`, {
          enterprise: uscc,
        });
      }
      if (request.signature !== undefined && request.signedAt !== undefined && request.certificate !== undefined) {
        signature = { signedAt: request.signedAt, signature: request.signature, certificate: request.certificate };
      } else {
        const signer = await this.deps.signers.signerFor(uscc, now);
        const signedAt = now.toISOString();
        const bytes = consentSigningBytes({ ...terms, signedAt });
        signature = {
          signedAt,
          signature: Buffer.from(sm2Sign(signer.key, bytes)).toString('base64'),
          certificate: signer.certificate.pem,
        };
      }
    } else {
      if (request.signature !== undefined) {
        throw new AccessDeniedError(
          'a registration authority records consents in its own name; a signed consent is submitted by the enterprise',
          { enterprise: uscc },
        );
      }
      await this.assertAuthority(caller, uscc, 'record a consent for');
      signature = null;
    }
    const { result, submitted } = await submitJson(this.deps.ledger, this.deps.identities.forUser(caller), {
      contract: 'consent',
      fn: 'grant',
      args: [JSON.stringify({ ...terms, ...signature })],
    });
    return { ...consentView(result as ConsentRecord, today), txId: submitted.txId };
  }

  async revoke(caller: User, uscc: string, consentId: string, reason: string): Promise<ConsentChanged> {
    const identity = this.deps.identities.forUser(caller);
    if (caller.role === 'enterprise' && caller.enterprise !== uscc) {
      throw new AccessDeniedError(`enterprise user ${caller.id} acts for ${String(caller.enterprise)}, not ${uscc}`, {
        enterprise: uscc,
      });
    }
    if (caller.role === 'region-admin') await this.assertAuthority(caller, uscc, 'revoke a consent of');
    // A consent is addressed under its enterprise; another enterprise's ID is simply not found there (the chain does
    // not let this caller read it at all).
    const missing = (): ConsentNotFoundError =>
      new ConsentNotFoundError(`enterprise ${uscc} has no consent ${consentId}`, { enterprise: uscc, consentId });
    let current: ConsentRecord;
    try {
      current = (await evaluateJson(this.deps.ledger, identity, 'consent', 'get', [consentId])) as ConsentRecord;
    } catch (error) {
      if (error instanceof ChaincodeError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND'))
        throw missing();
      throw error;
    }
    if (current.enterprise !== uscc) throw missing();
    const { result, submitted } = await submitJson(this.deps.ledger, identity, {
      contract: 'consent',
      fn: 'revoke',
      args: [consentId, reason],
    });
    return { ...consentView(result as ConsentRecord, this.today()), txId: submitted.txId };
  }

  /** The enterprise and its authority see all its consents; a bank those naming it. */
  async list(caller: User, uscc: string): Promise<ConsentList> {
    let bank: string;
    if (caller.role === 'bank') bank = caller.org;
    else if (await this.isEnterpriseOrAuthority(caller, uscc)) bank = '';
    else
      throw new AccessDeniedError(`${caller.role} ${caller.id} may not list the consents of ${uscc}`, {
        enterprise: uscc,
      });
    const identity = this.deps.identities.forUser(caller);
    const records: ConsentRecord[] = [];
    let bookmark = '';
    do {
      const page = (await evaluateJson(this.deps.ledger, identity, 'consent', 'listByEnterprise', [
        uscc,
        bank,
        PAGE_SIZE,
        bookmark,
      ])) as PageRecord<ConsentRecord>;
      records.push(...page.items);
      bookmark = page.items.length === 0 ? '' : page.bookmark;
    } while (bookmark !== '');
    const today = this.today();
    return { enterprise: uscc, onDate: today, consents: records.map((r) => consentView(r, today)) };
  }

  /** The chain's decision whether `caller` (a bank) may read `scope` of `uscc` today, with the reason if not. */
  async check(caller: User, uscc: string, scope: ConsentScope): Promise<ConsentCheck> {
    const today = this.today();
    const answer = (await evaluateJson(this.deps.ledger, this.deps.identities.forUser(caller), 'consent', 'check', [
      uscc,
      caller.org,
      scope,
      today,
    ])) as ConsentCheck;
    return answer;
  }

  private async assertAuthority(caller: User, uscc: string, action: string): Promise<void> {
    if (!(await this.isEnterpriseOrAuthority(caller, uscc)) || caller.role !== 'region-admin') {
      const region = await this.registrationRegion(uscc);
      throw new AccessDeniedError(
        `only the registration authority of ${uscc} (region-admin of ${region?.code ?? 'its registration region'}) may ${action} it`,
        { enterprise: uscc, region: region?.code ?? null },
      );
    }
  }
}
