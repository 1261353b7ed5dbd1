import {
  DocumentNotFoundError,
  buildLicenseId,
  canonicalize,
  documentHash,
  documentSigningBytes,
  signLicenseDocument,
  sm3Hex,
  type LicenseDocument,
} from '@certhub/certs-service';
import type { User } from '../auth/user';
import { ChaincodeError, type Ledger } from '../ledger';
import type { LicenseIssueRequest } from '../schemas';
import { chinaDate } from './china-date';
import { AccessDeniedError, IdempotencyConflictError } from './errors';
import type { GatewayStores } from './gateway-stores';
import type { HolderRefs } from './holder-ref';
import type { LedgerIdentities } from './identities';
import type { IssuerSigners } from './issuer-signers';
import { checkLicenseType, firstVersionDocument, issuerOfClerk } from './license-documents';
import { evaluateJson, submitJson } from './ledger-json';
import type { LicenseAnchorRecord, LicenseHistoryRecord } from './ledger-records';
import type { RegistryService } from './registry-service';
import type { SerialAllocator } from './serial-allocator';

export interface IssuedLicense {
  readonly licenseId: string;
  readonly docHash: string;
  readonly txId: string;
  readonly document: LicenseDocument;
}

/** A license's provenance as the chaincode records it, oldest first. */
export interface LicenseHistory {
  readonly licenseId: string;
  readonly entries: LicenseHistoryRecord[];
}

export type StatusAction = 'suspend' | 'reinstate' | 'revoke' | 'cancel';

const conflict = (licenseId: string | undefined): IdempotencyConflictError =>
  new IdempotencyConflictError('this Idempotency-Key was used for a different request', { licenseId });

/** What an Idempotency-Key remembers: identifiers and hashes only, never the document (it may name a person). */
interface IdempotencyRecord {
  readonly requestHash: string;
  readonly licenseId: string;
  readonly docHash: string;
  readonly txId: string | null;
}

export interface LicenseServiceDeps {
  readonly ledger: Ledger;
  readonly identities: LedgerIdentities;
  readonly registry: RegistryService;
  readonly signers: IssuerSigners;
  readonly stores: Pick<GatewayStores, 'documents' | 'idempotency'>;
  readonly serials: SerialAllocator;
  readonly holderRefs: HolderRefs;
  /** Injectable so tests can pin the issue date. */
  readonly clock?: () => Date;
}

/**
 * Issuance and the life of a license (DESIGN.md §5): validate against the registry → build the ID → canonical
 * document → SM2 sign with the issuer's key → store the document → anchor. The chaincode re-checks access, the
 * signature and the certificate chain; the gateway checks first so a refusal is fast and names the cause.
 */
export class LicenseService {
  readonly #inFlight = new Map<string, { readonly requestHash: string; readonly work: Promise<IssuedLicense> }>();
  private readonly clock: () => Date;

  constructor(private readonly deps: LicenseServiceDeps) {
    this.clock = deps.clock ?? ((): Date => new Date());
  }

  /**
   * Issues one license for the caller's issuer. With an idempotency key, a repeat of the same request returns the
   * first result, and a request interrupted after the document was stored is completed rather than issued anew.
   */
  issue(caller: User, request: LicenseIssueRequest, idempotencyKey?: string): Promise<IssuedLicense> {
    if (idempotencyKey === undefined) return this.issueNew(caller, request, undefined);
    const slot = `${caller.id}\u0000${idempotencyKey}`;
    const requestHash = sm3Hex(canonicalize(request));
    // Concurrent repeats within this process wait for the first one instead of racing it.
    const running = this.#inFlight.get(slot);
    if (running !== undefined) {
      if (running.requestHash !== requestHash) return Promise.reject(conflict(undefined));
      return running.work;
    }
    const work = this.issueIdempotently(caller, request, slot, requestHash).finally(() => this.#inFlight.delete(slot));
    this.#inFlight.set(slot, { requestHash, work });
    return work;
  }

  private async issueIdempotently(
    caller: User,
    request: LicenseIssueRequest,
    slot: string,
    requestHash: string,
  ): Promise<IssuedLicense> {
    const saved = await this.deps.stores.idempotency.get(slot);
    if (saved === undefined) return this.issueNew(caller, request, { slot, requestHash });
    const record = JSON.parse(saved) as IdempotencyRecord;
    if (record.requestHash !== requestHash) throw conflict(record.licenseId);
    const document = await this.deps.stores.documents.getDocument(record.licenseId);
    if (record.txId !== null)
      return { licenseId: record.licenseId, docHash: record.docHash, txId: record.txId, document };
    // Stored but maybe not anchored (the process stopped in between): anchor it now, or find the earlier anchor.
    const txId = await this.anchorOrFind(caller, document, record.docHash);
    await this.deps.stores.idempotency.put(slot, JSON.stringify({ ...record, txId }));
    return { licenseId: record.licenseId, docHash: record.docHash, txId, document };
  }

  private async issueNew(
    caller: User,
    request: LicenseIssueRequest,
    idempotency: { slot: string; requestHash: string } | undefined,
  ): Promise<IssuedLicense> {
    const issuer = await issuerOfClerk(this.deps.registry, caller);
    const type = checkLicenseType(issuer, await this.deps.registry.licenseType(caller, request.typeCode), request);
    const now = this.clock();
    const signer = await this.deps.signers.signerFor(issuer, now);
    const issuedOn = chinaDate(now);
    const serial = await this.deps.serials.next(issuer.uscc, issuedOn);
    const licenseId = buildLicenseId({ typeCode: type.code, issuerUscc: issuer.uscc, serial, version: 1 });
    const document = signLicenseDocument(firstVersionDocument({ licenseId, issuer, type, request, issuedOn }), {
      key: signer.key,
      certificate: signer.certificate,
      created: now,
    });
    const docHash = documentHash(document);
    // Stored before anchoring: an anchor whose document is lost could never be shown or verified in full.
    await this.deps.stores.documents.putDocument(licenseId, document);
    const record: IdempotencyRecord = { requestHash: idempotency?.requestHash ?? '', licenseId, docHash, txId: null };
    if (idempotency !== undefined) await this.deps.stores.idempotency.put(idempotency.slot, JSON.stringify(record));
    const txId = await this.anchor(caller, document);
    if (idempotency !== undefined) {
      await this.deps.stores.idempotency.put(idempotency.slot, JSON.stringify({ ...record, txId }));
    }
    return { licenseId, docHash, txId, document };
  }

  private async anchor(caller: User, document: LicenseDocument): Promise<string> {
    const { submitted } = await submitJson(this.deps.ledger, this.deps.identities.forUser(caller), {
      contract: 'license',
      fn: 'anchor',
      args: [
        JSON.stringify({
          holderRef: this.deps.holderRefs.refFor(document.holder),
          signedAt: document.proof.created,
          signature: document.proof.signatureValue,
          certificate: document.proof.certificate,
        }),
      ],
      // The document (with the holder's ID) travels as transient data: never written to a block.
      transient: { document: documentSigningBytes(document) },
    });
    return submitted.txId;
  }

  private async anchorOrFind(caller: User, document: LicenseDocument, docHash: string): Promise<string> {
    try {
      return await this.anchor(caller, document);
    } catch (error) {
      if (!(error instanceof ChaincodeError && error.code === 'ALREADY_EXISTS')) throw error;
      const anchored = await this.get(caller, document.licenseId);
      if (anchored.docHash !== docHash) throw error;
      return anchored.issued.txId;
    }
  }

  async get(caller: User | undefined, licenseId: string): Promise<LicenseAnchorRecord> {
    const identity = this.deps.identities.forCaller(caller);
    return (await evaluateJson(this.deps.ledger, identity, 'license', 'get', [licenseId])) as LicenseAnchorRecord;
  }

  async history(caller: User | undefined, licenseId: string): Promise<LicenseHistory> {
    const identity = this.deps.identities.forCaller(caller);
    return (await evaluateJson(this.deps.ledger, identity, 'license', 'history', [licenseId])) as LicenseHistory;
  }

  /**
   * The signed document, for the issuer's clerks and the enterprise that holds it. Others (banks, verifiers) need the
   * holder's consent, which a later issue adds; until then they are refused rather than shown personal data.
   */
  async document(caller: User, licenseId: string): Promise<LicenseDocument> {
    const anchor = await this.get(caller, licenseId);
    const mayRead =
      (caller.role === 'clerk' && caller.issuer?.code === anchor.issuer) ||
      (caller.role === 'enterprise' && caller.enterprise !== null && caller.enterprise === anchor.holderRef);
    if (!mayRead) {
      throw new AccessDeniedError(`${caller.role} ${caller.id} may not read the document of ${licenseId}`, {
        licenseId,
        userId: caller.id,
      });
    }
    return this.storedDocument(licenseId);
  }

  /** The document this gateway stored for a license, or undefined if it holds none (issued elsewhere). */
  async findStoredDocument(licenseId: string): Promise<LicenseDocument | undefined> {
    try {
      return await this.deps.stores.documents.getDocument(licenseId);
    } catch (error) {
      if (error instanceof DocumentNotFoundError) return undefined;
      throw error;
    }
  }

  private storedDocument(licenseId: string): Promise<LicenseDocument> {
    return this.deps.stores.documents.getDocument(licenseId);
  }

  async changeStatus(
    caller: User,
    licenseId: string,
    action: StatusAction,
    reason: string,
  ): Promise<{ licenseId: string; status: string; txId: string }> {
    const { result, submitted } = await submitJson(this.deps.ledger, this.deps.identities.forUser(caller), {
      contract: 'license',
      fn: action,
      args: [licenseId, reason],
    });
    return { licenseId, status: (result as LicenseAnchorRecord).status, txId: submitted.txId };
  }
}
