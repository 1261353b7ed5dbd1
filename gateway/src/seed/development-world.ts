import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  EnvelopeError,
  KeyStore,
  Sm2Certificate,
  Sm2PrivateKey,
  createFabricCa,
  createRootCertificate,
  fabricAttributesOf,
  issueFabricIdentity,
  issueIssuerCertificate,
  openEnvelope,
  sealEnvelope,
  type FabricCa,
  type FabricIdentity,
} from '@certhub/certs-service';
import { DEVELOPMENT_USERS } from '../auth/development-users';
import type { User } from '../auth/user';
import {
  GATEWAY_AUDIT_USER,
  GATEWAY_SERVICE_USER,
  SERVICE_IDENTITY_ATTRIBUTES,
  fabricAttributes,
  nodeOuOf,
  sameAttributes,
} from '../hub/identity-attributes';
import type { LedgerOrganization } from '../ledger';
import {
  BANK_MSP,
  DEVELOPMENT_CATALOG_ENTERPRISES,
  DEVELOPMENT_CATALOG_ISSUERS,
  DEVELOPMENT_CATALOG_REGIONS,
  HUB_MSP,
  type CatalogEnterprise,
} from './catalog';
import { SeedError } from './errors';
import { regionRootKeyId } from '../services/issuer-certificates';
import { issuerKeyId } from '../services/issuer-signers';
import { enterpriseKeyId } from '../services/enterprise-signers';

/*
 * DEVELOPMENT MODE ONLY: the key material of the demo world. Fabric CAs per organisation and one Fabric identity per
 * development user (plus the gateway's own, for anonymous queries) live in one SM4-sealed file; the regions' SM2 root
 * keys and the issuers' SM2 signing keys live in the KeyStore. Made once per data directory, then re-used, so a
 * restart keeps every identity, certificate and key the ledger already knows.
 */

export const DEVELOPMENT_WORLD_FILE = 'development-world.sealed';
const WORLD_AAD = new TextEncoder().encode('certhub:development-world:v1');

export { GATEWAY_AUDIT_USER, GATEWAY_SERVICE_USER, fabricAttributes };

/** The gateway's own identities in the hub MSP, by enrollment ID, with their Fabric CA attributes. */
const SERVICE_IDENTITIES = SERVICE_IDENTITY_ATTRIBUTES;

/** Where the region roots' keys live: the one key ID the issuer administration certifies new issuer keys with. */
export const rootKeyId = regionRootKeyId;

export interface DevelopmentWorld {
  readonly version: 1;
  readonly cas: Readonly<Record<string, FabricCa>>;
  /** Fabric identity by user ID (the enrollment ID the ledger records as actor). */
  readonly identities: Readonly<Record<string, FabricIdentity>>;
  /** Region code → PEM of its SM2 root CA. */
  readonly roots: Readonly<Record<string, string>>;
  /** Issuer USCC → PEM of its current SM2 signing certificate. */
  readonly issuerCertificates: Readonly<Record<string, string>>;
  /** Enterprise USCC → PEM of the certificate of the SM2 key the gateway holds for it (it signs consents). */
  readonly enterpriseCertificates: Readonly<Record<string, string>>;
}

/** The MSPs the ledger admits, with their CA certificates. */
export function worldOrganizations(world: DevelopmentWorld): LedgerOrganization[] {
  return Object.entries(world.cas).map(([mspId, ca]) => ({ mspId, rootCertificatePems: [ca.certificatePem] }));
}

function issueUserIdentity(cas: Readonly<Record<string, FabricCa>>, user: User): Promise<FabricIdentity> {
  const ca = cas[user.org];
  if (ca === undefined) throw new SeedError(`no organisation ${user.org} for user ${user.id}`, { userId: user.id });
  return issueFabricIdentity(ca, {
    mspId: user.org,
    enrollmentId: user.id,
    ou: nodeOuOf(user.role),
    attrs: fabricAttributes(user),
  });
}

function issueServiceIdentity(
  cas: Readonly<Record<string, FabricCa>>,
  enrollmentId: string,
  attrs: Readonly<Record<string, string>>,
): Promise<FabricIdentity> {
  const hubCa = cas[HUB_MSP];
  if (hubCa === undefined) throw new SeedError('no hub CA', {});
  return issueFabricIdentity(hubCa, { mspId: HUB_MSP, enrollmentId, attrs: { ...attrs } });
}

/**
 * Development users added, or whose attributes changed (e.g. the credit source gained its `authority`), since the world
 * was made get a fresh Fabric identity from their organisation's CA, so an old data directory keeps working; the
 * ledger admits them because it trusts the CA, not individual certificates. Undefined when nothing changed.
 */
async function refreshedIdentities(world: DevelopmentWorld): Promise<DevelopmentWorld | undefined> {
  const identities: Record<string, FabricIdentity> = { ...world.identities };
  let changed = false;
  for (const { user } of DEVELOPMENT_USERS) {
    const current = identities[user.id];
    if (current !== undefined && sameAttributes(fabricAttributesOf(current.certificatePem), fabricAttributes(user))) {
      continue;
    }
    identities[user.id] = await issueUserIdentity(world.cas, user);
    changed = true;
  }
  for (const [id, attrs] of Object.entries(SERVICE_IDENTITIES)) {
    const current = identities[id];
    if (current !== undefined && sameAttributes(fabricAttributesOf(current.certificatePem), attrs)) continue;
    identities[id] = await issueServiceIdentity(world.cas, id, attrs);
    changed = true;
  }
  return changed ? { ...world, identities } : undefined;
}

async function createWorld(keys: KeyStore): Promise<DevelopmentWorld> {
  const cas: Record<string, FabricCa> = {};
  const msps = [HUB_MSP, ...DEVELOPMENT_CATALOG_REGIONS.map((r) => r.mspId), BANK_MSP];
  for (const mspId of msps) cas[mspId] = await createFabricCa({ mspId, commonName: `ca.${mspId.toLowerCase()}` });

  const identities: Record<string, FabricIdentity> = {};
  for (const { user } of DEVELOPMENT_USERS) identities[user.id] = await issueUserIdentity(cas, user);
  for (const [id, attrs] of Object.entries(SERVICE_IDENTITIES))
    identities[id] = await issueServiceIdentity(cas, id, attrs);

  const roots: Record<string, string> = {};
  const rootKeys = new Map<string, { key: Sm2PrivateKey; certificate: Sm2Certificate }>();
  for (const region of DEVELOPMENT_CATALOG_REGIONS) {
    const key = Sm2PrivateKey.generate();
    const certificate = await createRootCertificate({
      subject: `CN=${region.name} 电子证照根CA,O=${region.name},C=CN`,
      key,
    });
    await keys.putKey(rootKeyId(region.code), key);
    roots[region.code] = certificate.pem;
    rootKeys.set(region.code, { key, certificate });
  }

  const issuerCertificates: Record<string, string> = {};
  for (const issuer of DEVELOPMENT_CATALOG_ISSUERS) {
    const root = rootKeys.get(issuer.region);
    if (root === undefined) throw new SeedError(`no root for region ${issuer.region}`, { region: issuer.region });
    const key = Sm2PrivateKey.generate();
    const certificate = await issueIssuerCertificate({
      caKey: root.key,
      caCertificate: root.certificate,
      publicKey: key.publicKey,
      subject: `CN=${issuer.name},C=CN`,
      uscc: issuer.code,
    });
    await keys.putKey(issuerKeyId(issuer.code), key);
    issuerCertificates[issuer.code] = certificate.pem;
  }
  const enterpriseCertificates: Record<string, string> = {};
  for (const enterprise of DEVELOPMENT_CATALOG_ENTERPRISES) {
    const root = rootKeys.get(enterprise.region);
    if (root === undefined)
      throw new SeedError(`no root for region ${enterprise.region}`, { region: enterprise.region });
    enterpriseCertificates[enterprise.code] = await issueEnterpriseKey(keys, enterprise, root.key, root.certificate);
  }
  return { version: 1, cas, identities, roots, issuerCertificates, enterpriseCertificates };
}

/** An enterprise's SM2 key (into the KeyStore) and its certificate from its region's root; returns the PEM. */
async function issueEnterpriseKey(
  keys: KeyStore,
  enterprise: CatalogEnterprise,
  rootKey: Sm2PrivateKey,
  root: Sm2Certificate,
): Promise<string> {
  const key = Sm2PrivateKey.generate();
  const certificate = await issueIssuerCertificate({
    caKey: rootKey,
    caCertificate: root,
    publicKey: key.publicKey,
    subject: `CN=${enterprise.name},C=CN`,
    uscc: enterprise.code,
  });
  await keys.putKey(enterpriseKeyId(enterprise.code), key);
  return certificate.pem;
}

/**
 * Development enterprises added since the world was made (a world from before consents has none) get their key and
 * certificate from the region root the KeyStore already holds. Undefined when nothing changed.
 */
async function withEnterpriseKeys(world: DevelopmentWorld, keys: KeyStore): Promise<DevelopmentWorld | undefined> {
  const stored = (world as Partial<DevelopmentWorld>).enterpriseCertificates ?? {};
  const enterpriseCertificates: Record<string, string> = { ...stored };
  for (const enterprise of DEVELOPMENT_CATALOG_ENTERPRISES) {
    if (enterpriseCertificates[enterprise.code] !== undefined) continue;
    const rootPem = world.roots[enterprise.region];
    if (rootPem === undefined)
      throw new SeedError(`no root for region ${enterprise.region}`, { region: enterprise.region });
    const rootKey = await keys.getKey(rootKeyId(enterprise.region));
    enterpriseCertificates[enterprise.code] = await issueEnterpriseKey(
      keys,
      enterprise,
      rootKey,
      Sm2Certificate.fromPem(rootPem),
    );
  }
  return Object.keys(enterpriseCertificates).length === Object.keys(stored).length
    ? undefined
    : { ...world, enterpriseCertificates };
}

/**
 * Reads the development world of `dataDir`, or makes it (and its keys in `keys`) on the first start. The file is
 * written whole and renamed into place, so a crash mid-way leaves either no world (made again) or a complete one.
 * @throws SeedError if the file exists but does not open under this master key
 */
export async function loadOrCreateDevelopmentWorld(
  dataDir: string,
  masterKey: Uint8Array,
  keys: KeyStore,
): Promise<{ world: DevelopmentWorld; created: boolean }> {
  const path = join(dataDir, DEVELOPMENT_WORLD_FILE);
  let sealed: Buffer | undefined;
  try {
    sealed = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (sealed !== undefined) {
    let world: DevelopmentWorld;
    try {
      world = JSON.parse(Buffer.from(openEnvelope(masterKey, sealed, WORLD_AAD)).toString('utf8')) as DevelopmentWorld;
    } catch (error) {
      if (error instanceof EnvelopeError) {
        throw new SeedError(`${path} does not open with this master key (or was changed)`, { path }, { cause: error });
      }
      throw error;
    }
    const withIdentities = await refreshedIdentities(world);
    const refreshed = (await withEnterpriseKeys(withIdentities ?? world, keys)) ?? withIdentities;
    if (refreshed === undefined) return { world, created: false };
    await writeDevelopmentWorld(dataDir, masterKey, refreshed);
    return { world: refreshed, created: false };
  }
  const world = await createWorld(keys);
  await writeDevelopmentWorld(dataDir, masterKey, world);
  return { world, created: true };
}

/** Seals the world into `dataDir`, written whole and renamed into place. */
export async function writeDevelopmentWorld(
  dataDir: string,
  masterKey: Uint8Array,
  world: DevelopmentWorld,
): Promise<void> {
  const path = join(dataDir, DEVELOPMENT_WORLD_FILE);
  const temporary = `${path}.tmp`;
  await writeFile(temporary, sealEnvelope(masterKey, Buffer.from(JSON.stringify(world)), WORLD_AAD), { mode: 0o600 });
  await rename(temporary, path);
}
