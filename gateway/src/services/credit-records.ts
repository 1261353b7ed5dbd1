import { canonicalize, sm2Sign, sm3Hex, type CreditRecordStore, type FullCreditRecord } from '@certhub/certs-service';
import { addDays, creditSigningBytes, publicityWindow, type CreditRecord } from '@certhub/chaincode/dist/credit-model';
import type { User } from '../auth/user';
import { ChaincodeError, type Ledger } from '../ledger';
import { RequestValidationError, type CreditRecordRequest, type ValidationIssue } from '../schemas';
import { chinaDate } from './china-date';
import { CreditRecordStateError, CreditRepairTooEarlyError, CreditSourceNotRegisteredError } from './credit-errors';
import { AccessDeniedError, IdempotencyConflictError } from './errors';
import type { StringSpace } from './gateway-stores';
import type { LedgerIdentities } from './identities';
import type { IssuerSigners } from './issuer-signers';
import { evaluateJson, submitJson } from './ledger-json';
import type { RegistryService } from './registry-service';

/** 201 of POST /v1/credit-records. */
export interface CreatedCreditRecord {
  readonly recordId: string;
  readonly recordHash: string;
  readonly txId: string;
  readonly publicUntil: string | null;
}

/** 200 of POST /v1/credit-records/{id}/repair and /withdraw. */
export interface CreditRecordChange {
  readonly recordId: string;
  readonly status: CreditRecord['status'];
  readonly effective: string;
  readonly txId: string;
}

export type CreditChangeAction = 'repair' | 'withdraw';

/** What an Idempotency-Key remembers: hashes and identifiers only (the record itself is sealed in the store). */
interface IdempotencyRecord {
  readonly requestHash: string;
  readonly recordHash: string;
  readonly created: CreatedCreditRecord | null;
}

export interface CreditRecordsDeps {
  readonly ledger: Ledger;
  readonly identities: LedgerIdentities;
  readonly registry: RegistryService;
  readonly signers: IssuerSigners;
  readonly stores: { readonly creditRecords: CreditRecordStore; readonly idempotency: StringSpace };
  /** Injectable so tests can pin "today". */
  readonly clock?: () => Date;
}

const conflict = (recordHash: string | undefined): IdempotencyConflictError =>
  new IdempotencyConflictError('this Idempotency-Key was used for a different request', { recordHash });

/** The chain's optional `validUntil`: a licence's own end, a listing's or rating's term; a penalty's follows the law. */
function chainValidUntil(request: CreditRecordRequest): string | undefined {
  if (request.category === 'ADMIN_LICENSE') return (request.content as { validUntil: string }).validUntil;
  return request.validUntil;
}

/**
 * The full record as the source signs it: the request as sent (extra fields kept), with a penalty's publicity end
 * (公示截止期) set to the national maximum when the source left it out. Checks what the schema cannot: dates against
 * today and each other, and a stated publicity end against the law. @throws RequestValidationError
 */
export function buildFullCreditRecord(request: CreditRecordRequest, today: string): FullCreditRecord {
  const issues: ValidationIssue[] = [];
  if (request.decisionDate > today) {
    issues.push({ pointer: '/decisionDate', message: `must not be after today (${today}, China time)` });
  }
  let record = request as unknown as FullCreditRecord;
  const until = chainValidUntil(request);
  if (request.category === 'ADMIN_LICENSE' && until !== undefined && until < request.decisionDate) {
    issues.push({
      pointer: '/content/validUntil',
      message: `must not be before decisionDate (${request.decisionDate})`,
    });
  }
  if (request.category === 'ADMIN_PENALTY') {
    const content = request.content as { validUntil: string; publicityEndDate?: string };
    const domains = request.domains ?? ['OTHER'];
    const window = publicityWindow('ADMIN_PENALTY', request.severity, domains, request.decisionDate, null);
    const end = window.publicUntil ?? '';
    if (content.validUntil < request.decisionDate) {
      issues.push({
        pointer: '/content/validUntil',
        message: `must not be before decisionDate (${request.decisionDate})`,
      });
    }
    if (content.publicityEndDate !== undefined && content.publicityEndDate !== end) {
      issues.push({
        pointer: '/content/publicityEndDate',
        message: `must be ${end}: a ${request.severity} penalty decided on ${request.decisionDate}${domains.length > 1 || domains[0] !== 'OTHER' ? ` (${domains.join(', ')})` : ''} is public until then`,
      });
    }
    record = { ...record, content: { ...(request.content as FullCreditRecord), publicityEndDate: end } };
  }
  if (issues.length > 0) throw new RequestValidationError('body', issues);
  return record;
}

/**
 * Writing credit records (issue 6): a credit source, for its own authority only, builds the full record, stores it
 * SM4-sealed off chain, signs its SM3 (bound to the facts the chain keeps, `creditSigningBytes`) with the authority's
 * SM2 key and anchors it with its own Fabric identity; later it may record a repair (after the minimum publicity
 * period) or a withdrawal. The chaincode re-checks access, signature and periods; the gateway checks first so a
 * refusal is fast and names the cause.
 */
export class CreditRecords {
  readonly #inFlight = new Map<string, { readonly requestHash: string; readonly work: Promise<CreatedCreditRecord> }>();
  private readonly clock: () => Date;

  constructor(private readonly deps: CreditRecordsDeps) {
    this.clock = deps.clock ?? ((): Date => new Date());
  }

  /**
   * Anchors a record. With an idempotency key a repeat of the same request returns the first result, and one
   * interrupted after the record was stored is completed rather than anchored anew.
   */
  create(caller: User, request: CreditRecordRequest, idempotencyKey?: string): Promise<CreatedCreditRecord> {
    if (idempotencyKey === undefined) return this.createNew(caller, request, undefined);
    const slot = `credit\u0000${caller.id}\u0000${idempotencyKey}`;
    const requestHash = sm3Hex(canonicalize(request));
    const running = this.#inFlight.get(slot);
    if (running !== undefined) {
      if (running.requestHash !== requestHash) return Promise.reject(conflict(undefined));
      return running.work;
    }
    const work = this.createIdempotently(caller, request, slot, requestHash).finally(() => this.#inFlight.delete(slot));
    this.#inFlight.set(slot, { requestHash, work });
    return work;
  }

  private async createIdempotently(
    caller: User,
    request: CreditRecordRequest,
    slot: string,
    requestHash: string,
  ): Promise<CreatedCreditRecord> {
    const saved = await this.deps.stores.idempotency.get(slot);
    if (saved === undefined) return this.createNew(caller, request, { slot, requestHash });
    const remembered = JSON.parse(saved) as IdempotencyRecord;
    if (remembered.requestHash !== requestHash) throw conflict(remembered.recordHash);
    if (remembered.created !== null) return remembered.created;
    // Stored but maybe not anchored (the process stopped in between): anchor it now, or find the earlier anchor.
    // The sealed record must still be there: it is what the anchored hash stands for.
    await this.deps.stores.creditRecords.getRecord(remembered.recordHash);
    const created = await this.anchor(caller, request, remembered.recordHash, true);
    await this.deps.stores.idempotency.put(slot, JSON.stringify({ ...remembered, created }));
    return created;
  }

  private async createNew(
    caller: User,
    request: CreditRecordRequest,
    idempotency: { slot: string; requestHash: string } | undefined,
  ): Promise<CreatedCreditRecord> {
    this.assertOwnAuthority(caller, request.authority.code);
    const record = buildFullCreditRecord(request, chinaDate(this.clock()));
    // Stored before anchoring: an anchor whose full record is lost could never be shown in detail or checked.
    const recordHash = await this.deps.stores.creditRecords.putRecord(record);
    const remembered: IdempotencyRecord = { requestHash: idempotency?.requestHash ?? '', recordHash, created: null };
    if (idempotency !== undefined) await this.deps.stores.idempotency.put(idempotency.slot, JSON.stringify(remembered));
    const created = await this.anchor(caller, request, recordHash);
    if (idempotency !== undefined) {
      await this.deps.stores.idempotency.put(idempotency.slot, JSON.stringify({ ...remembered, created }));
    }
    return created;
  }

  private assertOwnAuthority(caller: User, authority: string): void {
    if (caller.authority === null || caller.authority.code !== authority) {
      throw new AccessDeniedError(
        `${caller.id} writes credit records for ${caller.authority?.code ?? 'no authority'}, not for ${authority}`,
        { userId: caller.id, authority },
      );
    }
  }

  /**
   * Signs and anchors a stored record. When completing an interrupted idempotent request (`resume`), a record already
   * anchored answers with that first anchor; otherwise the chain's ALREADY_EXISTS (409, naming it) stands.
   */
  private async anchor(
    caller: User,
    request: CreditRecordRequest,
    recordHash: string,
    resume = false,
  ): Promise<CreatedCreditRecord> {
    const source = request.authority.code;
    const issuer = await this.deps.registry.issuer(caller, source);
    if (issuer === undefined) {
      throw new CreditSourceNotRegisteredError(`credit source ${source} is not registered on the ledger`, { source });
    }
    const signer = await this.deps.signers.signerFor(issuer, this.clock());
    const header = {
      recordHash,
      subject: request.subject,
      category: request.category,
      severity: request.severity,
      decisionDate: request.decisionDate,
      source,
    };
    const validUntil = chainValidUntil(request);
    const anchorRequest = {
      ...header,
      signature: Buffer.from(sm2Sign(signer.key, creditSigningBytes(header))).toString('base64'),
      certificate: signer.certificate.pem,
      ...(request.domains === undefined ? {} : { domains: request.domains }),
      ...(request.rating === undefined ? {} : { rating: request.rating }),
      ...(validUntil === undefined ? {} : { validUntil }),
    };
    try {
      const { result, submitted } = await submitJson(this.deps.ledger, this.deps.identities.forUser(caller), {
        contract: 'credit',
        fn: 'anchorRecord',
        args: [JSON.stringify(anchorRequest)],
      });
      const anchored = result as CreditRecord;
      return { recordId: anchored.recordId, recordHash, txId: submitted.txId, publicUntil: anchored.publicUntil };
    } catch (error) {
      const anchoredBefore =
        resume &&
        error instanceof ChaincodeError &&
        error.code === 'ALREADY_EXISTS' &&
        error.context['recordHash'] === recordHash;
      if (!anchoredBefore) throw error;
      const first = (await evaluateJson(this.deps.ledger, this.deps.identities.forUser(caller), 'credit', 'getByHash', [
        recordHash,
      ])) as CreditRecord;
      return { recordId: first.recordId, recordHash, txId: first.anchored.txId, publicUntil: first.publicUntil };
    }
  }

  /** The record's anchor as the chain holds it now. */
  async get(caller: User | undefined, recordId: string): Promise<CreditRecord> {
    const identity = this.deps.identities.forCaller(caller);
    return (await evaluateJson(this.deps.ledger, identity, 'credit', 'get', [recordId])) as CreditRecord;
  }

  /** Repair (信用修复: publication ends) or withdrawal (decision annulled) by the record's own source. */
  async change(
    caller: User,
    recordId: string,
    action: CreditChangeAction,
    reason: string,
  ): Promise<CreditRecordChange> {
    const identity = this.deps.identities.forUser(caller);
    const record = await this.get(caller, recordId);
    this.assertOwnAuthority(caller, record.source);
    if (record.status !== 'ACTIVE') {
      throw new CreditRecordStateError(`cannot ${action} credit record ${recordId}: it is ${record.status}`, {
        recordId,
        status: record.status,
        action,
      });
    }
    if (action === 'repair' && chinaDate(this.clock()) <= record.minimumUntil) throw tooEarly(record);
    try {
      const { result, submitted } = await submitJson(this.deps.ledger, identity, {
        contract: 'credit',
        fn: action,
        args: [recordId, reason],
      });
      const changed = result as CreditRecord;
      return { recordId, status: changed.status, effective: changed.lastChange.effective, txId: submitted.txId };
    } catch (error) {
      // The chain dates by its own transaction time; if it still finds the minimum running, say so the same way.
      if (action === 'repair' && error instanceof ChaincodeError && error.code === 'INVALID_STATE_TRANSITION') {
        if (error.context['status'] === 'ACTIVE') throw tooEarly(record);
      }
      throw error;
    }
  }
}

function tooEarly(record: CreditRecord): CreditRepairTooEarlyError {
  return new CreditRepairTooEarlyError(record.recordId, record.minimumUntil, addDays(record.minimumUntil, 1));
}
