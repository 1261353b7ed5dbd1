import { DEVELOPMENT_ENTERPRISE, DEVELOPMENT_ISSUERS, DEVELOPMENT_REGIONS } from '../auth/development-users';

/*
 * DEVELOPMENT MODE ONLY: the regions, license types and issuers the development seed puts on the ledger. The regions'
 * MSP IDs and the issuers are those of auth/development-users.ts, so every development user's organisation exists.
 */

export interface CatalogRegion {
  readonly code: string;
  readonly name: string;
  readonly mspId: string;
}

export interface CatalogLicenseType {
  readonly code: string;
  readonly name: string;
  readonly holderIdType: '001' | '111';
}

export interface CatalogIssuer {
  readonly code: string;
  readonly name: string;
  readonly region: string;
  readonly licenseTypes: readonly string[];
}

export const HUB_MSP = 'HubMSP';
export const BANK_MSP = 'BankMSP';

export const DEVELOPMENT_CATALOG_REGIONS: readonly CatalogRegion[] = [
  { code: DEVELOPMENT_REGIONS.WUHAN, name: '武汉市', mspId: 'WuhanMSP' },
  { code: DEVELOPMENT_REGIONS.HUANGSHI, name: '黄石市', mspId: 'HuangshiMSP' },
  { code: DEVELOPMENT_REGIONS.GUANGDE, name: '广德市', mspId: 'GuangdeMSP' },
];

/** State Administration for Market Regulation's USCC + 032: the business license (DESIGN.md §1). */
export const BUSINESS_LICENSE = '11100000000013338W032';
/** Ministry of Transport (made-up but valid USCC 11100000000019713D) + 001: road transport permit (enterprises). */
export const ROAD_TRANSPORT_PERMIT = '11100000000019713D001';
/** Ministry of Transport + 101: road transport practitioner qualification (a person holder, so a holderRef on chain). */
export const PRACTITIONER_QUALIFICATION = '11100000000019713D101';

export const DEVELOPMENT_LICENSE_TYPES: readonly CatalogLicenseType[] = [
  { code: BUSINESS_LICENSE, name: '营业执照 (business license)', holderIdType: '001' },
  { code: ROAD_TRANSPORT_PERMIT, name: '道路运输经营许可证 (road transport permit)', holderIdType: '001' },
  {
    code: PRACTITIONER_QUALIFICATION,
    name: '道路运输从业人员从业资格证 (road transport practitioner qualification)',
    holderIdType: '111',
  },
];

const ALL_TYPES = DEVELOPMENT_LICENSE_TYPES.map((t) => t.code);

/** Development simplification: both market supervision bureaus may issue every type, so each flow can be tried. */
export const DEVELOPMENT_CATALOG_ISSUERS: readonly CatalogIssuer[] = [
  { ...DEVELOPMENT_ISSUERS.WUHAN_AMR, region: DEVELOPMENT_REGIONS.WUHAN, licenseTypes: ALL_TYPES },
  { ...DEVELOPMENT_ISSUERS.GUANGDE_AMR, region: DEVELOPMENT_REGIONS.GUANGDE, licenseTypes: ALL_TYPES },
];

/** An enterprise whose SM2 key the development gateway holds, to sign its consents (issue 6). */
export interface CatalogEnterprise {
  readonly code: string;
  readonly name: string;
  /** Its registration region, whose root certifies the key. */
  readonly region: string;
}

export const DEVELOPMENT_CATALOG_ENTERPRISES: readonly CatalogEnterprise[] = [
  { ...DEVELOPMENT_ENTERPRISE, region: DEVELOPMENT_REGIONS.WUHAN },
];
