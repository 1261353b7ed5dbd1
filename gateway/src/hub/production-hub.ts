import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StoredRecordUnreadableError, type KeyStore } from '@certhub/certs-service';
import { contracts } from '@certhub/chaincode';
import { loadUsersFile } from '../auth/users-file';
import type { User } from '../auth/user';
import type { UserDirectory } from '../auth/user-directory';
import { ConfigError, DEFAULT_AUDIT_CONFIG, type AuditConfig, type ProductionInputs } from '../config';
import { createJsonLogger, type Logger } from '../http/logger';
import { EmbeddedLedger, type LedgerIdentity } from '../ledger';
import type { CreditDetailAccess } from '../services/credit-detail-access';
import { openGatewayStores } from '../services/gateway-stores';
import { LedgerIdentities } from '../services/identities';
import { assembleHub, type AssembledHub, type ImportOptions } from './assemble-hub';
import { HubFileError } from './errors';
import { loadHubFile, type HubBootstrap, type ProvidedKey } from './hub-file';
import { loadIdentitiesDirectory, type ProductionIdentities } from './identities-directory';
import {
  BootstrapActorMissingError,
  RegistryConflictError,
  bootstrapRegistry,
  type BootstrapActors,
} from './registry-bootstrap';

export interface ProductionHubOptions {
  /** Where level keeps the ledger and the gateway's stores. */
  readonly dataDir: string;
  /** The master key, users file, identities directory and hub file (config.ts checked they are all given). */
  readonly inputs: ProductionInputs;
  /** Clock for tx timestamps, issue dates and certificate validity at start-up (tests pin it). */
  readonly clock?: () => Date;
  readonly audit?: Partial<AuditConfig>;
  readonly logger?: Logger;
  readonly imports?: ImportOptions;
  readonly creditAccess?: CreditDetailAccess;
}

/** A production gateway's services over the embedded ledger; `close` releases the ledger and stores. */
export interface ProductionHub extends AssembledHub {
  readonly ledger: EmbeddedLedger;
  readonly users: UserDirectory;
  /** Registry transactions this start submitted from the hub file: 0 once the ledger has everything in it. */
  readonly seededTransactions: number;
}

/** Roles whose every write the chaincode accepts only from their region's MSP (rules/access.ts). */
const BOUND_TO_REGION_MSP: ReadonlySet<string> = new Set(['region-admin', 'clerk', 'credit-source', 'enterprise']);

/**
 * A user in a hub-file region but in another organisation than the region's would be refused by the ledger on every
 * write: refuse to start instead, naming both.
 */
function checkUsersAgainstRegions(users: readonly User[], hub: HubBootstrap, usersFile: string): void {
  const mspOf = new Map(hub.plan.regions.map((r) => [r.code, r.mspId]));
  for (const user of users) {
    if (user.region === null || !BOUND_TO_REGION_MSP.has(user.role)) continue;
    const mspId = mspOf.get(user.region);
    if (mspId !== undefined && mspId !== user.org) {
      throw new ConfigError(
        `${usersFile}: user ${user.id} is a ${user.role} of region ${user.region} in ${user.org}, but ${hub.file} makes ${mspId} that region's organisation: the ledger would refuse everything this user does`,
        { file: usersFile, userId: user.id },
      );
    }
  }
}

/**
 * Puts the hub file's keys into the key store, each once: a key already stored under its ID is kept if it is the same
 * key. A key whose file was removed after an earlier start must be in the store already. Also proves the master key
 * opens the store: a wrong CERTHUB_MASTER_KEY stops the start here rather than failing the first signature.
 */
async function importKeys(keys: KeyStore, provided: readonly ProvidedKey[], storeDir: string): Promise<void> {
  try {
    const [anyId] = await keys.listKeyIds();
    if (anyId !== undefined) await keys.getKey(anyId);
    for (const entry of provided) {
      const stored = (await keys.hasKey(entry.keyId)) ? await keys.getKey(entry.keyId) : undefined;
      if (entry.key !== undefined) {
        if (stored === undefined || !stored.publicKey.equals(entry.key.publicKey))
          await keys.putKey(entry.keyId, entry.key);
      } else if (stored === undefined || !stored.publicKey.equals(entry.certificate.publicKey)) {
        throw new HubFileError(
          `${entry.owner}: the key file ${entry.path} is missing and the key store holds no key for its certificate`,
          { file: entry.path, path: entry.path },
        );
      }
    }
  } catch (error) {
    if (error instanceof StoredRecordUnreadableError) {
      throw new ConfigError(
        `CERTHUB_MASTER_KEY does not open the key store in ${storeDir}: it was sealed with another key`,
        {
          name: 'CERTHUB_MASTER_KEY',
        },
      );
    }
    throw error;
  }
}

/** The hub admin and region admins of the users file, with their identities, as the bootstrap's actors. */
function bootstrapActors(users: readonly User[], identities: ProductionIdentities, hub: HubBootstrap): BootstrapActors {
  const identityOf = (user: User): LedgerIdentity => {
    const identity = identities.identities[user.id];
    if (identity === undefined) throw new ConfigError(`user ${user.id} has no identity`, { userId: user.id });
    return identity;
  };
  const hubAdmin = users.find((u) => u.role === 'hub-admin');
  return {
    reader: identities.service,
    hubAdmin: hubAdmin === undefined ? undefined : identityOf(hubAdmin),
    regionAdmin(region) {
      const mspId = hub.plan.regions.find((r) => r.code === region)?.mspId;
      const admin = users.find((u) => u.role === 'region-admin' && u.region === region && u.org === mspId);
      if (admin === undefined) {
        throw new BootstrapActorMissingError(
          `registering the hub file's issuers of region ${region} needs a region-admin of that region in the users file`,
          { region },
        );
      }
      return identityOf(admin);
    },
  };
}

/**
 * PRODUCTION: checks every piece of the operator's material (users file, identities, hub file, master key) and refuses
 * to start on the first that is missing or does not fit; opens the embedded ledger admitting the identities'
 * organisations; submits the part of the hub file the ledger does not have yet, as the users file's hub admin and
 * region admins; and assembles the services exactly as the development hub does. Never generates a key or an identity.
 * @throws ConfigError (exit 2 from main.ts) naming the file, user or setting at fault
 */
export async function openProductionHub(options: ProductionHubOptions): Promise<ProductionHub> {
  const { inputs } = options;
  const now = options.clock?.() ?? new Date();
  const users = await loadUsersFile(inputs.usersFile);
  const identities = await loadIdentitiesDirectory(inputs.identitiesDir, users.users, now);
  const hub = await loadHubFile(inputs.hubFile, now);
  checkUsersAgainstRegions(users.users, hub, inputs.usersFile);

  await mkdir(options.dataDir, { recursive: true });
  const storeDir = join(options.dataDir, 'gateway');
  const stores = await openGatewayStores(storeDir, inputs.masterKey);
  let ledger: EmbeddedLedger | undefined;
  try {
    await importKeys(stores.keys, hub.keys, storeDir);
    ledger = await EmbeddedLedger.open({
      dataDir: join(options.dataDir, 'ledger'),
      contracts,
      organizations: identities.organizations,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    let submitted: number;
    try {
      ({ submitted } = await bootstrapRegistry(ledger, hub.plan, bootstrapActors(users.users, identities, hub)));
    } catch (error) {
      if (error instanceof RegistryConflictError || error instanceof BootstrapActorMissingError) {
        throw new HubFileError(`${hub.file}: ${error.message}`, { file: hub.file }, { cause: error });
      }
      throw error;
    }
    const assembled = await assembleHub({
      ledger,
      stores,
      identities: new LedgerIdentities(identities.identities, identities.service),
      serviceIdentity: identities.service,
      auditIdentity: identities.audit,
      users,
      masterKey: inputs.masterKey,
      // Enterprises sign their own consents (or their registration authority records them): the gateway holds no
      // enterprise keys in production.
      enterpriseCertificates: {},
      logger: options.logger ?? createJsonLogger('silent'),
      audit: { ...DEFAULT_AUDIT_CONFIG, ...options.audit },
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.imports === undefined ? {} : { imports: options.imports }),
      ...(options.creditAccess === undefined ? {} : { creditAccess: options.creditAccess }),
    });
    return { ...assembled, ledger, users, seededTransactions: submitted };
  } catch (error) {
    await ledger?.close();
    await stores.close();
    throw error;
  }
}
