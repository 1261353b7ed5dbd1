import { Router } from 'express';
import { getCaller, type TokenLookup } from '../auth';
import { readBatchBody } from '../jobs/batch-body';
import type { ImportJobs } from '../jobs/import-jobs';
import { IdempotencyKey, validate } from '../schemas';
import { mountDeclared } from './declared-route';

/** Query `offset`/`limit`, already checked against JobQuery (digits only) by the declared route's validation. */
const pageOf = (query: Record<string, unknown>): { offset?: number; limit?: number } => ({
  ...(typeof query.offset === 'string' ? { offset: Number(query.offset) } : {}),
  ...(typeof query.limit === 'string' ? { limit: Number(query.limit) } : {}),
});

/** POST /v1/licenses/batch and GET /v1/jobs/{jobId}: bulk import as a job. */
export function jobsRouter(users: TokenLookup, jobs: ImportJobs): Router {
  const router = Router();

  mountDeclared(router, users, 'issueLicenseBatch', async (req, res) => {
    const caller = getCaller(res);
    const header = req.get('idempotency-key');
    const key = header === undefined ? undefined : validate(IdempotencyKey, header, 'headers');
    // Authenticated and authorised before a byte of the body is read.
    const entries = await readBatchBody(req, jobs.limits);
    const accepted = await jobs.submit(caller, entries, key);
    res.status(202).location(`/v1/jobs/${accepted.jobId}`).json({ jobId: accepted.jobId, total: accepted.total });
  });

  mountDeclared(router, users, 'getJob', async (req, res) => {
    const jobId = String(req.params.jobId);
    res.json(await jobs.get(getCaller(res), jobId, pageOf(req.query)));
  });

  return router;
}
