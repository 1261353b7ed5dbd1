import { AuditAnchoring, AuditHeadLedger, AuditLog } from '../audit';
import type { UserDirectory } from '../auth/user-directory';
import type { AuditConfig } from '../config';
import type { HealthCheck } from '../http/health';
import type { Logger } from '../http/logger';
import { ImportJobs, JobRunner, JobStore, type BatchLimits, type JobRunnerDeps } from '../jobs';
import type { Ledger, LedgerIdentity } from '../ledger';
import type { ApiDeps } from '../routes';
import { AccessLogService } from '../services/access-log-service';
import { CertificateCache } from '../services/certificate-cache';
import { ConsentService } from '../services/consent-service';
import { ConsentedDetailAccess } from '../services/consented-detail-access';
import type { CreditDetailAccess } from '../services/credit-detail-access';
import { CreditProfiles } from '../services/credit-profiles';
import { CreditRecords } from '../services/credit-records';
import { EnterpriseLicenses } from '../services/enterprise-licenses';
import { EnterpriseSigners } from '../services/enterprise-signers';
import type { GatewayStores } from '../services/gateway-stores';
import { HolderRefs } from '../services/holder-ref';
import type { LedgerIdentities } from '../services/identities';
import { IssuerAdministration } from '../services/issuer-administration';
import { IssuerCertificates } from '../services/issuer-certificates';
import { IssuerSigners } from '../services/issuer-signers';
import { LicenseService } from '../services/license-service';
import { RecognitionService } from '../services/recognition-service';
import { RegistryService } from '../services/registry-service';
import { SerialAllocator } from '../services/serial-allocator';
import { verificationSteps } from '../verification/steps';
import { Verifier } from '../verification/verifier';

/*
 * The one place the gateway's services are wired together. The development hub and the production hub differ only in
 * where their inputs come from (a generated demo world or operator-provided material); both call assembleHub, so the
 * two modes can never wire a service differently.
 */

/** Bulk import settings: request limits (from the configuration), items per batch, and a test checkpoint. */
export interface ImportOptions {
  readonly limits?: BatchLimits;
  readonly batchSize?: number;
  readonly checkpoint?: JobRunnerDeps['checkpoint'];
}

export interface HubInputs {
  /** The open ledger; from a successful return on, the hub owns it and closes it in `close`. */
  readonly ledger: Ledger;
  /** The open gateway stores; owned by the hub like the ledger. */
  readonly stores: GatewayStores;
  /** Each user's own Fabric identity, and the gateway's for anonymous queries. */
  readonly identities: LedgerIdentities;
  /** The gateway's query identity: the health check reads the registry with it. */
  readonly serviceIdentity: LedgerIdentity;
  /** The gateway's audit identity (role audit-anchor of the hub MSP): it anchors the audit log's heads. */
  readonly auditIdentity: LedgerIdentity;
  readonly users: UserDirectory;
  /** The SM4 master key: also keys the HMAC-SM3 of person holders' ID numbers (holderRef). */
  readonly masterKey: Uint8Array;
  /** Enterprise USCC → PEM of the certificate of the SM2 key the KeyStore holds for it (it signs consents). */
  readonly enterpriseCertificates: Readonly<Record<string, string>>;
  readonly logger: Logger;
  readonly audit: AuditConfig;
  /** Clock for tx timestamps and issue dates (tests pin it); default the system clock. */
  readonly clock?: () => Date;
  readonly imports?: ImportOptions;
  /** Who decides whether a bank may see credit detail; default the ledger's consents and the audit log. */
  readonly creditAccess?: CreditDetailAccess;
  /**
   * Runs once the services exist, before the audit anchoring and import jobs start (the development hub seeds its demo
   * credit records here, through the same service as POST /v1/credit-records).
   */
  readonly beforeStart?: (api: ApiDeps) => Promise<void>;
}

/** The audit log of banks' detailed credit queries, its anchored heads and its anchoring schedule. */
export interface HubAudit {
  readonly log: AuditLog;
  readonly heads: AuditHeadLedger;
  readonly anchoring: AuditAnchoring;
}

export interface AssembledHub {
  readonly api: ApiDeps;
  readonly healthChecks: readonly HealthCheck[];
  readonly audit: HubAudit;
  /** Stops the import runner, anchors the audit log's pending entries, then closes the ledger and the stores. */
  close(): Promise<void>;
}

const optionalClock = (clock: (() => Date) | undefined): { clock?: () => Date } =>
  clock === undefined ? {} : { clock };

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Builds the services the /v1 routes call over an open ledger and stores, starts the audit anchoring (anchoring what a
 * previous run appended but never anchored) and resumes the import jobs a previous run left unfinished.
 * On a failure the ledger and stores stay open: the caller opened them and closes them.
 */
export async function assembleHub(inputs: HubInputs): Promise<AssembledHub> {
  const { ledger, stores, identities, users, logger, clock } = inputs;
  const registry = new RegistryService(ledger, identities);
  // One cache for issuance and verification: both meet the same few issuer certificates and roots.
  const certificates = new CertificateCache();
  const signers = new IssuerSigners(stores.keys, certificates);
  // One allocator for single issuance and bulk import: each keeps its per-issuer order only within itself.
  const serials = new SerialAllocator(stores.serials);
  const holderRefs = new HolderRefs(inputs.masterKey);
  const licenses = new LicenseService({
    ledger,
    identities,
    registry,
    signers,
    stores,
    serials,
    holderRefs,
    ...optionalClock(clock),
  });
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
      ...optionalClock(clock),
      ...(inputs.imports?.checkpoint === undefined ? {} : { checkpoint: inputs.imports.checkpoint }),
    }),
    registry,
    signers,
    logger,
    ...(inputs.imports?.batchSize === undefined ? {} : { batchSize: inputs.imports.batchSize }),
    ...(inputs.imports?.limits === undefined ? {} : { limits: inputs.imports.limits }),
    ...optionalClock(clock),
  });
  const verifier = new Verifier(
    verificationSteps({ ledger, identities, registry, licenses, certificates }),
    licenses,
    clock,
  );
  const issuers = new IssuerAdministration({
    ledger,
    identities,
    registry,
    certificates: new IssuerCertificates(stores.keys, certificates),
    keys: stores.keys,
    ...optionalClock(clock),
  });
  const creditRecords = new CreditRecords({ ledger, identities, registry, signers, stores, ...optionalClock(clock) });
  const creditProfiles = new CreditProfiles({
    ledger,
    identities,
    registry,
    certificates,
    creditRecords: stores.creditRecords,
    ...optionalClock(clock),
  });
  const consents = new ConsentService({
    ledger,
    identities,
    registry,
    signers: new EnterpriseSigners(stores.keys, inputs.enterpriseCertificates, certificates),
    ...optionalClock(clock),
  });
  const auditLog = await AuditLog.open(stores.audit, optionalClock(clock));
  const auditHeads = new AuditHeadLedger(ledger, inputs.auditIdentity, inputs.audit.logId);
  const anchoring = new AuditAnchoring(auditLog, auditHeads, {
    intervalMs: inputs.audit.anchorIntervalMs,
    every: inputs.audit.anchorEvery,
    onError: (error) => {
      logger.error('anchoring the audit log head failed; the next attempt retries', {
        logId: inputs.audit.logId,
        error: describe(error),
      });
    },
  });
  const api: ApiDeps = {
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
    accessLog: new AccessLogService(consents, auditLog, auditHeads, clock),
    creditAccess: inputs.creditAccess ?? new ConsentedDetailAccess(consents, auditLog),
  };
  await inputs.beforeStart?.(api);
  try {
    // Anchors what a previous run appended but never anchored (e.g. it crashed in between).
    await anchoring.start();
    // Jobs a previous run left QUEUED or RUNNING continue in the background from their last persisted step.
    await jobs.resume();
  } catch (error) {
    // Nothing may keep running on a ledger and stores the caller is about to close.
    await jobs.stop();
    await anchoring.close().catch(() => undefined);
    throw error;
  }
  const service = inputs.serviceIdentity;
  return {
    api,
    audit: { log: auditLog, heads: auditHeads, anchoring },
    healthChecks: [
      {
        name: 'ledger',
        // A real query through the chaincode: proves the ledger is open and the registry readable.
        check: async () => {
          await ledger.evaluate(service, { contract: 'registry', fn: 'listRegions' });
        },
      },
    ],
    close: async () => {
      // The import runner first: it finishes its step while the ledger and stores are still open.
      await jobs.stop();
      // Entries appended since the last anchor get anchored while the ledger is still open.
      await anchoring.close().catch((error: unknown) => {
        logger.error('anchoring the audit log head at close failed', {
          logId: inputs.audit.logId,
          error: describe(error),
        });
      });
      await ledger.close();
      await stores.close();
    },
  };
}
