import { randomUUID } from 'node:crypto';
import { sm3Hex } from '@certhub/certs-service';
import type { User } from '../auth/user';
import type { Logger } from '../http/logger';
import {
  JOB_PAGE_DEFAULT,
  JOB_PAGE_MAX,
  LicenseIssueRequest,
  MAX_BATCH_ITEMS,
  RequestValidationError,
  validationIssues,
} from '../schemas';
import { AccessDeniedError, IdempotencyConflictError } from '../services/errors';
import type { IssuerSigners } from '../services/issuer-signers';
import { issuerOfClerk } from '../services/license-documents';
import type { RegistryService } from '../services/registry-service';
import type { BatchEntry, BatchLimits } from './batch-entry';
import { JobNotFoundError } from './errors';
import type { JobRunner } from './job-runner';
import type { JobError, JobItemRecord, JobRecord, JobStatus, JobStore, StoredRequest } from './job-store';

/** Issue requests per batch, i.e. per Merkle root: large enough that the root's anchor is a small share of the work. */
export const DEFAULT_IMPORT_BATCH_SIZE = 500;

/**
 * Limits of one batch request unless configured: the published item maximum, 32 MiB (10,000 items of a few KiB
 * each), and 64 KiB per item — the chaincode's limit for one document, so a larger item could never be anchored.
 */
export const DEFAULT_BATCH_LIMITS: BatchLimits = {
  maxItems: MAX_BATCH_ITEMS,
  maxBytes: 32 * 1_048_576,
  maxItemBytes: 64 * 1024,
};

export interface ImportJobsDeps {
  readonly store: JobStore;
  readonly runner: JobRunner;
  readonly registry: RegistryService;
  readonly signers: IssuerSigners;
  readonly logger: Logger;
  /** Items per Merkle root (default DEFAULT_IMPORT_BATCH_SIZE). */
  readonly batchSize?: number;
  /** Limits of one request body (default DEFAULT_BATCH_LIMITS). */
  readonly limits?: BatchLimits;
  readonly clock?: () => Date;
}

/** What POST /v1/licenses/batch answers. */
export interface JobAcceptance {
  readonly jobId: string;
  readonly total: number;
  /** False when an Idempotency-Key repeat returned the job the first request created. */
  readonly created: boolean;
}

/** What GET /v1/jobs/{jobId} answers: the job and one page of its item results. */
export interface JobView {
  readonly jobId: string;
  readonly status: JobStatus;
  readonly total: number;
  readonly processed: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly error?: JobError;
  readonly offset: number;
  readonly limit: number;
  readonly items: readonly JobItemRecord[];
}

const ISSUES_IN_DETAIL = 10;

/** "pointer: message; …" of a failed item, the same wording a single POST /v1/licenses would give. */
function validationDetail(issues: readonly { pointer: string; message: string }[]): string {
  const shown = issues
    .slice(0, ISSUES_IN_DETAIL)
    .map((i) => `${i.pointer === '' ? '(root)' : i.pointer}: ${i.message}`);
  const more = issues.length > ISSUES_IN_DETAIL ? `; and ${issues.length - ISSUES_IN_DETAIL} more` : '';
  return `${shown.join('; ')}${more}`;
}

/**
 * Bulk import as the API sees it: a batch becomes a job (checked, stored, queued for the runner) and a job is read
 * back with one page of its items. Items that fail the issue-request schema become FAILED results at once; the rest
 * are issued by the runner, which fails those the registry refuses. Only clerks of the job's issuer see a job.
 */
export class ImportJobs {
  /** Job creations one at a time, so two requests with one Idempotency-Key cannot both create a job. */
  #creating: Promise<unknown> = Promise.resolve();
  private readonly clock: () => Date;
  private readonly batchSize: number;
  /** What POST /v1/licenses/batch reads a body under. */
  readonly limits: BatchLimits;

  constructor(private readonly deps: ImportJobsDeps) {
    this.clock = deps.clock ?? ((): Date => new Date());
    this.batchSize = deps.batchSize ?? DEFAULT_IMPORT_BATCH_SIZE;
    this.limits = deps.limits ?? DEFAULT_BATCH_LIMITS;
  }

  /**
   * Creates (or, for a repeated Idempotency-Key with the same items, finds) the job for a parsed batch body.
   * @throws RequestValidationError for an empty batch; IssuanceRefusedError / SigningKeyUnavailableError when the
   *   caller's issuer cannot issue at all; IdempotencyConflictError for a key reused with other items
   */
  submit(caller: User, entries: readonly BatchEntry[], idempotencyKey?: string): Promise<JobAcceptance> {
    const work = this.#creating.then(() => this.#submit(caller, entries, idempotencyKey));
    this.#creating = work.catch(() => undefined);
    return work;
  }

  async #submit(caller: User, entries: readonly BatchEntry[], idempotencyKey?: string): Promise<JobAcceptance> {
    if (caller.issuer === null)
      throw new AccessDeniedError('only a clerk of an issuer may import', { userId: caller.id });
    if (entries.length === 0) {
      throw new RequestValidationError('body', [{ pointer: '', message: 'must hold at least 1 issue request' }]);
    }
    // Same items at the same positions, whatever the body's format or whitespace: the same request.
    const requestHash = sm3Hex(entries.map((e) => `${e.index}:${JSON.stringify(e.value)}`).join('\n'));
    const slot = idempotencyKey === undefined ? undefined : `${caller.id}\u0000${idempotencyKey}`;
    if (slot !== undefined) {
      const earlier = await this.deps.store.idempotencyEntry(slot);
      if (earlier !== undefined) {
        if (earlier.requestHash !== requestHash) {
          throw new IdempotencyConflictError('this Idempotency-Key was used for a different batch', {
            jobId: earlier.jobId,
          });
        }
        const job = await this.deps.store.job(earlier.jobId);
        return { jobId: earlier.jobId, total: job?.total ?? entries.length, created: false };
      }
    }
    // Refuse at once, with nothing written, what would fail every item: an unregistered issuer, no signing key.
    const now = this.clock();
    const issuer = await issuerOfClerk(this.deps.registry, caller);
    await this.deps.signers.signerFor(issuer, now);

    const items: JobItemRecord[] = [];
    const requests: StoredRequest[] = [];
    entries.forEach((entry, position) => {
      const issues = validationIssues(LicenseIssueRequest, entry.value);
      if (issues.length > 0) {
        items.push({
          index: entry.index,
          status: 'FAILED',
          error: { code: 'VALIDATION_FAILED', detail: validationDetail(issues) },
        });
      } else {
        items.push({ index: entry.index, status: 'PENDING' });
        requests.push({ position, index: entry.index, request: entry.value as LicenseIssueRequest });
      }
    });
    const job: JobRecord = {
      jobId: randomUUID(),
      issuer: issuer.uscc,
      submittedBy: caller.id,
      status: 'QUEUED',
      total: entries.length,
      succeeded: 0,
      failed: entries.length - requests.length,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      batchSize: this.batchSize,
      batchCount: Math.ceil(entries.length / this.batchSize),
    };
    await this.deps.store.create(job, items, requests, slot === undefined ? undefined : { slot, requestHash });
    this.deps.logger.info('import job accepted', { jobId: job.jobId, total: job.total, invalid: job.failed });
    this.deps.runner.enqueue(job.jobId);
    return { jobId: job.jobId, total: job.total, created: true };
  }

  /** A job and one page of its items. @throws JobNotFoundError also for a job of another issuer */
  async get(caller: User, jobId: string, page: { offset?: number; limit?: number } = {}): Promise<JobView> {
    const job = await this.deps.store.job(jobId);
    if (job === undefined || caller.role !== 'clerk' || caller.issuer?.code !== job.issuer) {
      throw new JobNotFoundError(`no import job ${jobId}`, { jobId });
    }
    const offset = page.offset ?? 0;
    const limit = Math.min(page.limit ?? JOB_PAGE_DEFAULT, JOB_PAGE_MAX);
    return {
      jobId: job.jobId,
      status: job.status,
      total: job.total,
      processed: job.succeeded + job.failed,
      succeeded: job.succeeded,
      failed: job.failed,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      ...(job.error === undefined ? {} : { error: job.error }),
      offset,
      limit,
      items: await this.deps.store.items(jobId, offset, limit),
    };
  }

  /** Queues the jobs a previous run left open; returns how many. */
  resume(): Promise<number> {
    return this.deps.runner.resume();
  }

  /** Resolves once the runner has nothing queued or running (tests, benchmarks). */
  idle(): Promise<void> {
    return this.deps.runner.idle();
  }

  /** Lets the step in progress finish and stops the runner; open jobs resume on the next start. */
  stop(): Promise<void> {
    return this.deps.runner.stop();
  }
}
