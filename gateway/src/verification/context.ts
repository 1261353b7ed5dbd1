import type { LicenseDocument, Sm2Certificate } from '@certhub/certs-service';
import type { User } from '../auth/user';
import type { LicenseAnchorRecord } from '../services/ledger-records';

/** What a verification is asked about, resolved from the request (§6: a document, a license ID + docHash, a QR). */
export interface VerificationSubject {
  /** The document to check as received (untrusted JSON), or the one this gateway stored for the license ID. */
  readonly document: unknown;
  /** Whether the caller supplied the document (true) or the gateway looked it up (false). */
  readonly documentSupplied: boolean;
  readonly licenseId: string;
  /** A docHash the caller expects (with a license ID, or from a QR code). */
  readonly expectedDocHash: string | undefined;
}

/** Facts the steps establish for the steps after them. Written by one step each, read by later ones. */
export interface VerificationFacts {
  document?: LicenseDocument;
  /** The canonical bytes of the document without its proof: what docHash hashes and the signature signs. */
  signingBytes?: Uint8Array;
  docHash?: string;
  certificate?: Sm2Certificate;
  anchor?: LicenseAnchorRecord;
  recognized?: boolean | null;
}

export interface VerificationContext {
  readonly caller: User | undefined;
  readonly now: Date;
  readonly subject: VerificationSubject;
  readonly facts: VerificationFacts;
}
