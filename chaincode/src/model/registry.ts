/** Registry records as stored on chain (sorted-key JSON via serialization.ts). */

/** Who changed a record and when (tx time, never the clock). */
export interface Stamp {
  readonly txId: string;
  readonly timestamp: string;
  readonly mspId: string;
  readonly actor: string;
}

/** The hub's own governance record, written once: the MSP whose hub admins add regions and license types. */
export interface HubConfig {
  readonly hubMspId: string;
  readonly created: Stamp;
}

export interface Region {
  /** GB/T 2260 code, e.g. 420100. */
  readonly code: string;
  readonly name: string;
  readonly mspId: string;
  /** The region's SM2 root CA certificate (PEM) and its SM3 fingerprint. */
  readonly rootCertificatePem: string;
  readonly rootFingerprint: string;
  readonly created: Stamp;
}

export type HolderIdType = '001' | '111';

export interface LicenseType {
  /** The defining ministry's USCC + 3 digits. */
  readonly code: string;
  readonly name: string;
  /** USCC of the defining authority (the first 18 characters of the code). */
  readonly authority: string;
  readonly holderIdType: HolderIdType;
  readonly created: Stamp;
}

export interface IssuerCertificate {
  readonly fingerprint: string;
  readonly pem: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly registeredAt: string;
  /** From this time the key may no longer sign (key rotation); null while current. */
  readonly retiredAt: string | null;
  /** Why the region's admin retired it (absent on certificates retired before reasons were recorded). */
  readonly retirementReason?: string | null;
}

export interface Issuer {
  readonly uscc: string;
  readonly name: string;
  readonly region: string;
  readonly licenseTypes: readonly string[];
  readonly certificates: readonly IssuerCertificate[];
  readonly updated: Stamp;
}
