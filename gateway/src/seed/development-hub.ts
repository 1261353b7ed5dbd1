import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { contracts } from '@certhub/chaincode';
import { AuditAnchoring, AuditHeadLedger, AuditLog } from '../audit';
import { developmentUserDirectory } from '../auth/development-users';
import { DEFAULT_AUDIT_CONFIG, type AuditConfig } from '../config';
import type { HealthCheck } from '../http/health';
import { createJsonLogger, type Logger } from '../http/logger';
import { ImportJobs, JobRunner, JobStore, type BatchLimits, type JobRunnerDeps } from '../jobs';
import { EmbeddedLedger } from '../ledger';
import type { ApiDeps } from '../routes';
import { openGatewayStores } from '../services/gateway-stores';
import { EnterpriseLicenses } from '../services/enterprise-licenses';
import type { CreditDetailAccess } from '../services/credit-detail-access';
import { CreditProfiles } from '../services/credit-profiles';
import { CreditRecords } from '../services/credit-records';
import { HolderRefs } from '../services/holder-ref';
import { LedgerIdentities } from '../services/identities';
import { IssuerAdministration } from '../services/issuer-administration';
import { IssuerCertificates } from '../services/issuer-certificates';
import { IssuerSigners } from '../services/issuer-signers';
import { LicenseService } from '../services/license-service';
import { RecognitionService } from '../services/recognition-service';
import { RegistryService } from '../services/registry-service';
import { SerialAllocator } from '../services/serial-allocator';
import { CertificateCache } from '../services/certificate-cache';
import { AccessLogService } from '../services/access-log-service';
import { ConsentService } from '../services/consent-service';
import { ConsentedDetailAccess } from '../services/consented-detail-access';
import { EnterpriseSigners } from '../services/enterprise-signers';
import { verificationSteps } from '../verification/steps';
import { Verifier } from '../verification/verifier';
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
  readonly imports?: {
    readonly limits?: BatchLimits;
    readonly batchSize?: number;
    readonly checkpoint?: JobRunnerDeps['checkpoint'];
  };
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
  readonly audit: { readonly log: AuditLog; readonly heads: AuditHeadLedger; readonly anchoring: AuditAnchoring };
  close(): Promise<void>;
}

/**
 * DEVELOPMENT MODE ONLY: opens (creating on first use) the stores, the development world and the embedded ledger in
 * `dataDir`, seeds the registry if it is not seeded yet, and builds the services the /v1 routes call.
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
    const identities = new LedgerIdentities(world.identities, service);
    const registry = new RegistryService(ledger, identities);
    // One cache for issuance and verification: both meet the same few issuer certificates and roots.
    const certificates = new CertificateCache();
    const signers = new IssuerSigners(stores.keys, certificates);
    // One allocator for single issuance and bulk import: each keeps its per-issuer order only within itself.
    const serials = new SerialAllocator(stores.serials);
    const holderRefs = new HolderRefs(masterKey);
    const licenses = new LicenseService({
      ledger,
      identities,
      registry,
      signers,
      stores,
      serials,
      holderRefs,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    const logger = options.logger ?? createJsonLogger('silent');
    const users = developmentUserDirectory();
    const jobStore = new JobStore(stores.jobs, stores.jobRequests);
    const jobs = new ImportJobs({
      store: jobStore,
      runner: new JobRunner({
        store: jobStore,
        users,
        documents: stores.documents,
        ledger,
        identities,
        registry,
        signers,
        serials,
        holderRefs,
        logger,
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        ...(options.imports?.checkpoint === undefined ? {} : { checkpoint: options.imports.checkpoint }),
      }),
      registry,
      signers,
      logger,
      ...(options.imports?.batchSize === undefined ? {} : { batchSize: options.imports.batchSize }),
      ...(options.imports?.limits === undefined ? {} : { limits: options.imports.limits }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    const verifier = new Verifier(
      verificationSteps({ ledger, identities, registry, licenses, certificates }),
      licenses,
      options.clock,
    );
    const issuers = new IssuerAdministration({
      ledger,
      identities,
      registry,
      certificates: new IssuerCertificates(stores.keys, certificates),
      keys: stores.keys,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    const creditRecords = new CreditRecords({
      ledger,
      identities,
      registry,
      signers,
      stores,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    await seedDevelopmentCredit(creditRecords, stores.idempotency, options.clock ?? (() => new Date()));
    const creditProfiles = new CreditProfiles({
      ledger,
      identities,
      registry,
      certificates,
      creditRecords: stores.creditRecords,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    const consents = new ConsentService({
      ledger,
      identities,
      registry,
      signers: new EnterpriseSigners(stores.keys, world.enterpriseCertificates, certificates),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    const auditIdentity = world.identities[GATEWAY_AUDIT_USER];
    if (auditIdentity === undefined) throw new SeedError('the development world has no audit identity', {});
    const auditConfig = { ...DEFAULT_AUDIT_CONFIG, ...options.audit };
    const auditLog = await AuditLog.open(stores.audit, options.clock === undefined ? {} : { clock: options.clock });
    const auditHeads = new AuditHeadLedger(ledger, auditIdentity, auditConfig.logId);
    const anchoring = new AuditAnchoring(auditLog, auditHeads, {
      intervalMs: auditConfig.anchorIntervalMs,
      every: auditConfig.anchorEvery,
      onError: (error) => {
        logger.error('anchoring the audit log head failed; the next attempt retries', {
          logId: auditConfig.logId,
          error: error instanceof Error ? error.message : String(error),
        });
      },
    });
    // Anchors what a previous run appended but never anchored (e.g. it crashed in between).
    await anchoring.start();
    const openLedger = ledger;
    // Jobs a previous run left QUEUED or RUNNING continue in the background from their last persisted step.
    await jobs.resume();
    return {
      api: {
        users,
        registry,
        licenses,
        verifier,
        jobs,
        recognitions: new RecognitionService(ledger, identities, registry),
        issuers,
        enterprises: new EnterpriseLicenses(ledger, identities),
        creditRecords,
        creditProfiles,
        consents,
        accessLog: new AccessLogService(consents, auditLog, auditHeads, options.clock),
        creditAccess: options.creditAccess ?? new ConsentedDetailAccess(consents, auditLog),
      },
      ledger: openLedger,
      world,
      seededTransactions: submitted,
      audit: { log: auditLog, heads: auditHeads, anchoring },
      healthChecks: [
        {
          name: 'ledger',
          // A real query through the chaincode: proves the ledger is open and the registry readable.
          check: async () => {
            await openLedger.evaluate(service, { contract: 'registry', fn: 'listRegions' });
          },
        },
      ],
      close: async () => {
        // The import runner first: it finishes its step while the ledger and stores are still open.
        await jobs.stop();
        // Entries appended since the last anchor get anchored while the ledger is still open.
        await anchoring.close().catch((error: unknown) => {
          logger.error('anchoring the audit log head at close failed', {
            logId: auditConfig.logId,
            error: error instanceof Error ? error.message : String(error),
          });
        });
        await openLedger.close();
        await stores.close();
      },
    };
  } catch (error) {
    await ledger?.close();
    await stores.close();
    throw error;
  }
}
