/*
 * The chaincode's records as the gateway reads them: only the fields the gateway uses, picked from the chaincode's
 * own model types (chaincode/src/model/), so a field the chaincode renames or drops fails the gateway's compile
 * instead of reading as undefined. Type-only: at run time the gateway depends on the chaincode's JSON alone.
 */
import type {
  Issuer,
  IssuerCertificate,
  LicenseAnchor,
  LicenseChange,
  LicenseType,
  Page,
  RecognitionAgreement,
  Region,
  Stamp,
} from '@certhub/chaincode';

export type StampRecord = Pick<Stamp, 'txId' | 'timestamp' | 'mspId' | 'actor'>;

export type RegionRecord = Pick<Region, 'code' | 'name' | 'mspId' | 'rootCertificatePem'>;

export type LicenseTypeRecord = Pick<LicenseType, 'code' | 'name' | 'holderIdType'>;

export type IssuerCertificateRecord = Pick<
  IssuerCertificate,
  'fingerprint' | 'pem' | 'notBefore' | 'notAfter' | 'registeredAt' | 'retiredAt' | 'retirementReason'
>;

export interface IssuerRecord extends Pick<Issuer, 'uscc' | 'name' | 'region' | 'licenseTypes'> {
  readonly certificates: readonly IssuerCertificateRecord[];
  readonly updated?: StampRecord;
}

export interface LicenseAnchorRecord extends Pick<
  LicenseAnchor,
  | 'licenseId'
  | 'typeCode'
  | 'issuer'
  | 'region'
  | 'docHash'
  | 'holderRef'
  | 'validFrom'
  | 'validUntil'
  | 'status'
  | 'version'
  | 'previous'
  | 'supersededBy'
  | 'batchId'
> {
  /** Absent from anchors written before the chaincode recorded the signing time. */
  readonly signedAt?: LicenseAnchor['signedAt'];
  readonly issued: StampRecord;
}

export type LicenseHistoryRecord = StampRecord & Pick<LicenseChange, 'action' | 'status' | 'docHash' | 'reason'>;

export interface RecognitionAnswer {
  readonly recognised: boolean;
  readonly reason: string;
  readonly agreementId: string | null;
}

export interface RecognitionRecord extends Pick<
  RecognitionAgreement,
  | 'id'
  | 'acceptingRegion'
  | 'issuingRegion'
  | 'licenseTypes'
  | 'validFrom'
  | 'validUntil'
  | 'status'
  | 'proposedBy'
  | 'revocationReason'
> {
  readonly proposed: StampRecord;
  readonly accepted: StampRecord | null;
  readonly revoked: StampRecord | null;
}

/** One page of a paginated chaincode query; `bookmark` is '' after the last page. */
export type PageRecord<T> = Page<T>;
