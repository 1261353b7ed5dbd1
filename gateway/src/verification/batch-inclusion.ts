import { verifyMerkleProof, type LicenseDocument } from '@certhub/certs-service';
import type { BatchAnchor } from '@certhub/chaincode';
import { ChaincodeError, type Ledger, type LedgerIdentity } from '../ledger';
import { evaluateJson } from '../services/ledger-json';
import type { LicenseAnchorRecord } from '../services/ledger-records';

/** What the anchor step needs of the chain's batch record. */
export type BatchRecord = Pick<BatchAnchor, 'batchId' | 'root' | 'count' | 'anchored'>;

/** Reads a batch record from the ledger; undefined when the chain has no batch of that ID. */
export type BatchLookup = (batchId: string) => Promise<BatchRecord | undefined>;

/** Batch records read from the ledger by `license:getBatch` as `identity`; NOT_FOUND reads as "no such batch". */
export function ledgerBatchLookup(ledger: Ledger, identity: LedgerIdentity): BatchLookup {
  return async (batchId) => {
    try {
      return (await evaluateJson(ledger, identity, 'license', 'getBatch', [batchId])) as BatchRecord;
    } catch (error) {
      if (error instanceof ChaincodeError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  };
}

/**
 * The batch half of DESIGN.md §6 `anchor` for a license anchored in a batch (bulk import): the document's
 * `proof.batch` must name the batch the chain recorded the license in, carry that batch's anchored root, and its
 * Merkle path must lead from the docHash to that root in a tree of the anchored size. The signature does not cover
 * `proof`, so this is what makes a changed proof fail. A license anchored on its own must carry no batch proof.
 * @returns undefined when the proof holds (or none is needed), else why it fails in words
 */
export async function batchInclusionFailure(
  document: LicenseDocument,
  docHash: string,
  anchor: Pick<LicenseAnchorRecord, 'batchId'>,
  lookup: BatchLookup,
): Promise<string | undefined> {
  const proof = document.proof.batch;
  if (proof === undefined) {
    return anchor.batchId === null
      ? undefined
      : `the license was anchored in batch ${anchor.batchId} but the document carries no inclusion proof`;
  }
  if (anchor.batchId !== proof.batchId) {
    return anchor.batchId === null
      ? `the document claims batch ${proof.batchId}, but the license was anchored on its own`
      : `the document claims batch ${proof.batchId}, but the license was anchored in batch ${anchor.batchId}`;
  }
  const batch = await lookup(proof.batchId);
  if (batch === undefined) return `batch ${proof.batchId} is not on the ledger`;
  if (batch.root !== proof.root)
    return `the proof's root ${proof.root} is not batch ${batch.batchId}'s root ${batch.root}`;
  if (proof.leafCount !== batch.count) {
    return `the proof is for a tree of ${proof.leafCount} leaves; batch ${batch.batchId} has ${batch.count}`;
  }
  const reaches = verifyMerkleProof(
    Buffer.from(docHash, 'hex'),
    { leafIndex: proof.leafIndex, leafCount: proof.leafCount, path: proof.path },
    Buffer.from(batch.root, 'hex'),
  );
  return reaches ? undefined : `the Merkle path from the docHash does not reach batch ${batch.batchId}'s root`;
}
