import type { Stamp } from './registry';
import type { LicenseStatus } from '../rules/status';

/** The actions recorded in a license's history. */
export type LicenseAction =
  | 'issue'
  | 'batch-member'
  | 'suspend'
  | 'reinstate'
  | 'revoke'
  | 'cancel'
  | 'expire'
  | 'amend'
  | 'renew'
  | 'transfer-in'
  | 'supersede';

/**
 * The on-chain anchor of one e-license (DESIGN.md §4): no personal data; a person holder appears only as holderRef
 * (HMAC-SM3 of the ID number under a gateway-held key), an enterprise by its USCC.
 */
export interface LicenseAnchor {
  readonly licenseId: string;
  readonly typeCode: string;
  readonly issuer: string;
  readonly region: string;
  readonly docHash: string;
  readonly holderRef: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly status: LicenseStatus;
  readonly version: number;
  readonly previous: string | null;
  readonly supersededBy: string | null;
  /** Another province's original license ID, for a transfer-in. */
  readonly transferredFrom: string | null;
  /** Set when the license was anchored as a member of a batch rather than on its own. */
  readonly batchId: string | null;
  readonly signerFingerprint: string | null;
  /**
   * The document's `proof.created` as the issuer declared it when anchoring. The signature does not cover `proof`
   * (DESIGN.md §3), so the chain keeps the signing time and the verifier's `anchor` step compares it: a document whose
   * `created` was changed afterwards no longer matches its anchor. Null for anchors made without it.
   */
  readonly signedAt: string | null;
  readonly issued: Stamp;
  /** The change that produced this state: one history entry per change via getHistoryForKey. */
  readonly lastChange: LicenseChange;
}

export interface LicenseChange extends Stamp {
  readonly action: LicenseAction;
  readonly status: LicenseStatus;
  readonly docHash: string;
  readonly reason: string | null;
}

/** One batch of licenses anchored by a single SM3 Merkle root signed by the issuer. */
export interface BatchAnchor {
  readonly batchId: string;
  readonly issuer: string;
  readonly region: string;
  readonly root: string;
  readonly count: number;
  readonly signature: string;
  readonly signerFingerprint: string;
  readonly anchored: Stamp;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly bookmark: string;
}
