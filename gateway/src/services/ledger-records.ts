/*
 * The chaincode's records as the gateway reads them (chaincode/src/model/): only the fields the gateway uses.
 * Declared here rather than imported so the gateway depends on the chaincode's JSON, not on its TypeScript.
 */

export interface StampRecord {
  readonly txId: string;
  readonly timestamp: string;
  readonly mspId: string;
  readonly actor: string;
}

export interface RegionRecord {
  readonly code: string;
  readonly name: string;
  readonly mspId: string;
  readonly rootCertificatePem: string;
}

export interface LicenseTypeRecord {
  readonly code: string;
  readonly name: string;
  readonly holderIdType: '001' | '111';
}

export interface IssuerCertificateRecord {
  readonly fingerprint: string;
  readonly pem: string;
  readonly retiredAt: string | null;
}

export interface IssuerRecord {
  readonly uscc: string;
  readonly name: string;
  readonly region: string;
  readonly licenseTypes: readonly string[];
  readonly certificates: readonly IssuerCertificateRecord[];
}

export interface LicenseAnchorRecord {
  readonly licenseId: string;
  readonly typeCode: string;
  readonly issuer: string;
  readonly region: string;
  readonly docHash: string;
  readonly holderRef: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly status: string;
  readonly version: number;
  readonly previous: string | null;
  readonly supersededBy: string | null;
  readonly batchId: string | null;
  readonly issued: StampRecord;
}

export interface LicenseHistoryRecord extends StampRecord {
  readonly action: string;
  readonly status: string;
  readonly docHash: string;
  readonly reason: string | null;
}

export interface RecognitionAnswer {
  readonly recognised: boolean;
  readonly reason: string;
  readonly agreementId: string | null;
}
