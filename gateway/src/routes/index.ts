import { Router } from 'express';
import type { TokenLookup } from '../auth';
import type { ImportJobs } from '../jobs/import-jobs';
import type { CreditDetailAccess } from '../services/credit-detail-access';
import type { CreditProfiles } from '../services/credit-profiles';
import type { CreditRecords } from '../services/credit-records';
import type { EnterpriseLicenses } from '../services/enterprise-licenses';
import type { IssuerAdministration } from '../services/issuer-administration';
import type { LicenseService } from '../services/license-service';
import type { AccessLogService } from '../services/access-log-service';
import type { ConsentService } from '../services/consent-service';
import type { RecognitionService } from '../services/recognition-service';
import type { RegistryService } from '../services/registry-service';
import type { Verifier } from '../verification/verifier';
import { accountRouter } from './account';
import { consentsRouter } from './consents';
import { creditRouter } from './credit';
import { jobsRouter } from './jobs';
import { enterprisesRouter } from './enterprises';
import { issuersRouter } from './issuers';
import { licensesRouter } from './licenses';
import { recognitionsRouter } from './recognitions';
import { verifyRouter } from './verify';

export * from './declared-route';

/** What the /v1 routes are built from. */
export interface ApiDeps {
  readonly users: TokenLookup;
  readonly registry: RegistryService;
  readonly licenses: LicenseService;
  readonly verifier: Verifier;
  /** Bulk import: POST /v1/licenses/batch and GET /v1/jobs/{jobId}. */
  readonly jobs: ImportJobs;
  readonly recognitions: RecognitionService;
  readonly issuers: IssuerAdministration;
  readonly enterprises: EnterpriseLicenses;
  /** Credit records (issue 6): writing by source departments, and profiles. */
  readonly creditRecords: CreditRecords;
  readonly creditProfiles: CreditProfiles;
  /** Whether a bank may see an enterprise's credit detail (its consent), and the audit log of each detailed query. */
  readonly creditAccess: CreditDetailAccess;
  /** Enterprises' consents for banks (grant, revoke, list) and the log of who looked at their credit detail. */
  readonly consents: ConsentService;
  readonly accessLog: AccessLogService;
}

/** Every /v1 route implemented so far, each mounted from its declaration in openapi/routes.ts. */
export function createApiRouter(deps: ApiDeps): Router {
  const router = Router();
  // The most frequent call first: each router before it costs every verification a path match per route it holds.
  router.use(verifyRouter(deps.users, deps.verifier));
  router.use(accountRouter(deps.users, deps.registry));
  // Before the license routes: /v1/licenses/batch must not be taken for a license ID.
  router.use(jobsRouter(deps.users, deps.jobs));
  router.use(licensesRouter(deps.users, deps.licenses));
  router.use(recognitionsRouter(deps.users, deps.recognitions));
  router.use(issuersRouter(deps.users, deps.issuers));
  router.use(enterprisesRouter(deps.users, deps.enterprises));
  router.use(
    creditRouter(deps.users, {
      records: deps.creditRecords,
      profiles: deps.creditProfiles,
      access: deps.creditAccess,
    }),
  );
  router.use(consentsRouter(deps.users, deps.consents, deps.accessLog));
  return router;
}
