// Context is imported as a value: @Transaction reads its design-time type to skip it as a parameter.
import { Context, Info, Transaction } from 'fabric-contract-api';
import { parseLicenseId, verifyMerkleProof, type MerkleProof } from '@certhub/certs-service';
import { ChaincodeRuleError, alreadyExists, invalidArgument, notFound } from '../errors';
import type { BatchAnchor, LicenseAction, LicenseAnchor, LicenseChange } from '../model/license';
import type { Issuer, LicenseType, Region } from '../model/registry';
import {
  assertHolderRef,
  batchSigningBytes,
  readDocument,
  readSignedAt,
  readSignature,
  readSignedRequest,
  type DocumentFacts,
} from '../model/anchor-request';
import { assertClerkOf, assertClerkOrRegionAdmin, callerOf, type Caller } from '../rules/access';
import {
  HEX_256,
  MAX_ARGUMENT_BYTES,
  assertSize,
  optionalString,
  parsePageSize,
  requireInteger,
  requireString,
  MAX_RECORDED_REASON_BYTES,
} from '../rules/input';
import { LicenseStatus, assertCanSucceed, nextStatus } from '../rules/status';
import { chinaDateOf } from '../rules/china-date';
import { ObjectType } from '../state/keys';
import { pageIndex, readRecord, writeIndex, writeRecord } from '../state/repository';
import { fromBytes, parseJsonArgument, readRequest, serialize } from '../serialization';
import { verifyIssuerSignature } from '../crypto/issuer-signature';
import { CertHubContract, emit, requireIssuer, requireRegion, stampOf, txTime } from './certhub-contract';

const BATCH_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_BATCH_SIZE = 100_000;

/**
 * E-license anchors: issue (one signed document), batch (one signed Merkle root), status changes by the national
 * transition table, amend/renew (a new version superseding the previous), transfer-in, and reads with history.
 */
@Info({ title: 'license', description: 'E-license anchors, status and history' })
export class LicenseContract extends CertHubContract {
  constructor() {
    super('license');
  }

  /** Anchors a first version. Transient `document`: canonical bytes; request: {holderRef, signature, certificate}. */
  @Transaction()
  async anchor(ctx: Context, requestJson: string): Promise<string> {
    const facts = readDocument(ctx);
    if (facts.version !== 1 || facts.previous !== null) {
      throw invalidArgument('A new license is version 1 with no previous; use amend or renew for later versions', {
        field: 'version',
      });
    }
    const anchor = await this.anchorSigned(ctx, facts, requestJson, 'issue', null);
    return serialize(anchor);
  }

  /** A license moved from another province: anchored like a new one, linked to the original ID there. */
  @Transaction()
  async transferIn(ctx: Context, requestJson: string): Promise<string> {
    const facts = readDocument(ctx);
    const { request } = readSignedRequest(requestJson);
    const original = requireString(request, 'originalLicenseId');
    const parsedOriginal = parseLicenseId(original);
    if (parsedOriginal.issuerUscc === facts.issuer) {
      throw invalidArgument('A transfer-in links a license of another issuer', { field: 'originalLicenseId' });
    }
    const anchor = await this.anchorSigned(ctx, facts, requestJson, 'transfer-in', original);
    return serialize(anchor);
  }

  /**
   * A new version of an existing license; the previous version becomes 03 (withdrawn) with supersededBy set. The
   * request may carry the clerk's `reason`, recorded with the previous version's supersede entry.
   */
  @Transaction()
  async amend(ctx: Context, requestJson: string): Promise<string> {
    return this.succeed(ctx, requestJson, 'amend');
  }

  /** Like amend, also allowed after expiry. */
  @Transaction()
  async renew(ctx: Context, requestJson: string): Promise<string> {
    return this.succeed(ctx, requestJson, 'renew');
  }

  /** Anchors a batch: request {batchId, root (hex SM3 Merkle root), count, signature, certificate}, signed by the issuer. */
  @Transaction()
  async anchorBatch(ctx: Context, requestJson: string): Promise<string> {
    const caller = callerOf(ctx);
    const request = readRequest(requestJson);
    const { signature, certificatePem } = readSignature(request);
    const batchId = requireString(request, 'batchId', BATCH_ID);
    const root = requireString(request, 'root', HEX_256);
    const count = requireInteger(request, 'count', 1, MAX_BATCH_SIZE);
    const issuerCode = requireString(request, 'issuer');
    const issuer = await requireIssuer(ctx, issuerCode);
    const region = await requireRegion(ctx, issuer.region);
    assertClerkOf(caller, issuer, region, 'anchor a batch');
    if ((await readRecord<BatchAnchor>(ctx, ObjectType.BATCH, [batchId])) !== undefined)
      throw alreadyExists('batch', batchId);
    const signer = await verifyIssuerSignature({
      issuer,
      region,
      certificatePem,
      message: batchSigningBytes({ batchId, issuer: issuer.uscc, root, count }),
      signature,
      at: txTime(ctx),
    });
    const batch: BatchAnchor = {
      batchId,
      issuer: issuer.uscc,
      region: region.code,
      root,
      count,
      signature: Buffer.from(signature).toString('base64'),
      signerFingerprint: signer.fingerprint,
      anchored: stampOf(ctx, caller),
    };
    await writeRecord(ctx, ObjectType.BATCH, [batchId], batch);
    emit(ctx, 'BatchAnchored', { batchId, issuer: issuer.uscc, root, count });
    return serialize(batch);
  }

  /**
   * Records one member of an anchored batch as its own license so its status can change later. Transient `document`;
   * request {batchId, holderRef, proof: {leafIndex, leafCount, path}}: the document's SM3 must reach the batch root.
   */
  @Transaction()
  async recordBatchMember(ctx: Context, requestJson: string): Promise<string> {
    const caller = callerOf(ctx);
    const facts = readDocument(ctx);
    const request = readRequest(requestJson);
    const batch = await this.requireBatch(ctx, requireString(request, 'batchId', BATCH_ID));
    if (facts.issuer !== batch.issuer)
      throw invalidArgument('The document is not from the batch issuer', { field: 'issuer.code' });
    const holderRef = requireString(request, 'holderRef');
    const signedAt = readSignedAt(request);
    assertSignedBeforeAnchoring(ctx, signedAt);
    await this.checkAnchorable(ctx, caller, facts, holderRef, 'batch-member');
    assertIncluded(facts.docHash, readProof(request), batch);
    const anchor = await this.writeAnchor(ctx, caller, facts, {
      holderRef,
      action: 'batch-member',
      transferredFrom: null,
      batchId: batch.batchId,
      signerFingerprint: batch.signerFingerprint,
      signedAt,
    });
    return serialize(anchor);
  }

  /** Whether a document hash is in an anchored batch, by its inclusion proof (JSON {leafIndex, leafCount, path}). */
  @Transaction(false)
  async verifyBatchInclusion(ctx: Context, batchId: string, docHash: string, proofJson: string): Promise<string> {
    const batch = await this.requireBatch(ctx, batchId);
    if (!HEX_256.test(docHash)) throw invalidArgument('docHash must be 64 lower-case hex digits', { field: 'docHash' });
    assertSize('proof', proofJson, MAX_ARGUMENT_BYTES);
    const proof = readProof({ proof: parseJsonArgument('proof', proofJson) });
    let included = true;
    try {
      assertIncluded(docHash, proof, batch);
    } catch (error) {
      if (!(error instanceof ChaincodeRuleError)) throw error;
      included = false;
    }
    return serialize({ batchId, docHash, root: batch.root, included });
  }

  @Transaction()
  async suspend(ctx: Context, licenseId: string, reason: string): Promise<string> {
    return this.transition(ctx, licenseId, 'suspend', reason);
  }

  @Transaction()
  async reinstate(ctx: Context, licenseId: string, reason: string): Promise<string> {
    return this.transition(ctx, licenseId, 'reinstate', reason);
  }

  @Transaction()
  async revoke(ctx: Context, licenseId: string, reason: string): Promise<string> {
    return this.transition(ctx, licenseId, 'revoke', reason);
  }

  @Transaction()
  async cancel(ctx: Context, licenseId: string, reason: string): Promise<string> {
    return this.transition(ctx, licenseId, 'cancel', reason);
  }

  /** Marks a license expired; only once its validUntil has passed at tx time. */
  @Transaction()
  async expire(ctx: Context, licenseId: string): Promise<string> {
    return this.transition(ctx, licenseId, 'expire', '');
  }

  @Transaction(false)
  async get(ctx: Context, licenseId: string): Promise<string> {
    return serialize(await this.requireLicense(ctx, licenseId));
  }

  @Transaction(false)
  async getBatch(ctx: Context, batchId: string): Promise<string> {
    return serialize(await this.requireBatch(ctx, batchId));
  }

  private async requireBatch(ctx: Context, batchId: string): Promise<BatchAnchor> {
    const batch = await readRecord<BatchAnchor>(ctx, ObjectType.BATCH, [batchId]);
    if (batch === undefined) throw notFound('batch', batchId);
    return batch;
  }

  /** Every change to a license, oldest first: {txId, timestamp, mspId, actor, action, status, docHash, reason}. */
  @Transaction(false)
  async history(ctx: Context, licenseId: string): Promise<string> {
    const key = ctx.stub.createCompositeKey(ObjectType.LICENSE, [licenseId]);
    const entries: LicenseChange[] = [];
    for await (const modification of ctx.stub.getHistoryForKey(key)) {
      if (modification.isDelete) continue;
      entries.push((fromBytes(modification.value) as LicenseAnchor).lastChange);
    }
    if (entries.length === 0) throw notFound('license', licenseId);
    // Fabric returns history newest first; sort by tx time (stable) to give provenance in order.
    entries.reverse();
    return serialize({ licenseId, entries });
  }

  @Transaction(false)
  async listByHolder(ctx: Context, holderRef: string, pageSize: string, bookmark: string): Promise<string> {
    return this.page(ctx, ObjectType.HOLDER_LICENSE, holderRef, pageSize, bookmark);
  }

  @Transaction(false)
  async listByIssuer(ctx: Context, issuer: string, pageSize: string, bookmark: string): Promise<string> {
    return this.page(ctx, ObjectType.ISSUER_LICENSE, issuer, pageSize, bookmark);
  }

  private async page(ctx: Context, index: string, owner: string, pageSize: string, bookmark: string): Promise<string> {
    const page = await pageIndex(ctx, index, [owner], parsePageSize(pageSize), bookmark, (id) =>
      readRecord<LicenseAnchor>(ctx, ObjectType.LICENSE, [id]),
    );
    return serialize(page);
  }

  private async requireLicense(ctx: Context, licenseId: string): Promise<LicenseAnchor> {
    const anchor = await readRecord<LicenseAnchor>(ctx, ObjectType.LICENSE, [licenseId]);
    if (anchor === undefined) throw notFound('license', licenseId);
    return anchor;
  }

  /** The checks every anchor passes, then the signature check and the write. */
  private async anchorSigned(
    ctx: Context,
    facts: DocumentFacts,
    requestJson: string,
    action: LicenseAction,
    transferredFrom: string | null,
  ): Promise<LicenseAnchor> {
    const caller = callerOf(ctx);
    const { holderRef, signedAt, signature, certificatePem } = readSignedRequest(requestJson);
    assertSignedBeforeAnchoring(ctx, signedAt);
    const { issuer, region } = await this.checkAnchorable(ctx, caller, facts, holderRef, action);
    const signer = await verifyIssuerSignature({
      issuer,
      region,
      certificatePem,
      message: facts.bytes,
      signature,
      at: txTime(ctx),
    });
    return this.writeAnchor(ctx, caller, facts, {
      holderRef,
      action,
      transferredFrom,
      batchId: null,
      signerFingerprint: signer.fingerprint,
      signedAt,
    });
  }

  private async checkAnchorable(
    ctx: Context,
    caller: Caller,
    facts: DocumentFacts,
    holderRef: string,
    action: LicenseAction,
  ): Promise<{ issuer: Issuer; region: Region }> {
    const { issuer, region } = await this.authoriseClerk(ctx, caller, facts.issuer, action);
    if (facts.region !== issuer.region)
      throw invalidArgument("issuer.region is not the issuer's registered region", { field: 'issuer.region' });
    const type = await readRecord<LicenseType>(ctx, ObjectType.LICENSE_TYPE, [facts.typeCode]);
    if (type === undefined) throw notFound('license type', facts.typeCode);
    if (!issuer.licenseTypes.includes(type.code)) {
      throw new ChaincodeRuleError(
        'ISSUER_NOT_AUTHORISED',
        `Issuer ${issuer.uscc} is not authorised for type ${type.code}`,
        {
          issuer: issuer.uscc,
          typeCode: type.code,
        },
      );
    }
    if (facts.holderIdType !== type.holderIdType) {
      throw invalidArgument(`Type ${type.code} takes holder ID type ${type.holderIdType}`, { field: 'holder.idType' });
    }
    assertHolderRef(facts, holderRef);
    if ((await readRecord<LicenseAnchor>(ctx, ObjectType.LICENSE, [facts.licenseId])) !== undefined) {
      throw alreadyExists('license', facts.licenseId);
    }
    return { issuer, region };
  }

  private async writeAnchor(
    ctx: Context,
    caller: Caller,
    facts: DocumentFacts,
    origin: {
      holderRef: string;
      action: LicenseAction;
      transferredFrom: string | null;
      batchId: string | null;
      signerFingerprint: string;
      signedAt: string | null;
    },
  ): Promise<LicenseAnchor> {
    const stamp = stampOf(ctx, caller);
    const anchor: LicenseAnchor = {
      licenseId: facts.licenseId,
      typeCode: facts.typeCode,
      issuer: facts.issuer,
      region: facts.region,
      docHash: facts.docHash,
      holderRef: origin.holderRef,
      validFrom: facts.validFrom,
      validUntil: facts.validUntil,
      status: LicenseStatus.VALID,
      version: facts.version,
      previous: facts.previous,
      supersededBy: null,
      transferredFrom: origin.transferredFrom,
      batchId: origin.batchId,
      signerFingerprint: origin.signerFingerprint,
      signedAt: origin.signedAt,
      issued: stamp,
      lastChange: {
        ...stamp,
        action: origin.action,
        status: LicenseStatus.VALID,
        docHash: facts.docHash,
        reason: null,
      },
    };
    await writeRecord(ctx, ObjectType.LICENSE, [anchor.licenseId], anchor);
    await writeIndex(ctx, ObjectType.HOLDER_LICENSE, [anchor.holderRef, anchor.licenseId]);
    await writeIndex(ctx, ObjectType.ISSUER_LICENSE, [anchor.issuer, anchor.licenseId]);
    emit(ctx, 'LicenseAnchored', {
      licenseId: anchor.licenseId,
      action: origin.action,
      docHash: anchor.docHash,
      issuer: anchor.issuer,
      typeCode: anchor.typeCode,
      previous: anchor.previous,
      transferredFrom: anchor.transferredFrom,
      batchId: anchor.batchId,
    });
    return anchor;
  }

  private async succeed(ctx: Context, requestJson: string, action: 'amend' | 'renew'): Promise<string> {
    const facts = readDocument(ctx);
    const reason = optionalString(readRequest(requestJson), 'reason');
    if (reason !== null) assertSize('reason', reason, MAX_RECORDED_REASON_BYTES);
    if (facts.previous === null)
      throw invalidArgument(`An ${action} names the previous license ID`, { field: 'previous' });
    const previous = await this.requireLicense(ctx, facts.previous);
    const before = parseLicenseId(previous.licenseId);
    const after = parseLicenseId(facts.licenseId);
    if (
      after.typeCode !== before.typeCode ||
      after.issuerUscc !== before.issuerUscc ||
      after.serial !== before.serial
    ) {
      throw invalidArgument('A new version keeps the type, issuer and serial of the previous one', {
        field: 'licenseId',
      });
    }
    if (after.version !== before.version + 1) {
      throw invalidArgument(`The new version must be ${before.version + 1}`, {
        field: 'version',
        expected: before.version + 1,
      });
    }
    assertCanSucceed(action, previous.status, previous.licenseId);
    const anchor = await this.anchorSigned(ctx, facts, requestJson, action, previous.transferredFrom);
    const stamp = stampOf(ctx, callerOf(ctx));
    const superseded: LicenseAnchor = {
      ...previous,
      status: LicenseStatus.WITHDRAWN,
      supersededBy: anchor.licenseId,
      lastChange: {
        ...stamp,
        action: 'supersede',
        status: LicenseStatus.WITHDRAWN,
        docHash: previous.docHash,
        reason:
          reason === null || reason === ''
            ? `${action}: ${anchor.licenseId}`
            : `${action}: ${anchor.licenseId}: ${reason}`,
      },
    };
    await writeRecord(ctx, ObjectType.LICENSE, [previous.licenseId], superseded);
    // One event per transaction (Fabric keeps only the last): the successor's, which names the previous version.
    return serialize({ license: anchor, previous: superseded });
  }

  private async transition(
    ctx: Context,
    licenseId: string,
    action: 'suspend' | 'reinstate' | 'revoke' | 'cancel' | 'expire',
    reason: string,
  ): Promise<string> {
    const caller = callerOf(ctx);
    assertSize('reason', reason, MAX_RECORDED_REASON_BYTES);
    const anchor = await this.requireLicense(ctx, licenseId);
    const issuer = await requireIssuer(ctx, anchor.issuer);
    const region = await requireRegion(ctx, issuer.region);
    if (action === 'expire') {
      assertClerkOrRegionAdmin(caller, issuer, region, 'expire a license');
      // The China calendar day, as the gateway's validity step and the credit and consent contracts count days.
      const today = chinaDateOf(txTime(ctx));
      if (anchor.validUntil === null || anchor.validUntil >= today) {
        throw new ChaincodeRuleError('INVALID_STATE_TRANSITION', `License ${licenseId} is still within its validity`, {
          licenseId,
          action,
          validUntil: anchor.validUntil,
        });
      }
    } else {
      assertClerkOf(caller, issuer, region, `${action} a license`);
    }
    const status = nextStatus(action, anchor.status, licenseId);
    const updated: LicenseAnchor = {
      ...anchor,
      status,
      lastChange: {
        ...stampOf(ctx, caller),
        action,
        status,
        docHash: anchor.docHash,
        reason: reason === '' ? null : reason,
      },
    };
    await writeRecord(ctx, ObjectType.LICENSE, [licenseId], updated);
    emit(ctx, 'LicenseStatusChanged', { licenseId, action, status, previousStatus: anchor.status });
    return serialize(updated);
  }

  private async authoriseClerk(
    ctx: Context,
    caller: Caller,
    issuerCode: string,
    action: string,
  ): Promise<{ issuer: Issuer; region: Region }> {
    const issuer = await requireIssuer(ctx, issuerCode);
    const region = await requireRegion(ctx, issuer.region);
    assertClerkOf(caller, issuer, region, `${action} a license`);
    return { issuer, region };
  }
}

/**
 * Gateways sign just before they submit, so a document signed after the transaction that anchors it is a forged or
 * mistaken `proof.created`. Five minutes cover clock skew between the gateway and the client's proposal time.
 */
const SIGNING_CLOCK_SKEW_MS = 5 * 60 * 1000;

function assertSignedBeforeAnchoring(ctx: Context, signedAt: string | null): void {
  if (signedAt === null) return;
  const tx = txTime(ctx);
  if (Date.parse(signedAt) > tx.getTime() + SIGNING_CLOCK_SKEW_MS) {
    throw invalidArgument(`signedAt ${signedAt} is after the anchoring transaction (${tx.toISOString()})`, {
      field: 'signedAt',
    });
  }
}

function readProof(request: Record<string, unknown>): MerkleProof {
  const proof = request['proof'];
  if (proof === null || typeof proof !== 'object' || Array.isArray(proof))
    throw invalidArgument('proof must be an object', { field: 'proof' });
  const record = proof as Record<string, unknown>;
  const leafCount = requireInteger(record, 'leafCount', 1, MAX_BATCH_SIZE);
  const leafIndex = requireInteger(record, 'leafIndex', 0, leafCount - 1);
  const path = record['path'];
  if (!Array.isArray(path) || path.length > 64 || path.some((h) => typeof h !== 'string' || !HEX_256.test(h))) {
    throw invalidArgument('proof.path must be an array of hex SM3 hashes', { field: 'proof.path' });
  }
  return { leafIndex, leafCount, path: path as string[] };
}

function assertIncluded(docHash: string, proof: MerkleProof, batch: BatchAnchor): void {
  if (proof.leafCount !== batch.count) {
    throw new ChaincodeRuleError('INCLUSION_PROOF_INVALID', 'The proof is for a tree of another size', {
      batchId: batch.batchId,
    });
  }
  let ok: boolean;
  try {
    ok = verifyMerkleProof(Buffer.from(docHash, 'hex'), proof, Buffer.from(batch.root, 'hex'));
  } catch {
    ok = false;
  }
  if (!ok)
    throw new ChaincodeRuleError('INCLUSION_PROOF_INVALID', 'The document is not in the batch', {
      batchId: batch.batchId,
      docHash,
    });
}
