import { CertHubError } from '../errors';

/** Why a value has no canonical JSON form. */
export type CanonicalizationFailure =
  'NON_FINITE_NUMBER' | 'UNDEFINED' | 'UNSUPPORTED_TYPE' | 'NOT_PLAIN_OBJECT' | 'LONE_SURROGATE' | 'CYCLE' | 'TOO_DEEP';

/**
 * A value cannot be canonicalised per RFC 8785 (JCS). `path` is a JSON-pointer-like location (`/holder/id`, `/fields/3`)
 * so the caller can find the offending member without the value itself being logged.
 */
export class CanonicalizationError extends CertHubError {
  readonly code = 'NOT_CANONICALIZABLE';

  constructor(reason: CanonicalizationFailure, path: string, detail: string) {
    super(`cannot canonicalise ${path === '' ? 'value' : path}: ${detail}`, { reason, path });
  }
}

/** A Merkle tree was asked for something it cannot give: a root of no leaves, or a proof for a leaf it does not have. */
export class MerkleTreeError extends CertHubError {
  readonly code = 'MERKLE_TREE_INVALID';

  constructor(reason: 'EMPTY' | 'INDEX_OUT_OF_RANGE', context: Record<string, unknown> = {}) {
    super(`Merkle tree: ${reason}`, { reason, ...context });
  }
}

/** The private key given to sign a document does not belong to the certificate that would be embedded with it. */
export class SignerKeyMismatchError extends CertHubError {
  readonly code = 'SIGNER_KEY_MISMATCH';

  constructor(certificateSubject: string, certificateFingerprint: string) {
    super(`the signing key does not match the certificate of ${certificateSubject}`, {
      certificateSubject,
      certificateFingerprint,
    });
  }
}
