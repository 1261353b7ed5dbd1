import {
  CertHubError,
  MerkleTree,
  documentSigningBytes,
  signLicenseDocument,
  sm2Sign,
  sm3,
  type LicenseDocument,
} from '@certhub/certs-service';
// The model module alone: the package index would load every contract class (and fabric's decorators) with it.
import { DOCUMENT_TRANSIENT_KEY, batchSigningBytes } from '@certhub/chaincode/dist/model/anchor-request';
import type { TransactionRequest } from '../ledger';
import type { LicenseIssueRequest } from '../schemas';
import type { IssuerSigner } from '../services/issuer-signers';
import { firstVersionDocument } from '../services/license-documents';
import type { IssuerRecord, LicenseTypeRecord } from '../services/ledger-records';
import type { JobError } from './job-store';

/*
 * One batch of an import (DESIGN.md §4 batch anchoring): each member's document signed by the issuer like a single
 * issuance, one SM3 Merkle tree over the members' docHashes whose root the issuer signs and the chain anchors, and in
 * each document the inclusion proof from its docHash to that root. Pure: no I/O, so a retry rebuilds the same tree.
 */

export interface BatchMemberInput {
  readonly position: number;
  readonly licenseId: string;
  readonly request: LicenseIssueRequest;
  readonly type: LicenseTypeRecord;
}

export interface BuiltMember {
  readonly position: number;
  readonly licenseId: string;
  /** The signed document carrying its inclusion proof in `proof.batch`. */
  readonly document: LicenseDocument;
  readonly docHash: string;
  /** Canonical bytes of the document without `proof` (what docHash and the signature cover), kept for anchoring. */
  readonly signingBytes: Uint8Array;
}

export interface BuiltBatch {
  /** In leaf order: member i is leaf i of the tree. */
  readonly members: readonly BuiltMember[];
  /** Members whose document could not be built (e.g. face fields JSON canonicalisation refuses). */
  readonly failures: readonly { readonly position: number; readonly error: JobError }[];
  /** Hex SM3 Merkle root over the members' docHashes; undefined when no member could be built. */
  readonly root: string | undefined;
}

/**
 * Signs each member's first-version document, builds the batch's Merkle tree over their docHashes and puts each one's
 * inclusion proof into its `proof.batch` (outside the signed bytes, so the signature stays valid).
 */
export function buildBatch(input: {
  readonly batchId: string;
  readonly issuer: IssuerRecord;
  readonly issuedOn: string;
  readonly signer: IssuerSigner;
  readonly created: Date;
  readonly members: readonly BatchMemberInput[];
}): BuiltBatch {
  const signed: { member: BatchMemberInput; document: LicenseDocument; bytes: Uint8Array; leaf: Uint8Array }[] = [];
  const failures: { position: number; error: JobError }[] = [];
  for (const member of input.members) {
    try {
      const unsigned = firstVersionDocument({
        licenseId: member.licenseId,
        issuer: input.issuer,
        type: member.type,
        request: member.request,
        issuedOn: input.issuedOn,
      });
      const document = signLicenseDocument(unsigned, {
        key: input.signer.key,
        certificate: input.signer.certificate,
        created: input.created,
      });
      const bytes = documentSigningBytes(unsigned);
      signed.push({ member, document, bytes, leaf: sm3(bytes) });
    } catch (error) {
      if (!(error instanceof CertHubError)) throw error;
      failures.push({ position: member.position, error: { code: error.code, detail: error.message } });
    }
  }
  if (signed.length === 0) return { members: [], failures, root: undefined };
  const tree = new MerkleTree(signed.map((s) => s.leaf));
  const root = Buffer.from(tree.root).toString('hex');
  const members = signed.map(({ member, document, bytes, leaf }, leafIndex): BuiltMember => {
    const proof = tree.proof(leafIndex);
    return {
      position: member.position,
      licenseId: member.licenseId,
      docHash: Buffer.from(leaf).toString('hex'),
      signingBytes: bytes,
      document: {
        ...document,
        proof: { ...document.proof, batch: { batchId: input.batchId, root, ...proof } },
      },
    };
  });
  return { members, failures, root };
}

/** `license:anchorBatch`: the root and member count, signed by the issuer over the chaincode's batch header bytes. */
export function anchorBatchRequest(input: {
  readonly batchId: string;
  readonly issuer: string;
  readonly root: string;
  readonly count: number;
  readonly signer: IssuerSigner;
}): TransactionRequest {
  const header = { batchId: input.batchId, issuer: input.issuer, root: input.root, count: input.count };
  const signature = sm2Sign(input.signer.key, batchSigningBytes(header));
  return {
    contract: 'license',
    fn: 'anchorBatch',
    args: [
      JSON.stringify({
        ...header,
        signature: Buffer.from(signature).toString('base64'),
        certificate: input.signer.certificate.pem,
      }),
    ],
  };
}

/**
 * `license:recordBatchMember`: makes a member its own license record (so its status can change) once the chain checks
 * that its docHash reaches the batch root. The document travels as transient data, never written to a block.
 */
export function recordMemberRequest(
  document: LicenseDocument,
  holderRef: string,
  signingBytes: Uint8Array = documentSigningBytes(document),
): TransactionRequest {
  const inclusion = document.proof.batch;
  if (inclusion === undefined) throw new TypeError(`document ${document.licenseId} carries no batch inclusion proof`);
  return {
    contract: 'license',
    fn: 'recordBatchMember',
    args: [
      JSON.stringify({
        batchId: inclusion.batchId,
        holderRef,
        proof: { leafIndex: inclusion.leafIndex, leafCount: inclusion.leafCount, path: inclusion.path },
        // The signing time the chain records for the license, as for a single anchor.
        signedAt: document.proof.created,
      }),
    ],
    transient: { [DOCUMENT_TRANSIENT_KEY]: signingBytes },
  };
}
