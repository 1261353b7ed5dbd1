import { hash, timingSafeEqual } from 'node:crypto';
import { MerkleTreeError } from './errors';

/*
 * SM3 Merkle tree for batch anchoring, shaped as RFC 6962/9162's Merkle Tree Hash with SM3 in place of SHA-256:
 *   leaf node  = SM3(0x00 ‖ leafHash)
 *   inner node = SM3(0x01 ‖ left ‖ right)
 * The prefixes keep a leaf from ever being passed off as an inner node (second-preimage attacks). Odd counts are
 * handled by promoting the last node of a level unchanged to the next level (the RFC's left-balanced shape), never by
 * duplicating it: duplication lets two different leaf lists share a root (the Bitcoin CVE-2012-2459 problem).
 * Proofs carry the leaf index and tree size, so a proof binds the leaf to one position. The root alone does not fix the
 * size: sizes that give the same shape around a leaf verify alike, so anchor the leaf count with the root when the
 * batch size itself must be proven (as RFC 9162 signs tree size and root together).
 */

/** An inclusion proof; JSON-ready so it can travel inside a document or an API response. */
export interface MerkleProof {
  /** 0-based position of the leaf. */
  readonly leafIndex: number;
  /** Number of leaves in the tree. */
  readonly leafCount: number;
  /** Sibling hashes from the leaf level upwards, lower-case hex. */
  readonly path: readonly string[];
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
const HASH_HEX = /^[0-9a-f]{64}$/;

function hashLeaf(leafHash: Uint8Array): Buffer {
  return hash('sm3', Buffer.concat([LEAF_PREFIX, leafHash]), 'buffer');
}

function hashNode(left: Uint8Array, right: Uint8Array): Buffer {
  return hash('sm3', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
}

/** A built tree: all levels kept, so proofs for every leaf of a batch cost O(log n) each instead of a rebuild. */
export class MerkleTree {
  /** levels[0] are the leaf nodes; the last level holds only the root. */
  readonly #levels: readonly (readonly Buffer[])[];

  constructor(leafHashes: readonly Uint8Array[]) {
    if (leafHashes.length === 0) throw new MerkleTreeError('EMPTY');
    const levels: Buffer[][] = [leafHashes.map(hashLeaf)];
    let level = levels[0] ?? [];
    while (level.length > 1) {
      const next: Buffer[] = [];
      for (let index = 0; index < level.length; index += 2) {
        const left = level[index];
        const right = level[index + 1];
        if (left === undefined) break;
        // Odd node out: promoted as is (see the header comment).
        next.push(right === undefined ? left : hashNode(left, right));
      }
      levels.push(next);
      level = next;
    }
    this.#levels = levels;
  }

  get leafCount(): number {
    return this.#levels[0]?.length ?? 0;
  }

  get root(): Uint8Array {
    const top = this.#levels[this.#levels.length - 1]?.[0];
    if (top === undefined) throw new MerkleTreeError('EMPTY');
    return new Uint8Array(top);
  }

  proof(leafIndex: number): MerkleProof {
    if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= this.leafCount) {
      throw new MerkleTreeError('INDEX_OUT_OF_RANGE', { leafIndex, leafCount: this.leafCount });
    }
    const path: string[] = [];
    let index = leafIndex;
    for (const level of this.#levels.slice(0, -1)) {
      const sibling = level[index % 2 === 1 ? index - 1 : index + 1];
      // No sibling: this node was promoted, and the verifier knows that from leafIndex and leafCount.
      if (sibling !== undefined) path.push(sibling.toString('hex'));
      index = Math.floor(index / 2);
    }
    return { leafIndex, leafCount: this.leafCount, path };
  }
}

/** The SM3 Merkle root over `leafHashes` (e.g. docHashes as bytes). @throws MerkleTreeError for an empty list */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  return new MerkleTree(leafHashes).root;
}

/** The inclusion proof of leaf `index`. @throws MerkleTreeError for an empty list or an index outside it */
export function merkleProof(leafHashes: readonly Uint8Array[], index: number): MerkleProof {
  return new MerkleTree(leafHashes).proof(index);
}

/**
 * Whether `proof` shows `leafHash` at `proof.leafIndex` in a tree of `proof.leafCount` leaves with root `root`.
 * Malformed proofs (bad numbers, bad hex, too few or too many path entries) are simply false: this answers a
 * verification question and never throws on attacker-supplied input.
 *
 * Written from RFC 9162 §2.1.3.2 rather than by replaying MerkleTree, so the two check each other.
 */
export function verifyMerkleProof(leafHash: Uint8Array, proof: MerkleProof, root: Uint8Array): boolean {
  const { leafIndex, leafCount, path } = proof;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(leafCount)) return false;
  if (leafIndex < 0 || leafIndex >= leafCount || !Array.isArray(path)) return false;
  let fn = leafIndex;
  let sn = leafCount - 1;
  let r = hashLeaf(leafHash);
  for (const entry of path) {
    if (typeof entry !== 'string' || !HASH_HEX.test(entry) || sn === 0) return false;
    const p = Buffer.from(entry, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      r = hashNode(p, r);
      // Skip the levels where this node had no sibling and was promoted.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashNode(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && root.length === r.length && timingSafeEqual(r, root);
}
