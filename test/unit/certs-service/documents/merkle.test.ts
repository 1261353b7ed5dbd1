import assert from 'node:assert/strict';
import {
  CertHubError,
  merkleProof,
  merkleRoot,
  MerkleTree,
  MerkleTreeError,
  type MerkleProof,
  sm3,
  verifyMerkleProof,
} from '@certhub/certs-service';

const leaf = (n: number): Uint8Array => sm3(`document ${n}`);
const leaves = (count: number): Uint8Array[] => Array.from({ length: count }, (_, n) => leaf(n));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
// The documented node shapes, computed here from sm3 directly so the tests pin the format, not just self-consistency.
const leafNode = (hash: Uint8Array): Uint8Array => sm3(Buffer.concat([Buffer.from([0x00]), hash]));
const innerNode = (left: Uint8Array, right: Uint8Array): Uint8Array =>
  sm3(Buffer.concat([Buffer.from([0x01]), left, right]));

/** RFC 6962 §2.1 MTH, written recursively straight from the RFC: split at the largest power of two below n. */
function rfc6962Root(hashes: Uint8Array[]): Uint8Array {
  if (hashes.length === 1) return leafNode(hashes[0]!);
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return innerNode(rfc6962Root(hashes.slice(0, k)), rfc6962Root(hashes.slice(k)));
}

function treeError(reason: string) {
  return (error: unknown): boolean =>
    error instanceof CertHubError &&
    error.code === 'MERKLE_TREE_INVALID' &&
    error instanceof MerkleTreeError &&
    error.context['reason'] === reason;
}

function assertAllProofsVerify(count: number): void {
  const hashes = leaves(count);
  const tree = new MerkleTree(hashes);
  const root = tree.root;
  for (let index = 0; index < count; index += 1) {
    const proof = tree.proof(index);
    assert.ok(verifyMerkleProof(hashes[index]!, proof, root), `leaf ${index} of ${count}`);
    // Depth is at most ceil(log2 n).
    assert.ok(proof.path.length <= Math.ceil(Math.log2(count)), `path length for ${index} of ${count}`);
  }
}

describe('SM3 Merkle tree', () => {
  it('has a one-leaf root equal to the prefixed leaf hash, with an empty proof', () => {
    const [a] = leaves(1);
    assert.deepEqual(merkleRoot([a!]), leafNode(a!));
    const proof = merkleProof([a!], 0);
    assert.deepEqual(proof, { leafIndex: 0, leafCount: 1, path: [] });
    assert.ok(verifyMerkleProof(a!, proof, merkleRoot([a!])));
  });

  it('joins two leaves with the 0x01 node prefix', () => {
    const [a, b] = leaves(2);
    assert.deepEqual(merkleRoot([a!, b!]), innerNode(leafNode(a!), leafNode(b!)));
    assert.deepEqual(merkleProof([a!, b!], 0).path, [hex(leafNode(b!))]);
    assert.deepEqual(merkleProof([a!, b!], 1).path, [hex(leafNode(a!))]);
  });

  it('promotes the odd third leaf instead of duplicating it', () => {
    const [a, b, c] = leaves(3);
    const expected = innerNode(innerNode(leafNode(a!), leafNode(b!)), leafNode(c!));
    assert.deepEqual(merkleRoot([a!, b!, c!]), expected);
    // The duplicated-leaf tree [a, b, c, c] must have a different root (no CVE-2012-2459 style collision).
    assert.notDeepEqual(merkleRoot([a!, b!, c!, c!]), expected);
    assert.deepEqual(merkleProof([a!, b!, c!], 2).path, [hex(innerNode(leafNode(a!), leafNode(b!)))]);
  });

  it('equals the RFC 6962 Merkle Tree Hash (with SM3) for every size from 1 to 130', () => {
    for (let count = 1; count <= 130; count += 1) {
      const hashes = leaves(count);
      assert.deepEqual(merkleRoot(hashes), rfc6962Root(hashes), `${count} leaves`);
    }
  });

  it('proves every leaf for all sizes from 1 to 40', () => {
    for (let count = 1; count <= 40; count += 1) assertAllProofsVerify(count);
  });

  it('proves every leaf of a 1000-leaf tree, and the one-shot functions agree with the tree', () => {
    assertAllProofsVerify(1000);
    const hashes = leaves(1000);
    assert.deepEqual(merkleRoot(hashes), new MerkleTree(hashes).root);
    assert.deepEqual(merkleProof(hashes, 777), new MerkleTree(hashes).proof(777));
  });

  it('rejects a tampered proof, leaf or root', () => {
    const hashes = leaves(1000);
    const tree = new MerkleTree(hashes);
    const root = tree.root;
    const proof = tree.proof(500);
    const target = hashes[500]!;
    const variants: [string, MerkleProof][] = [
      ['next index', { ...proof, leafIndex: 501 }],
      // A size that changes the tree's shape around the leaf (there, 500 would be the promoted last node).
      ['other shape', { ...proof, leafCount: 501 }],
      ['missing step', { ...proof, path: proof.path.slice(0, -1) }],
      ['extra step', { ...proof, path: [...proof.path, proof.path[0]!] }],
      ['swapped steps', { ...proof, path: [proof.path[1]!, proof.path[0]!, ...proof.path.slice(2)] }],
      ['upper-case hex', { ...proof, path: proof.path.map((step) => step.toUpperCase()) }],
      ['short hex', { ...proof, path: [proof.path[0]!.slice(2), ...proof.path.slice(1)] }],
      ['index past the end', { ...proof, leafIndex: 1000 }],
      ['negative index', { ...proof, leafIndex: -1 }],
      ['fractional index', { ...proof, leafIndex: 500.5 }],
    ];
    for (let step = 0; step < proof.path.length; step += 1) {
      for (const position of [0, 63]) {
        const bytes = Buffer.from(proof.path[step]!, 'hex');
        const flipped = Buffer.from(bytes);
        const nibble = Math.floor(position / 2);
        flipped[nibble] = bytes[nibble]! ^ (position % 2 === 0 ? 0x10 : 0x01);
        const path = [...proof.path];
        path[step] = flipped.toString('hex');
        variants.push([`step ${step} char ${position}`, { ...proof, path }]);
      }
    }
    assert.ok(verifyMerkleProof(target, proof, root));
    for (const [label, variant] of variants) {
      assert.equal(verifyMerkleProof(target, variant, root), false, label);
    }
    assert.equal(verifyMerkleProof(hashes[501]!, proof, root), false, 'another leaf');
    const badRoot = Uint8Array.from(root);
    badRoot[31] = badRoot[31]! ^ 1;
    assert.equal(verifyMerkleProof(target, proof, badRoot), false, 'another root');
    assert.equal(verifyMerkleProof(target, proof, root.subarray(0, 31)), false, 'short root');
  });

  it('binds position: a leaf appearing twice has two distinct proofs, neither valid for the other index', () => {
    const hashes = leaves(5);
    hashes[4] = hashes[1]!;
    const tree = new MerkleTree(hashes);
    assert.ok(verifyMerkleProof(hashes[1]!, tree.proof(1), tree.root));
    assert.ok(verifyMerkleProof(hashes[4], tree.proof(4), tree.root));
    assert.equal(verifyMerkleProof(hashes[1]!, { ...tree.proof(1), leafIndex: 4 }, tree.root), false);
  });

  it('refuses an empty tree and out-of-range proofs', () => {
    assert.throws(() => merkleRoot([]), treeError('EMPTY'));
    assert.throws(() => merkleProof(leaves(3), 3), treeError('INDEX_OUT_OF_RANGE'));
    assert.throws(() => merkleProof(leaves(3), -1), treeError('INDEX_OUT_OF_RANGE'));
  });

  it('survives a JSON round trip of the proof', () => {
    const hashes = leaves(7);
    const proof = JSON.parse(JSON.stringify(merkleProof(hashes, 6))) as MerkleProof;
    assert.ok(verifyMerkleProof(hashes[6]!, proof, merkleRoot(hashes)));
  });
});
