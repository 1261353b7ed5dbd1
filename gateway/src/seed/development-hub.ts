import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { contracts } from '@certhub/chaincode';
import { developmentUserDirectory } from '../auth/development-users';
import { DEFAULT_AUDIT_CONFIG, type AuditConfig } from '../config';
import type { HealthCheck } from '../http/health';
import { createJsonLogger, type Logger } from '../http/logger';
import { assembleHub, type HubAudit, type ImportOptions } from '../hub/assemble-hub';
import { EmbeddedLedger } from '../ledger';
import type { ApiDeps } from '../routes';
import { openGatewayStores } from '../services/gateway-stores';
import type { CreditDetailAccess } from '../services/credit-detail-access';
import { LedgerIdentities } from '../services/identities';
import {
  GATEWAY_AUDIT_USER,
  GATEWAY_SERVICE_USER,
  loadOrCreateDevelopmentWorld,
  worldOrganizations,
  type DevelopmentWorld,
} from './development-world';
import { loadOrCreateDevelopmentMasterKey } from './master-key';
import { seedDevelopmentLedger } from './seed-ledger';
import { seedDevelopmentCredit } from './seed-credit';
import { SeedError } from './errors';

export interface DevelopmentHubOptions {
  readonly dataDir: string;
  /** CERTHUB_MASTER_KEY if set; otherwise the data directory's own development key. */
  readonly masterKey?: Uint8Array;
  /** Clock for tx timestamps and issue dates (tests pin it). */
  readonly clock?: () => Date;
  /** The bank-query audit log's ID on chain and anchoring schedule (config.ts); defaults: DEFAULT_AUDIT_CONFIG. */
  readonly audit?: Partial<AuditConfig>;
  /**
   * Who decides whether a bank may see credit detail (consent) and logs the query; tests pass a hand-written one.
   * Default: the enterprises' consents on the ledger and the gateway's audit log (ConsentedDetailAccess).
   */
  readonly creditAccess?: CreditDetailAccess;
  /** Structured log (import job progress); default silent. */
  readonly logger?: Logger;
  /** Bulk import settings: request limits (from the configuration), items per batch, and a test checkpoint. */
  readonly imports?: ImportOptions;
}

/** Everything a development gateway runs on, opened and seeded; `close` releases the ledger and stores. */
export interface DevelopmentHub {
  readonly api: ApiDeps;
  readonly ledger: EmbeddedLedger;
  readonly world: DevelopmentWorld;
  readonly healthChecks: readonly HealthCheck[];
  /** Registry transactions this start submitted: 0 when the data directory was already seeded. */
  readonly seededTransactions: number;
  /** The audit log of banks' detailed credit queries, its anchored heads and its anchoring schedule. */
  readonly audit: HubAudit;
  close(): Promise<void>;
}

/**
 * DEVELOPMENT MODE ONLY: opens (creating on first use) the stores, the development world and the embedded ledger in
 * `dataDir`, seeds the registry if it is not seeded yet, and assembles the services the /v1 routes call (assembleHub,
 * exactly as the production hub does).
 */
export async function openDevelopmentHub(options: DevelopmentHubOptions): Promise<DevelopmentHub> {
  await mkdir(options.dataDir, { recursive: true });
  const masterKey = options.masterKey ?? (await loadOrCreateDevelopmentMasterKey(options.dataDir));
  const stores = await openGatewayStores(join(options.dataDir, 'gateway'), masterKey);
  let ledger: EmbeddedLedger | undefined;
  try {
    const { world } = await loadOrCreateDevelopmentWorld(options.dataDir, masterKey, stores.keys);
    ledger = await EmbeddedLedger.open({
      dataDir: join(options.dataDir, 'ledger'),
      contracts,
      organizations: worldOrganizations(world),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    const { submitted } = await seedDevelopmentLedger(ledger, world);
    const service = world.identities[GATEWAY_SERVICE_USER];
    if (service === undefined) throw new SeedError('the development world has no gateway identity', {});
    const auditIdentity = world.identities[GATEWAY_AUDIT_USER];
    if (auditIdentity === undefined) throw new SeedError('the development world has no audit identity', {});
    const clock = options.clock;
    const hub = await assembleHub({
      ledger,
      stores,
      identities: new LedgerIdentities(world.identities, service),
      serviceIdentity: service,
      auditIdentity,
      users: developmentUserDirectory(),
      masterKey,
      enterpriseCertificates: world.enterpriseCertificates,
      logger: options.logger ?? createJsonLogger('silent'),
      audit: { ...DEFAULT_AUDIT_CONFIG, ...options.audit },
      ...(clock === undefined ? {} : { clock }),
      ...(options.imports === undefined ? {} : { imports: options.imports }),
      ...(options.creditAccess === undefined ? {} : { creditAccess: options.creditAccess }),
      beforeStart: async (api) => {
        await seedDevelopmentCredit(api.creditRecords, stores.idempotency, clock ?? (() => new Date()));
      },
    });
    return { ...hub, ledger, world, seededTransactions: submitted };
  } catch (error) {
    await ledger?.close();
    await stores.close();
    throw error;
  }
}
