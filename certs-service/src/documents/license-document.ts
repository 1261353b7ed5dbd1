import { sm3Hex } from '../sm/sm3';
import { canonicalBytes, type JsonValue } from './canonical-json';
import type { MerkleProof } from './merkle';

/*
 * The e-license document of DESIGN.md §3. It travels as RFC 8785 canonical JSON; the issuer's SM2 signature and the
 * docHash both cover the canonical bytes of everything except `proof`.
 */

/** Holder ID types: `001` enterprise by USCC, `111` person by resident ID. */
export type HolderIdType = '001' | '111';

/** `proof.type` of an SM2-with-SM3 signature (GM/T 0003, ID 1234567812345678). */
export const LICENSE_PROOF_TYPE = 'SM2SignatureSM3';

export interface LicenseProof {
  readonly type: typeof LICENSE_PROOF_TYPE;
  /** ISO 8601 time of signing. */
  readonly created: string;
  /** PEM of the issuer's SM2 certificate that verifies `signatureValue`. */
  readonly certificate: string;
  /** Base64 of the DER SM2 signature over the canonical document without `proof`. */
  readonly signatureValue: string;
  /** Set on a license anchored in a batch (bulk import): where its docHash sits under the batch's anchored root. */
  readonly batch?: BatchInclusionProof;
}

/**
 * A batch member's inclusion proof (DESIGN.md §4): the SM3 Merkle path from its docHash to the root anchored on chain
 * under `batchId`. Outside the signed bytes like the rest of `proof`; the root on chain is what makes it trustworthy.
 */
export interface BatchInclusionProof extends MerkleProof {
  readonly batchId: string;
  /** The batch's Merkle root, lower-case hex, as anchored. */
  readonly root: string;
}

export interface LicenseDocument {
  /** National e-license identifier (see identifiers/license-id.ts). */
  readonly licenseId: string;
  readonly version: number;
  /** The licenseId of the version this one amends, or null for a first issue. */
  readonly previous: string | null;
  readonly type: { readonly code: string; readonly name: string };
  /** The number printed on the license face. */
  readonly number: string;
  readonly name: string;
  readonly holder: { readonly name: string; readonly idType: HolderIdType; readonly id: string };
  readonly issuer: { readonly code: string; readonly name: string; readonly region: string };
  /** Dates as YYYY-MM-DD. */
  readonly issuedOn: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  /** Type-specific face items. */
  readonly fields: { readonly [key: string]: JsonValue };
  readonly proof: LicenseProof;
}

/** A document before it is signed. */
export type UnsignedLicenseDocument = Omit<LicenseDocument, 'proof'>;

/** Copies `doc` without its `proof` member (whether or not it has one). */
export function withoutProof(doc: UnsignedLicenseDocument | LicenseDocument): UnsignedLicenseDocument {
  if (!('proof' in doc)) return doc;
  const { proof: _proof, ...rest } = doc;
  return rest;
}

/** The bytes the issuer signs and docHash covers: canonical JSON of the document without `proof`, UTF-8. */
export function documentSigningBytes(doc: UnsignedLicenseDocument | LicenseDocument): Uint8Array {
  return canonicalBytes(withoutProof(doc));
}

/** docHash: SM3 of `documentSigningBytes(doc)`, lower-case hex. The value anchored on chain and put in the QR code. */
export function documentHash(doc: UnsignedLicenseDocument | LicenseDocument): string {
  return sm3Hex(documentSigningBytes(doc));
}
