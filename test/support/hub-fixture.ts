import {
  Sm2PrivateKey,
  buildLicenseId,
  canonicalBytes,
  createFabricCa,
  createRootCertificate,
  hmacSm3,
  issueFabricIdentity,
  issueIssuerCertificate,
  sm2Sign,
  sm3Hex,
  usccCheckChar,
  type FabricCa,
  type Sm2Certificate,
} from '@certhub/certs-service';
import type { LedgerIdentity, LedgerOrganization, Ledger } from '@certhub/gateway/dist/ledger';
import { creditSigningBytes, type CreditCategory, type Severity } from '@certhub/chaincode';

/**
 * A small CertHub world for tests that drive the chaincode through a Ledger: a hub org, two regions (Wuhan 420100 and
 * Guangde 341882) each with a Fabric CA for its members and an SM2 root CA for its issuers, one issuer per region with
 * a registered SM2 signing key, and the people who act: admins, clerks, a verifier and a bank.
 */
export const BUSINESS_LICENSE = '11100000000013338W032';
export const PERSONAL_PERMIT = '11100000000013338W101';

export function makeUscc(first17: string): string {
  return first17 + usccCheckChar(first17);
}

export interface IssuerFixture {
  readonly uscc: string;
  readonly name: string;
  readonly region: string;
  readonly key: Sm2PrivateKey;
  readonly certificate: Sm2Certificate;
  readonly clerk: LedgerIdentity;
}

export interface RegionFixture {
  readonly code: string;
  readonly name: string;
  readonly mspId: string;
  readonly ca: FabricCa;
  readonly rootKey: Sm2PrivateKey;
  readonly root: Sm2Certificate;
  readonly admin: LedgerIdentity;
  readonly issuer: IssuerFixture;
  /** Writes credit records for the region's issuer, which is also the deciding authority of its penalties. */
  readonly creditSource: LedgerIdentity;
}

export interface HubFixture {
  /** The hub organisation's Fabric CA (for tests that enrol further hub identities). */
  readonly hubCa: FabricCa;
  readonly hubAdmin: LedgerIdentity;
  readonly wuhan: RegionFixture;
  readonly guangde: RegionFixture;
  readonly bank: LedgerIdentity;
  readonly verifier: LedgerIdentity;
  /** The gateway's audit identity (hub MSP, role audit-anchor): anchors the heads of its bank-query audit log. */
  readonly auditAnchor: LedgerIdentity;
  /** An enterprise (USCC) that credit records are about. */
  readonly enterprise: string;
  readonly organizations: readonly LedgerOrganization[];
}

async function createRegion(code: string, name: string, mspId: string, issuerUscc: string): Promise<RegionFixture> {
  const ca = await createFabricCa({ mspId, commonName: `ca.${mspId.toLowerCase()}` });
  const rootKey = Sm2PrivateKey.generate();
  const root = await createRootCertificate({ subject: `CN=${name} E-License Root CA,O=${name},C=CN`, key: rootKey });
  const issuerKey = Sm2PrivateKey.generate();
  const certificate = await issueIssuerCertificate({
    caKey: rootKey,
    caCertificate: root,
    publicKey: issuerKey.publicKey,
    subject: `CN=${name} Market Supervision Bureau,O=${name},C=CN`,
    uscc: issuerUscc,
  });
  const admin = await issueFabricIdentity(ca, {
    mspId,
    enrollmentId: `admin-${code}`,
    ou: 'admin',
    attrs: { role: 'region-admin', region: code },
  });
  const clerk = await issueFabricIdentity(ca, {
    mspId,
    enrollmentId: `clerk-${code}`,
    attrs: { role: 'clerk', region: code, issuer: issuerUscc },
  });
  const creditSource = await issueFabricIdentity(ca, {
    mspId,
    enrollmentId: `credit-${code}`,
    attrs: { role: 'credit-source', region: code, authority: issuerUscc },
  });
  return {
    code,
    name,
    mspId,
    ca,
    rootKey,
    root,
    admin,
    creditSource,
    issuer: {
      uscc: issuerUscc,
      name: `${name} Market Supervision Bureau`,
      region: code,
      key: issuerKey,
      certificate,
      clerk,
    },
  };
}

export async function createHubFixture(): Promise<HubFixture> {
  const hubCa = await createFabricCa({ mspId: 'HubMSP', commonName: 'ca.hub' });
  const hubAdmin = await issueFabricIdentity(hubCa, {
    mspId: 'HubMSP',
    enrollmentId: 'hub-admin',
    ou: 'admin',
    attrs: { role: 'hub-admin' },
  });
  const wuhan = await createRegion('420100', 'Wuhan', 'WuhanMSP', makeUscc('11420100MB0000001'));
  const guangde = await createRegion('341882', 'Guangde', 'GuangdeMSP', makeUscc('11341882MB0000002'));
  const bankCa = await createFabricCa({ mspId: 'BankMSP', commonName: 'ca.bank' });
  const bank = await issueFabricIdentity(bankCa, { mspId: 'BankMSP', enrollmentId: 'bank-1', attrs: { role: 'bank' } });
  const verifier = await issueFabricIdentity(wuhan.ca, {
    mspId: 'WuhanMSP',
    enrollmentId: 'verifier-1',
    attrs: { role: 'verifier', region: '420100' },
  });
  const auditAnchor = await issueFabricIdentity(hubCa, {
    mspId: 'HubMSP',
    enrollmentId: 'gateway-audit',
    attrs: { role: 'audit-anchor' },
  });
  const organizations = [
    { mspId: 'HubMSP', rootCertificatePems: [hubCa.certificatePem] },
    { mspId: wuhan.mspId, rootCertificatePems: [wuhan.ca.certificatePem] },
    { mspId: guangde.mspId, rootCertificatePems: [guangde.ca.certificatePem] },
    { mspId: 'BankMSP', rootCertificatePems: [bankCa.certificatePem] },
  ];
  const enterprise = makeUscc('91420100MA4K00001');
  return { hubCa, hubAdmin, wuhan, guangde, bank, verifier, auditAnchor, enterprise, organizations };
}

/** Registers the fixture's hub, regions, types and issuers (with their signing certificates) on a ledger. */
export async function seedRegistry(ledger: Ledger, hub: HubFixture): Promise<void> {
  await ledger.submit(hub.hubAdmin, { contract: 'registry', fn: 'initHub' });
  for (const region of [hub.wuhan, hub.guangde]) {
    await ledger.submit(hub.hubAdmin, {
      contract: 'registry',
      fn: 'addRegion',
      args: [region.code, region.name, region.mspId, region.root.pem],
    });
  }
  await ledger.submit(hub.hubAdmin, {
    contract: 'registry',
    fn: 'addLicenseType',
    args: [BUSINESS_LICENSE, 'Business licence', '001'],
  });
  await ledger.submit(hub.hubAdmin, {
    contract: 'registry',
    fn: 'addLicenseType',
    args: [PERSONAL_PERMIT, 'Practising permit', '111'],
  });
  for (const region of [hub.wuhan, hub.guangde]) {
    const issuer = region.issuer;
    await ledger.submit(region.admin, {
      contract: 'registry',
      fn: 'registerIssuer',
      args: [issuer.uscc, issuer.name, region.code, JSON.stringify([BUSINESS_LICENSE, PERSONAL_PERMIT])],
    });
    await ledger.submit(region.admin, {
      contract: 'registry',
      fn: 'addIssuerCertificate',
      args: [issuer.uscc, issuer.certificate.pem],
    });
  }
}

export interface SignedLicense {
  readonly licenseId: string;
  readonly document: Record<string, unknown>;
  readonly bytes: Uint8Array;
  readonly docHash: string;
  readonly signature: string;
  readonly holderRef: string;
}

export const HOLDER_REF_KEY = Buffer.from('test gateway holder-ref key 0001');

/** Builds and signs an e-license document (DESIGN.md §3) the way the gateway does, ready to anchor. */
export function signLicense(
  issuer: IssuerFixture,
  options: {
    serial: string;
    version?: number;
    previous?: string | null;
    typeCode?: string;
    holderId?: string;
    validFrom?: string;
    validUntil?: string | null;
    key?: Sm2PrivateKey;
  },
): SignedLicense {
  const typeCode = options.typeCode ?? BUSINESS_LICENSE;
  const version = options.version ?? 1;
  const licenseId = buildLicenseId({ typeCode, issuerUscc: issuer.uscc, serial: options.serial, version });
  const holderIdType = typeCode === PERSONAL_PERMIT ? '111' : '001';
  const holderId = options.holderId ?? (holderIdType === '001' ? '914403001922038216' : '11010519491231002X');
  const document = {
    licenseId,
    version,
    previous: options.previous ?? null,
    type: { code: typeCode, name: typeCode === PERSONAL_PERMIT ? 'Practising permit' : 'Business licence' },
    number: `No.${options.serial}`,
    name: 'Test licence',
    holder: { name: 'Holder', idType: holderIdType, id: holderId },
    issuer: { code: issuer.uscc, name: issuer.name, region: issuer.region },
    issuedOn: '2026-11-21',
    validFrom: options.validFrom ?? '2026-11-21',
    validUntil: options.validUntil === undefined ? '2031-11-20' : options.validUntil,
    fields: { scope: 'testing' },
  };
  const bytes = canonicalBytes(document);
  const signature = Buffer.from(sm2Sign(options.key ?? issuer.key, bytes)).toString('base64');
  const holderRef = holderIdType === '001' ? holderId : Buffer.from(hmacSm3(HOLDER_REF_KEY, holderId)).toString('hex');
  return { licenseId, document, bytes, docHash: sm3Hex(bytes), signature, holderRef };
}

/** The Ledger request that anchors a signed license (document as transient data, never in the block). */
export function anchorRequest(
  issuer: IssuerFixture,
  license: SignedLicense,
  fn = 'anchor',
  extra: Record<string, unknown> = {},
): { contract: string; fn: string; args: string[]; transient: Record<string, Uint8Array> } {
  return {
    contract: 'license',
    fn,
    args: [
      JSON.stringify({
        holderRef: license.holderRef,
        signature: license.signature,
        certificate: issuer.certificate.pem,
        ...extra,
      }),
    ],
    transient: { document: license.bytes },
  };
}

export interface SignedCreditRecord {
  /** The full record as kept off chain. */
  readonly content: Record<string, unknown>;
  readonly recordHash: string;
  /** The `anchorRecord` request: the hash, the chain's facts, the source's signature and certificate. */
  readonly request: Record<string, unknown>;
}

/** Builds a full credit record, hashes it (SM3 of its canonical bytes) and signs its header as the source does. */
export function signCreditRecord(
  source: IssuerFixture,
  facts: {
    subject: string;
    category: CreditCategory;
    severity: Severity;
    decisionDate: string;
    documentNumber?: string;
    extra?: Record<string, unknown>;
    key?: Sm2PrivateKey;
  },
): SignedCreditRecord {
  const content = {
    subject: facts.subject,
    category: facts.category,
    severity: facts.severity,
    decisionDate: facts.decisionDate,
    documentNumber: facts.documentNumber ?? `${source.name} [2026] No. 1`,
    authority: { name: source.name, code: source.uscc },
    content: { facts: 'test facts', legalBasis: 'test basis' },
  };
  const recordHash = sm3Hex(canonicalBytes(content));
  const header = {
    recordHash,
    subject: facts.subject,
    category: facts.category,
    severity: facts.severity,
    decisionDate: facts.decisionDate,
    source: source.uscc,
  };
  const signature = Buffer.from(sm2Sign(facts.key ?? source.key, creditSigningBytes(header))).toString('base64');
  return {
    content,
    recordHash,
    request: { ...header, signature, certificate: source.certificate.pem, ...facts.extra },
  };
}
