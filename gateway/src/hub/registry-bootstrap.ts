import { CertHubError, Sm2Certificate } from '@certhub/certs-service';
import { ChaincodeError, type Ledger, type LedgerIdentity } from '../ledger';

/*
 * What a hub puts on the ledger before anyone can work: the hub itself, its regions with their SM2 roots, the license
 * types, and the first issuers with their signing certificates. The development seed and the production hub file both
 * describe it as a RegistryPlan; bootstrapRegistry submits what the ledger does not have yet, so a restart submits
 * nothing and a run interrupted half-way completes on the next start.
 */

export interface PlannedRegion {
  readonly code: string;
  readonly name: string;
  readonly mspId: string;
  readonly rootCertificatePem: string;
}

export interface PlannedLicenseType {
  readonly code: string;
  readonly name: string;
  readonly holderIdType: '001' | '111';
}

/** A department registered in its region: an issuer of licenses, a credit source, or both. */
export interface PlannedIssuer {
  readonly code: string;
  readonly name: string;
  readonly region: string;
  readonly licenseTypes: readonly string[];
  /** PEMs of its SM2 signing certificates, each registered unless the ledger has it. */
  readonly certificatePems: readonly string[];
}

export interface RegistryPlan {
  readonly regions: readonly PlannedRegion[];
  readonly licenseTypes: readonly PlannedLicenseType[];
  readonly issuers: readonly PlannedIssuer[];
}

/**
 * Who acts: each write by the identity the chaincode requires (the hub admin, the issuer's region admin), so the
 * bootstrap passes the same access rules as any other caller. Asked only when a write is due: a hub whose registry is
 * complete starts without them.
 */
export interface BootstrapActors {
  /** Reads what the ledger has. */
  readonly reader: LedgerIdentity;
  /** The hub admin, or undefined when there is none (initHub is then skipped: regions need one anyway). */
  readonly hubAdmin: LedgerIdentity | undefined;
  /** The admin of a region; throws when there is none. */
  regionAdmin(region: string): LedgerIdentity;
}

/** How many registry transactions a bootstrap run submitted (0 on a restart over a complete registry). */
export interface LedgerSeedReport {
  readonly submitted: number;
}

/** The ledger holds a region under the plan's code with another MSP or root: the plan and the ledger disagree. */
export class RegistryConflictError extends CertHubError {
  readonly code = 'REGISTRY_CONFLICT';
}

/** A write is due but no identity may make it (e.g. no hub admin to add a region). */
export class BootstrapActorMissingError extends CertHubError {
  readonly code = 'BOOTSTRAP_ACTOR_MISSING';
}

/** Whether a query finds its record: undefined on the chaincode's NOT_FOUND, anything else propagates. */
async function find(
  ledger: Ledger,
  identity: LedgerIdentity,
  fn: string,
  key: string,
): Promise<Uint8Array | undefined> {
  try {
    return await ledger.evaluate(identity, { contract: 'registry', fn, args: [key] });
  } catch (error) {
    if (error instanceof ChaincodeError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

const parse = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

/**
 * Submits the part of `plan` the ledger does not have yet. A region the ledger already holds must have the plan's MSP
 * and root; a license type or issuer it already holds is left as it is (later changes are the admins' business through
 * the API), except that an issuer's planned certificates are added if missing.
 * @throws RegistryConflictError if a region on chain differs from the plan; BootstrapActorMissingError if a write is
 *   due and nobody may make it; ChaincodeError if the chaincode refuses a write
 */
export async function bootstrapRegistry(
  ledger: Ledger,
  plan: RegistryPlan,
  actors: BootstrapActors,
): Promise<LedgerSeedReport> {
  let submitted = 0;
  const submit = async (identity: LedgerIdentity, fn: string, args: string[] = []): Promise<void> => {
    await ledger.submit(identity, { contract: 'registry', fn, args });
    submitted += 1;
  };
  const hubAdmin = (what: string): LedgerIdentity => {
    if (actors.hubAdmin === undefined) {
      throw new BootstrapActorMissingError(`no hub-admin user to ${what}`, { action: what });
    }
    return actors.hubAdmin;
  };

  if (actors.hubAdmin !== undefined) {
    try {
      await submit(actors.hubAdmin, 'initHub');
    } catch (error) {
      // initHub has no getter; ALREADY_EXISTS is how the chaincode says the hub is set up.
      if (!(error instanceof ChaincodeError && error.code === 'ALREADY_EXISTS')) throw error;
    }
  }
  for (const region of plan.regions) {
    const onChain = await find(ledger, actors.reader, 'getRegion', region.code);
    if (onChain === undefined) {
      await submit(hubAdmin(`add region ${region.code}`), 'addRegion', [
        region.code,
        region.name,
        region.mspId,
        region.rootCertificatePem,
      ]);
      continue;
    }
    const registered = parse(onChain) as { mspId: string; rootFingerprint: string };
    const fingerprint = Sm2Certificate.fromPem(region.rootCertificatePem).fingerprint();
    if (registered.mspId !== region.mspId || registered.rootFingerprint !== fingerprint) {
      throw new RegistryConflictError(
        `region ${region.code} is on the ledger with ${registered.mspId !== region.mspId ? `MSP ${registered.mspId}, not ${region.mspId}` : 'another root certificate'}`,
        { region: region.code, mspId: registered.mspId, rootFingerprint: registered.rootFingerprint },
      );
    }
  }
  for (const type of plan.licenseTypes) {
    if ((await find(ledger, actors.reader, 'getLicenseType', type.code)) !== undefined) continue;
    await submit(hubAdmin(`add license type ${type.code}`), 'addLicenseType', [
      type.code,
      type.name,
      type.holderIdType,
    ]);
  }
  for (const issuer of plan.issuers) {
    let record = await find(ledger, actors.reader, 'getIssuer', issuer.code);
    if (record === undefined) {
      await submit(actors.regionAdmin(issuer.region), 'registerIssuer', [
        issuer.code,
        issuer.name,
        issuer.region,
        JSON.stringify(issuer.licenseTypes),
      ]);
      record = await ledger.evaluate(actors.reader, { contract: 'registry', fn: 'getIssuer', args: [issuer.code] });
    }
    const registered = parse(record) as { certificates: readonly { fingerprint: string }[] };
    for (const pem of issuer.certificatePems) {
      const fingerprint = Sm2Certificate.fromPem(pem).fingerprint();
      if (registered.certificates.some((c) => c.fingerprint === fingerprint)) continue;
      await submit(actors.regionAdmin(issuer.region), 'addIssuerCertificate', [issuer.code, pem]);
    }
  }
  return { submitted };
}
