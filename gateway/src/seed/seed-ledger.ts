import { DEVELOPMENT_USERS } from '../auth/development-users';
import { bootstrapRegistry, type LedgerSeedReport, type RegistryPlan } from '../hub/registry-bootstrap';
import { GATEWAY_SERVICE_USER } from '../hub/identity-attributes';
import type { Ledger, LedgerIdentity } from '../ledger';
import { DEVELOPMENT_CATALOG_ISSUERS, DEVELOPMENT_CATALOG_REGIONS, DEVELOPMENT_LICENSE_TYPES } from './catalog';
import type { DevelopmentWorld } from './development-world';
import { SeedError } from './errors';

export type { LedgerSeedReport };

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

/** The development catalog as a registry plan, with the world's roots and issuer certificates. */
export function developmentRegistryPlan(world: DevelopmentWorld): RegistryPlan {
  return {
    regions: DEVELOPMENT_CATALOG_REGIONS.map((region) => {
      const root = world.roots[region.code];
      if (root === undefined) throw new SeedError(`no root CA for region ${region.code}`, { region: region.code });
      return { ...region, rootCertificatePem: root };
    }),
    licenseTypes: DEVELOPMENT_LICENSE_TYPES,
    issuers: DEVELOPMENT_CATALOG_ISSUERS.map((issuer) => {
      const pem = world.issuerCertificates[issuer.code];
      if (pem === undefined) throw new SeedError(`no certificate for issuer ${issuer.code}`, { issuer: issuer.code });
      return { ...issuer, certificatePems: [pem] };
    }),
  };
}

/**
 * DEVELOPMENT MODE ONLY: registers the world's hub, regions (with their SM2 roots), license types and issuers (with
 * their signing certificates) on the ledger, each only if the ledger does not have it yet (bootstrapRegistry, as the
 * production hub does with its hub file), as the development hub admin and region admins.
 */
export async function seedDevelopmentLedger(ledger: Ledger, world: DevelopmentWorld): Promise<LedgerSeedReport> {
  return bootstrapRegistry(ledger, developmentRegistryPlan(world), {
    reader: identityOf(world, GATEWAY_SERVICE_USER),
    hubAdmin: identityOf(world, 'hub-admin'),
    regionAdmin: (region) => adminOf(world, region),
  });
}
