import { Sm2Certificate } from '@certhub/certs-service';
import { ChaincodeError, type Ledger, type LedgerIdentity } from '../ledger';
import { DEVELOPMENT_USERS } from '../auth/development-users';
import { DEVELOPMENT_CATALOG_ISSUERS, DEVELOPMENT_CATALOG_REGIONS, DEVELOPMENT_LICENSE_TYPES } from './catalog';
import type { DevelopmentWorld } from './development-world';
import { SeedError } from './errors';

/** How many registry transactions a seed run submitted (0 on a restart over a seeded ledger). */
export interface LedgerSeedReport {
  readonly submitted: number;
}

function identityOf(world: DevelopmentWorld, userId: string): LedgerIdentity {
  const identity = world.identities[userId];
  if (identity === undefined) throw new SeedError(`no Fabric identity for ${userId}`, { userId });
  return identity;
}

function adminOf(world: DevelopmentWorld, region: string): LedgerIdentity {
  const admin = DEVELOPMENT_USERS.find((u) => u.user.role === 'region-admin' && u.user.region === region);
  // Only regions with issuers need one; Huangshi has neither a development admin nor issuers.
  if (admin === undefined) throw new SeedError(`no development admin for region ${region}`, { region });
  return identityOf(world, admin.user.id);
}

/** Whether a query finds its record: false on the chaincode's NOT_FOUND, anything else propagates. */
async function exists(ledger: Ledger, identity: LedgerIdentity, contract: string, fn: string, args: string[]) {
  try {
    return await ledger.evaluate(identity, { contract, fn, args });
  } catch (error) {
    if (error instanceof ChaincodeError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * DEVELOPMENT MODE ONLY: registers the world's hub, regions (with their SM2 roots), license types and issuers (with
 * their signing certificates) on the ledger, each only if the ledger does not have it yet, so a restart submits
 * nothing and a run interrupted half-way completes on the next start. Each write is by the identity the chaincode
 * requires (hub admin, region admin), so the seed passes the same access rules as any other caller.
 */
export async function seedDevelopmentLedger(ledger: Ledger, world: DevelopmentWorld): Promise<LedgerSeedReport> {
  const hubAdmin = identityOf(world, 'hub-admin');
  let submitted = 0;
  const submit = async (identity: LedgerIdentity, contract: string, fn: string, args: string[] = []) => {
    await ledger.submit(identity, { contract, fn, args });
    submitted += 1;
  };

  try {
    await submit(hubAdmin, 'registry', 'initHub');
  } catch (error) {
    // initHub has no getter; ALREADY_EXISTS is how the chaincode says the hub is set up.
    if (!(error instanceof ChaincodeError && error.code === 'ALREADY_EXISTS')) throw error;
  }
  for (const region of DEVELOPMENT_CATALOG_REGIONS) {
    if ((await exists(ledger, hubAdmin, 'registry', 'getRegion', [region.code])) !== undefined) continue;
    const root = world.roots[region.code];
    if (root === undefined) throw new SeedError(`no root CA for region ${region.code}`, { region: region.code });
    await submit(hubAdmin, 'registry', 'addRegion', [region.code, region.name, region.mspId, root]);
  }
  for (const type of DEVELOPMENT_LICENSE_TYPES) {
    if ((await exists(ledger, hubAdmin, 'registry', 'getLicenseType', [type.code])) !== undefined) continue;
    await submit(hubAdmin, 'registry', 'addLicenseType', [type.code, type.name, type.holderIdType]);
  }
  for (const issuer of DEVELOPMENT_CATALOG_ISSUERS) {
    const admin = adminOf(world, issuer.region);
    let record = await exists(ledger, admin, 'registry', 'getIssuer', [issuer.code]);
    if (record === undefined) {
      await submit(admin, 'registry', 'registerIssuer', [
        issuer.code,
        issuer.name,
        issuer.region,
        JSON.stringify(issuer.licenseTypes),
      ]);
      record = await ledger.evaluate(admin, { contract: 'registry', fn: 'getIssuer', args: [issuer.code] });
    }
    const pem = world.issuerCertificates[issuer.code];
    if (pem === undefined) throw new SeedError(`no certificate for issuer ${issuer.code}`, { issuer: issuer.code });
    const fingerprint = Sm2Certificate.fromPem(pem).fingerprint();
    const registered = JSON.parse(Buffer.from(record).toString('utf8')) as {
      certificates: readonly { fingerprint: string }[];
    };
    if (!registered.certificates.some((c) => c.fingerprint === fingerprint)) {
      await submit(admin, 'registry', 'addIssuerCertificate', [issuer.code, pem]);
    }
  }
  return { submitted };
}
