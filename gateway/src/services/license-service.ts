import {
  DocumentNotFoundError,
  buildLicenseId,
  canonicalize,
  documentHash,
  documentSigningBytes,
  parseLicenseId,
  signLicenseDocument,
  sm3Hex,
  type LicenseDocument,
} from '@certhub/certs-service';
import type { User } from '../auth/user';
import { ChaincodeError, type Ledger } from '../ledger';
import type { LicenseAmendRequest, LicenseIssueRequest } from '../schemas';
import { chinaDate } from './china-date';
import { AccessDeniedError, AmendmentRefusedError, IdempotencyConflictError, LicenseStateError } from './errors';
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

/** An amendment: the new version, and the license ID it supersedes (now withdrawn, 03). */
export interface AmendedLicense extends IssuedLicense {
  readonly previous: string;
}

export type StatusAction = 'suspend' | 'reinstate' | 'revoke' | 'cancel';

/** Statuses a license can be amended from (chaincode rules/status.ts: amend supersedes 01/02). */
const AMENDABLE: readonly string[] = ['01', '02'];
const MAX_VERSION = 999;

const conflict = (licenseId: string | undefined): IdempotencyConflictError =>
  new IdempotencyConflictError('this Idempotency-Key was used for a different request', { licenseId });

/** What an Idempotency-Key remembers: identifiers and hashes only, never the document (it may name a person). */
interface IdempotencyRecord {
  readonly requestHash: string;
  readonly licenseId: string;
  readonly docHash: string;
  readonly txId: string | null;
  /** An amendment's reason, which its anchoring transaction carries (it is the clerk's words, not personal data). */
  readonly reason?: string;
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
    return this.once(caller, idempotencyKey, request, (idempotency) => this.issueNew(caller, request, idempotency));
  }

  /**
   * Amends a license (DESIGN.md §1): a new version — same type, issuer and serial, version + 1, `previous` = this ID
   * — signed with the issuer's current key, stored and anchored by `license:amend`, which withdraws the previous
   * version (03). Idempotent like issuance: a retried amendment never makes two versions.
   */
  async amend(
    caller: User,
    licenseId: string,
    request: LicenseAmendRequest,
    idempotencyKey?: string,
  ): Promise<AmendedLicense> {
    const amended = await this.once(caller, idempotencyKey, { amend: licenseId, request }, (idempotency) =>
      this.amendNew(caller, licenseId, request, idempotency),
    );
    return { ...amended, previous: licenseId };
  }

  /**
   * Runs `fresh` once per Idempotency-Key: a repeat of the same request (`hashed`) returns the first result, and one
   * interrupted after the document was stored is completed rather than issued anew.
   */
  private once(
    caller: User,
    idempotencyKey: string | undefined,
    hashed: unknown,
    fresh: (idempotency: { slot: string; requestHash: string } | undefined) => Promise<IssuedLicense>,
  ): Promise<IssuedLicense> {
    if (idempotencyKey === undefined) return fresh(undefined);
    const slot = `${caller.id}\u0000${idempotencyKey}`;
    const requestHash = sm3Hex(canonicalize(hashed));
    // Concurrent repeats within this process wait for the first one instead of racing it.
    const running = this.#inFlight.get(slot);
    if (running !== undefined) {
      if (running.requestHash !== requestHash) return Promise.reject(conflict(undefined));
      return running.work;
    }
    const work = this.issueIdempotently(caller, slot, requestHash, fresh).finally(() => this.#inFlight.delete(slot));
    this.#inFlight.set(slot, { requestHash, work });
    return work;
  }

  private async issueIdempotently(
    caller: User,
    slot: string,
    requestHash: string,
    fresh: (idempotency: { slot: string; requestHash: string }) => Promise<IssuedLicense>,
  ): Promise<IssuedLicense> {
    const saved = await this.deps.stores.idempotency.get(slot);
    if (saved === undefined) return fresh({ slot, requestHash });
    const record = JSON.parse(saved) as IdempotencyRecord;
    if (record.requestHash !== requestHash) throw conflict(record.licenseId);
    const document = await this.deps.stores.documents.getDocument(record.licenseId);
    if (record.txId !== null)
      return { licenseId: record.licenseId, docHash: record.docHash, txId: record.txId, document };
    // Stored but maybe not anchored (the process stopped in between): anchor it now, or find the earlier anchor.
    const txId = await this.anchorOrFind(caller, document, record.docHash, record.reason);
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
    return this.storeAndAnchor(caller, document, idempotency);
  }

  private async amendNew(
    caller: User,
    licenseId: string,
    request: LicenseAmendRequest,
    idempotency: { slot: string; requestHash: string } | undefined,
  ): Promise<IssuedLicense> {
    const issuer = await issuerOfClerk(this.deps.registry, caller);
    const previous = await this.get(caller, licenseId);
    if (previous.issuer !== issuer.uscc) {
      throw new AccessDeniedError(`${licenseId} was issued by ${previous.issuer}; only its issuer's clerks amend it`, {
        licenseId,
        userId: caller.id,
      });
    }
    // Checked here as the chaincode will, so a doomed amendment is neither signed nor stored.
    if (!AMENDABLE.includes(previous.status)) {
      throw new LicenseStateError(
        `${licenseId} has status ${previous.status}` +
          (previous.supersededBy === null ? '' : ` (superseded by ${previous.supersededBy})`) +
          '; only a valid (01) or suspended (02) license can be amended',
        { licenseId, status: previous.status, supersededBy: previous.supersededBy },
      );
    }
    const id = parseLicenseId(licenseId);
    if (id.version >= MAX_VERSION) {
      throw new AmendmentRefusedError(`${licenseId} is at version ${id.version}, the last a license ID can carry`, {
        licenseId,
      });
    }
    const type = checkLicenseType(issuer, await this.deps.registry.licenseType(caller, previous.typeCode), {
      typeCode: previous.typeCode,
      holder: request.holder,
    });
    // An amendment changes the face, never whose license it is (that would be a new license or a transfer).
    if (this.deps.holderRefs.refFor(request.holder) !== previous.holderRef) {
      throw new AmendmentRefusedError('an amendment keeps the holder: the holder ID differs from the license’s', {
        licenseId,
      });
    }
    const now = this.clock();
    const signer = await this.deps.signers.signerFor(issuer, now);
    const version = id.version + 1;
    const nextId = buildLicenseId({ typeCode: type.code, issuerUscc: issuer.uscc, serial: id.serial, version });
    const { reason: _reason, ...face } = request;
    const unsigned = firstVersionDocument({
      licenseId: nextId,
      issuer,
      type,
      request: { ...face, typeCode: type.code },
      issuedOn: chinaDate(now),
    });
    const document = signLicenseDocument(
      { ...unsigned, version, previous: licenseId },
      { key: signer.key, certificate: signer.certificate, created: now },
    );
    return this.storeAndAnchor(caller, document, idempotency, request.reason);
  }

  /** Stores a signed document, then anchors it, keeping the idempotency record in step with both. */
  private async storeAndAnchor(
    caller: User,
    document: LicenseDocument,
    idempotency: { slot: string; requestHash: string } | undefined,
    reason?: string,
  ): Promise<IssuedLicense> {
    const { licenseId } = document;
    const docHash = documentHash(document);
    // Stored before anchoring: an anchor whose document is lost could never be shown or verified in full.
    await this.deps.stores.documents.putDocument(licenseId, document);
    const record: IdempotencyRecord = {
      requestHash: idempotency?.requestHash ?? '',
      licenseId,
      docHash,
      txId: null,
      ...(reason === undefined ? {} : { reason }),
    };
    if (idempotency !== undefined) await this.deps.stores.idempotency.put(idempotency.slot, JSON.stringify(record));
    const txId = await this.anchor(caller, document, reason);
    if (idempotency !== undefined) {
      await this.deps.stores.idempotency.put(idempotency.slot, JSON.stringify({ ...record, txId }));
    }
    return { licenseId, docHash, txId, document };
  }

  /** Anchors a first version (`license:anchor`), or a later one (`license:amend`, which withdraws `previous`). */
  private async anchor(caller: User, document: LicenseDocument, reason?: string): Promise<string> {
    const { submitted } = await submitJson(this.deps.ledger, this.deps.identities.forUser(caller), {
      contract: 'license',
      fn: document.previous === null ? 'anchor' : 'amend',
      args: [
        JSON.stringify({
          holderRef: this.deps.holderRefs.refFor(document.holder),
          signedAt: document.proof.created,
          signature: document.proof.signatureValue,
          certificate: document.proof.certificate,
          ...(reason === undefined ? {} : { reason }),
        }),
      ],
      // The document (with the holder's ID) travels as transient data: never written to a block.
      transient: { document: documentSigningBytes(document) },
    });
    return submitted.txId;
  }

  private async anchorOrFind(
    caller: User,
    document: LicenseDocument,
    docHash: string,
    reason: string | undefined,
  ): Promise<string> {
    try {
      return await this.anchor(caller, document, reason);
    } catch (error) {
      // Anchored before the process stopped: ALREADY_EXISTS, or for an amendment the previous version is withdrawn
      // by then (INVALID_STATE_TRANSITION, checked first). Either way the chain's anchor of this document answers.
      const anchoredBefore =
        error instanceof ChaincodeError &&
        (error.code === 'ALREADY_EXISTS' || error.code === 'INVALID_STATE_TRANSITION');
      if (!anchoredBefore) throw error;
      let anchored: LicenseAnchorRecord;
      try {
        anchored = await this.get(caller, document.licenseId);
      } catch (lookup) {
        if (lookup instanceof ChaincodeError && lookup.code === 'LICENSE_NOT_FOUND') throw error;
        throw lookup;
      }
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
