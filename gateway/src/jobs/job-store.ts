import type { JOB_ITEM_STATUSES, JOB_STATUSES, LicenseIssueRequest } from '../schemas';
import type { OrderedStringSpace, StringSpace, StringSpaceWrite } from '../services/gateway-stores';

/*
 * Where import jobs live between requests and across restarts (the gateway's level database). The plain `jobs` space
 * holds only identifiers, hashes, counts and error codes; the issue requests themselves, which name holders, are kept
 * SM4-sealed in `jobRequests`, and the signed documents go to the DocumentStore like any other license's. Keys:
 *   job/<jobId>                 the job (JobRecord)
 *   item/<jobId>/<position>     one item's result (JobItemRecord), position zero-padded so keys sort in order
 *   batch/<jobId>/<n>           one batch's plan and how far it got (BatchPlan)
 *   open/<createdAt>/<jobId>    present while the job is QUEUED or RUNNING: what a restart resumes, in order
 *   idem/<userId>\0<key>        an Idempotency-Key → the job it created
 * and in jobRequests, <jobId>/<n>: the valid requests of batch n.
 */

export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobItemStatus = (typeof JOB_ITEM_STATUSES)[number];

export interface JobError {
  readonly code: string;
  readonly detail: string;
}

export interface JobRecord {
  readonly jobId: string;
  /** USCC of the issuer every item is issued for: the submitting clerk's. */
  readonly issuer: string;
  /** The ID of the user who submitted it: the job acts on the ledger as this user, looked up again on each run. */
  readonly submittedBy: string;
  readonly status: JobStatus;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Items per batch (one Merkle root each), fixed when the job is created so a restart plans the same batches. */
  readonly batchSize: number;
  readonly batchCount: number;
  /** Why a FAILED job stopped; its items still PENDING were not issued. */
  readonly error?: JobError;
}

export interface JobItemRecord {
  readonly index: number;
  readonly status: JobItemStatus;
  readonly licenseId?: string;
  readonly docHash?: string;
  readonly batchId?: string;
  readonly error?: JobError;
}

/** An item that passed the schema, as stored (sealed) until its batch is issued. */
export interface StoredRequest {
  /** Position in the job (0..total-1): which result record it owns and which batch it falls in. */
  readonly position: number;
  readonly index: number;
  readonly request: LicenseIssueRequest;
}

/** The stages of a batch; each is persisted before the next begins, so a restart continues from the last one. */
export type BatchState = 'PLANNED' | 'SIGNED' | 'ANCHORED' | 'DONE';

export interface BatchMember {
  readonly position: number;
  /** The item's index in the request (array index or NDJSON line − 1). */
  readonly index: number;
  /** Fixed at planning (its serial allocated and persisted) and reused by every retry: never a second ID. */
  readonly licenseId: string;
  /** Known once the document is signed and stored. */
  readonly docHash?: string;
}

export interface BatchPlan {
  readonly batchNo: number;
  /** Unique on the ledger: `<jobId>.<batchNo>`. */
  readonly batchId: string;
  readonly state: BatchState;
  readonly issuedOn: string;
  readonly members: readonly BatchMember[];
  /** Merkle root over the members' docHashes, in member order (from SIGNED on). */
  readonly root?: string;
  /** The anchorBatch transaction (from ANCHORED on). */
  readonly anchorTxId?: string;
}

/** Positions are zero-padded to this many digits so item keys sort numerically. */
const POSITION_DIGITS = 9;
const pad = (n: number, digits: number): string => String(n).padStart(digits, '0');
const jobKey = (jobId: string): string => `job/${jobId}`;
const itemKey = (jobId: string, position: number): string => `item/${jobId}/${pad(position, POSITION_DIGITS)}`;
const batchKey = (jobId: string, batchNo: number): string => `batch/${jobId}/${pad(batchNo, 6)}`;
/** Keyed by creation time first, so a restart resumes jobs in the order they were submitted. */
const openKey = (job: Pick<JobRecord, 'jobId' | 'createdAt'>): string => `open/${job.createdAt}/${job.jobId}`;
const idempotencyKey = (slot: string): string => `idem/${slot}`;
const requestsKey = (jobId: string, batchNo: number): string => `${jobId}/${pad(batchNo, 6)}`;

export interface IdempotencyEntry {
  readonly jobId: string;
  readonly requestHash: string;
}

/** A set of changes to one job written at once: its record, some item results, a batch plan. */
export interface JobUpdate {
  readonly job: JobRecord;
  readonly items?: readonly (readonly [position: number, item: JobItemRecord])[];
  readonly batch?: BatchPlan;
}

/** The record under a key, as this store wrote it (JSON); undefined when there is none. */
const parse = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text));

export class JobStore {
  constructor(
    private readonly space: OrderedStringSpace,
    private readonly requests: StringSpace,
  ) {}

  /**
   * Records a new job: the sealed requests first, then in one atomic write the job, every item's initial result, its
   * open marker and its idempotency entry. Until that write the job does not exist; after it, it is complete.
   */
  async create(
    job: JobRecord,
    items: readonly JobItemRecord[],
    requests: readonly StoredRequest[],
    idempotency?: { readonly slot: string; readonly requestHash: string },
  ): Promise<void> {
    const byBatch = new Map<number, StoredRequest[]>();
    for (const request of requests) {
      const batchNo = Math.floor(request.position / job.batchSize);
      const list = byBatch.get(batchNo) ?? [];
      list.push(request);
      byBatch.set(batchNo, list);
    }
    for (const [batchNo, list] of byBatch) {
      await this.requests.put(requestsKey(job.jobId, batchNo), JSON.stringify(list));
    }
    const writes: StringSpaceWrite[] = items.map((item, position) => ({
      type: 'put',
      key: itemKey(job.jobId, position),
      value: JSON.stringify(item),
    }));
    writes.push({ type: 'put', key: jobKey(job.jobId), value: JSON.stringify(job) });
    writes.push({ type: 'put', key: openKey(job), value: job.jobId });
    if (idempotency !== undefined) {
      const entry: IdempotencyEntry = { jobId: job.jobId, requestHash: idempotency.requestHash };
      writes.push({ type: 'put', key: idempotencyKey(idempotency.slot), value: JSON.stringify(entry) });
    }
    await this.space.write(writes);
  }

  async job(jobId: string): Promise<JobRecord | undefined> {
    return parse(await this.space.get(jobKey(jobId))) as JobRecord | undefined;
  }

  /** Item results from `offset` (a position), at most `limit` of them, in order. */
  async items(jobId: string, offset: number, limit: number): Promise<JobItemRecord[]> {
    if (limit <= 0) return [];
    const entries = await this.space.range({
      gte: itemKey(jobId, offset),
      lt: `item/${jobId}/~`,
      limit,
    });
    return entries.map(([, value]) => JSON.parse(value) as JobItemRecord);
  }

  /** The valid requests of batch `batchNo` (none if every item of it failed validation). */
  async requestsOf(jobId: string, batchNo: number): Promise<StoredRequest[]> {
    return (parse(await this.requests.get(requestsKey(jobId, batchNo))) as StoredRequest[] | undefined) ?? [];
  }

  async batch(jobId: string, batchNo: number): Promise<BatchPlan | undefined> {
    return parse(await this.space.get(batchKey(jobId, batchNo))) as BatchPlan | undefined;
  }

  /** Writes a job's record with item results and a batch plan atomically; a finished job leaves the open list. */
  async save(update: JobUpdate): Promise<void> {
    const { job } = update;
    const writes: StringSpaceWrite[] = (update.items ?? []).map(([position, item]) => ({
      type: 'put',
      key: itemKey(job.jobId, position),
      value: JSON.stringify(item),
    }));
    if (update.batch !== undefined) {
      writes.push({
        type: 'put',
        key: batchKey(job.jobId, update.batch.batchNo),
        value: JSON.stringify(update.batch),
      });
    }
    writes.push({ type: 'put', key: jobKey(job.jobId), value: JSON.stringify(job) });
    if (job.status === 'COMPLETED' || job.status === 'FAILED') writes.push({ type: 'del', key: openKey(job) });
    await this.space.write(writes);
  }

  /** Jobs still QUEUED or RUNNING (what a restart resumes), oldest first. */
  async openJobIds(): Promise<string[]> {
    const entries = await this.space.range({ gte: 'open/', lt: 'open/~' });
    return entries.map(([, jobId]) => jobId);
  }

  async idempotencyEntry(slot: string): Promise<IdempotencyEntry | undefined> {
    return parse(await this.space.get(idempotencyKey(slot))) as IdempotencyEntry | undefined;
  }
}
