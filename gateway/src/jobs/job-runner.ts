import { CertHubError, buildLicenseId, type DocumentStore } from '@certhub/certs-service';
import type { User } from '../auth/user';
import type { Logger } from '../http/logger';
import { ChaincodeError, LedgerError, type Ledger, type LedgerIdentity } from '../ledger';
import { chinaDate } from '../services/china-date';
import type { HolderRefs } from '../services/holder-ref';
import type { LedgerIdentities } from '../services/identities';
import type { IssuerSigners } from '../services/issuer-signers';
import { evaluateJson } from '../services/ledger-json';
import type { IssuerRecord, LicenseAnchorRecord, LicenseTypeRecord } from '../services/ledger-records';
import { checkLicenseType, issuerOfClerk } from '../services/license-documents';
import type { RegistryService } from '../services/registry-service';
import type { SerialAllocator } from '../services/serial-allocator';
import { AccessDeniedError, IssuanceRefusedError } from '../services/errors';
import {
  anchorBatchRequest,
  buildBatch,
  recordMemberRequest,
  type BatchMemberInput,
  type BuiltMember,
} from './batch-builder';
import { BatchConflictError, RunnerHaltedError } from './errors';
import type { BatchMember, BatchPlan, BatchState, JobError, JobItemRecord, JobRecord, JobStore } from './job-store';

/** A point between two persisted steps of a batch; tests stop the runner at one to play a crash there. */
export interface JobCheckpoint {
  readonly jobId: string;
  readonly batchNo: number;
  /** The batch state just persisted, or `member` after one member's recordBatchMember committed. */
  readonly stage: BatchState | 'member';
  readonly position?: number;
}

export interface JobRunnerDeps {
  readonly store: JobStore;
  /** The gateway's users by ID: a job acts as its submitter, as the submitter is now (removed → the job fails). */
  readonly users: { findById(id: string): User | undefined };
  readonly documents: Pick<DocumentStore, 'putDocument' | 'getDocument'>;
  readonly ledger: Ledger;
  readonly identities: LedgerIdentities;
  readonly registry: RegistryService;
  readonly signers: IssuerSigners;
  readonly serials: SerialAllocator;
  readonly holderRefs: HolderRefs;
  readonly logger: Logger;
  readonly clock?: () => Date;
  /** How many recordBatchMember transactions are in flight at once (the embedded ledger cuts them into few blocks). */
  readonly memberConcurrency?: number;
  /**
   * Called after each persisted step. Throwing RunnerHaltedError stops the runner where it stands, writing nothing
   * more, as if the process had died there; a runner opened later on the same data resumes the job. Tests only.
   */
  readonly checkpoint?: (point: JobCheckpoint) => void | Promise<void>;
}

/** What a job's batches share while it runs: who acts, for which issuer, and the license types already looked up. */
interface RunContext {
  readonly caller: User;
  readonly identity: LedgerIdentity;
  readonly issuer: IssuerRecord;
  readonly types: Map<string, Promise<LicenseTypeRecord | undefined>>;
}

const DEFAULT_MEMBER_CONCURRENCY = 256;

const isFinished = (job: JobRecord): boolean => job.status === 'COMPLETED' || job.status === 'FAILED';

/**
 * Runs import jobs one at a time, in the order submitted, batch by batch. Every batch goes PLANNED (license IDs
 * allocated) → SIGNED (documents with inclusion proofs stored) → ANCHORED (root on chain) → DONE (members recorded,
 * results written), and each state is persisted before the next step starts, so a restart continues each batch from
 * where it stood without allocating a second ID or anchoring a root twice: an anchor that committed just before a
 * crash is found on the chain (getBatch), and a member already recorded answers ALREADY_EXISTS with its own docHash.
 */
export class JobRunner {
  readonly #queue: string[] = [];
  #running: Promise<void> | undefined;
  #stopping = false;
  #halted = false;
  private readonly clock: () => Date;

  constructor(private readonly deps: JobRunnerDeps) {
    this.clock = deps.clock ?? ((): Date => new Date());
  }

  /** Queues a job to run after those already queued. Ignored once the runner is stopping. */
  enqueue(jobId: string): void {
    if (this.#stopping || this.#halted) return;
    if (!this.#queue.includes(jobId)) this.#queue.push(jobId);
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  /** Queues every job a previous run left QUEUED or RUNNING; returns how many. */
  async resume(): Promise<number> {
    const open = await this.deps.store.openJobIds();
    for (const jobId of open) this.enqueue(jobId);
    if (open.length > 0) this.deps.logger.info('import jobs resumed', { jobs: open.length });
    return open.length;
  }

  /** Resolves once nothing is queued or running (also after a halt). */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /** Finishes the step in progress and stops; unfinished jobs stay open for the next start. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#queue.length = 0;
    await this.idle();
  }

  async #drain(): Promise<void> {
    for (let jobId = this.#queue.shift(); jobId !== undefined; jobId = this.#queue.shift()) {
      if (this.#stopping || this.#halted) return;
      try {
        await this.#run(jobId);
      } catch (error) {
        // Recording the failure may fail too (a store closing under it): logged, never an unhandled rejection.
        await this.#failed(jobId, error).catch((recording: unknown) => {
          this.deps.logger.error('recording an import job failure failed', {
            jobId,
            error: recording instanceof Error ? recording.message : String(recording),
          });
        });
      }
    }
  }

  async #failed(jobId: string, error: unknown): Promise<void> {
    if (error instanceof RunnerHaltedError) {
      this.#halted = true;
      this.#queue.length = 0;
      return;
    }
    if (error instanceof LedgerError) {
      // The ledger could not be reached: nothing is wrong with the job, so it stays open and resumes on the next start
      // (the embedded ledger fails so only when closed or corrupt; a networked one would want a retry timer here).
      this.deps.logger.warn('import job paused: ledger unavailable', { jobId, code: error.code });
      return;
    }
    const reason: JobError =
      error instanceof CertHubError
        ? { code: error.code, detail: error.message }
        : {
            code: 'INTERNAL',
            detail: 'the job stopped on an unexpected error; the gateway log has it under the job ID',
          };
    this.deps.logger.error('import job failed', {
      jobId,
      code: reason.code,
      ...(error instanceof CertHubError ? {} : { error: error instanceof Error ? error.stack : String(error) }),
    });
    const job = await this.deps.store.job(jobId);
    if (job === undefined || isFinished(job)) return;
    await this.deps.store.save({ job: { ...job, status: 'FAILED', error: reason, updatedAt: this.#now() } });
  }

  async #run(jobId: string): Promise<void> {
    let job = await this.deps.store.job(jobId);
    if (job === undefined || isFinished(job)) return;
    const started = performance.now();
    if (job.status === 'QUEUED') {
      job = { ...job, status: 'RUNNING', updatedAt: this.#now() };
      await this.deps.store.save({ job });
    }
    this.deps.logger.info('import job running', { jobId, total: job.total, processed: job.succeeded + job.failed });
    const context = await this.#context(job);
    for (let batchNo = 0; batchNo < job.batchCount; batchNo++) {
      let done: boolean;
      ({ job, done } = await this.#batch(job, batchNo, context));
      // Stopping: the batch stands where it stopped, and the next start goes on from there.
      if (!done) return;
    }
    job = { ...job, status: 'COMPLETED', updatedAt: this.#now() };
    await this.deps.store.save({ job });
    this.deps.logger.info('import job completed', {
      jobId,
      total: job.total,
      succeeded: job.succeeded,
      failed: job.failed,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
  }

  async #context(job: JobRecord): Promise<RunContext> {
    const caller = this.deps.users.findById(job.submittedBy);
    if (caller?.issuer?.code !== job.issuer) {
      throw new AccessDeniedError(`user ${job.submittedBy} no longer acts for issuer ${job.issuer}`, {
        userId: job.submittedBy,
        issuer: job.issuer,
      });
    }
    const identity = this.deps.identities.forUser(caller);
    const issuer = await issuerOfClerk(this.deps.registry, caller);
    return { caller, identity, issuer, types: new Map() };
  }

  /** Takes a batch as far as it goes: to DONE, or to the step where the runner was asked to stop. */
  async #batch(initial: JobRecord, batchNo: number, context: RunContext): Promise<{ job: JobRecord; done: boolean }> {
    let job = initial;
    let plan = await this.deps.store.batch(job.jobId, batchNo);
    if (plan?.state === 'DONE') return { job, done: true };
    if (this.#stopping) return { job, done: false };
    let built: Map<number, BuiltMember> | undefined;
    // Between steps, a stopping runner leaves the batch where it stands: its persisted state is where a restart goes on.
    if (plan === undefined) {
      ({ job, plan } = await this.#plan(job, batchNo, context));
      await this.#checkpoint(job, plan);
    }
    if (plan.state === 'PLANNED' && !this.#stopRequested()) {
      ({ job, plan, built } = await this.#sign(job, plan, context));
      await this.#checkpoint(job, plan);
    }
    if (plan.state === 'SIGNED' && !this.#stopRequested()) {
      ({ job, plan } = await this.#anchor(job, plan, context));
      await this.#checkpoint(job, plan);
    }
    if (plan.state === 'ANCHORED' && !this.#stopRequested()) {
      ({ job, plan } = await this.#record(job, plan, context, built));
      await this.#checkpoint(job, plan);
    }
    if (plan.state !== 'DONE') return { job, done: false };
    this.deps.logger.info('import progress', {
      jobId: job.jobId,
      batch: batchNo + 1,
      batches: job.batchCount,
      processed: job.succeeded + job.failed,
      total: job.total,
    });
    return { job, done: true };
  }

  /** Registry checks per item, then a license ID for each item that passes: persisted before anything is signed. */
  async #plan(job: JobRecord, batchNo: number, context: RunContext): Promise<{ job: JobRecord; plan: BatchPlan }> {
    const requests = await this.deps.store.requestsOf(job.jobId, batchNo);
    const issuedOn = chinaDate(this.clock());
    const members: BatchMember[] = [];
    const failures: [number, JobItemRecord][] = [];
    for (const { position, index, request } of requests) {
      try {
        const type = checkLicenseType(context.issuer, await this.#type(context, request.typeCode), request);
        const serial = await this.deps.serials.next(context.issuer.uscc, issuedOn);
        const licenseId = buildLicenseId({ typeCode: type.code, issuerUscc: context.issuer.uscc, serial, version: 1 });
        members.push({ position, index, licenseId });
      } catch (error) {
        if (!(error instanceof IssuanceRefusedError)) throw error;
        failures.push([position, { index, status: 'FAILED', error: { code: error.code, detail: error.message } }]);
      }
    }
    const plan: BatchPlan = {
      batchNo,
      batchId: `${job.jobId}.${batchNo}`,
      state: members.length === 0 ? 'DONE' : 'PLANNED',
      issuedOn,
      members,
    };
    const updated = { ...job, failed: job.failed + failures.length, updatedAt: this.#now() };
    await this.deps.store.save({ job: updated, items: failures, batch: plan });
    return { job: updated, plan };
  }

  /** Signs each member, builds the tree, stores each document with its inclusion proof, then records the root. */
  async #sign(
    job: JobRecord,
    plan: BatchPlan,
    context: RunContext,
  ): Promise<{ job: JobRecord; plan: BatchPlan; built: Map<number, BuiltMember> }> {
    const requests = new Map(
      (await this.deps.store.requestsOf(job.jobId, plan.batchNo)).map((stored) => [stored.position, stored.request]),
    );
    const inputs: BatchMemberInput[] = [];
    const refused: [number, JobItemRecord][] = [];
    for (const member of plan.members) {
      const request = requests.get(member.position);
      if (request === undefined) {
        throw new BatchConflictError(`batch ${plan.batchId} lost the request of item ${member.index}`, {
          jobId: job.jobId,
          batchId: plan.batchId,
        });
      }
      try {
        // Checked at planning; checked again because a restart may come after the issuer's types changed.
        const type = checkLicenseType(context.issuer, await this.#type(context, request.typeCode), request);
        inputs.push({ position: member.position, licenseId: member.licenseId, request, type });
      } catch (error) {
        if (!(error instanceof IssuanceRefusedError)) throw error;
        const failure: JobItemRecord = {
          index: member.index,
          status: 'FAILED',
          error: { code: error.code, detail: error.message },
        };
        refused.push([member.position, failure]);
      }
    }
    const now = this.clock();
    const signer = await this.deps.signers.signerFor(context.issuer, now);
    const batch = buildBatch({
      batchId: plan.batchId,
      issuer: context.issuer,
      issuedOn: plan.issuedOn,
      signer,
      created: now,
      members: inputs,
    });
    // Stored before the root is anchored: an anchored license whose document is lost could never be shown in full.
    await Promise.all(
      batch.members.map((member) => this.deps.documents.putDocument(member.licenseId, member.document)),
    );
    const byPosition = new Map(plan.members.map((member) => [member.position, member]));
    const members = batch.members.map((built): BatchMember => {
      const planned = byPosition.get(built.position);
      return {
        position: built.position,
        index: planned?.index ?? built.position,
        licenseId: built.licenseId,
        docHash: built.docHash,
      };
    });
    const failures = [
      ...refused,
      ...batch.failures.map(({ position, error }): [number, JobItemRecord] => [
        position,
        { index: byPosition.get(position)?.index ?? position, status: 'FAILED', error },
      ]),
    ];
    const signed: BatchPlan = {
      ...plan,
      state: members.length === 0 ? 'DONE' : 'SIGNED',
      members,
      ...(batch.root === undefined ? {} : { root: batch.root }),
    };
    const updated = { ...job, failed: job.failed + failures.length, updatedAt: this.#now() };
    await this.deps.store.save({ job: updated, items: failures, batch: signed });
    return {
      job: updated,
      plan: signed,
      built: new Map(batch.members.map((member) => [member.position, member])),
    };
  }

  /** Anchors the root, unless the chain already holds this batch (anchored just before a crash). */
  async #anchor(job: JobRecord, plan: BatchPlan, context: RunContext): Promise<{ job: JobRecord; plan: BatchPlan }> {
    const root = plan.root;
    if (root === undefined) throw new BatchConflictError(`batch ${plan.batchId} was signed without a root`, {});
    let txId = await this.#anchoredTx(context, plan.batchId, root);
    if (txId === undefined) {
      const signer = await this.deps.signers.signerFor(context.issuer, this.clock());
      const request = anchorBatchRequest({
        batchId: plan.batchId,
        issuer: context.issuer.uscc,
        root,
        count: plan.members.length,
        signer,
      });
      txId = (await this.deps.ledger.submit(context.identity, request)).txId;
    }
    const anchored: BatchPlan = { ...plan, state: 'ANCHORED', anchorTxId: txId };
    const updated = { ...job, updatedAt: this.#now() };
    await this.deps.store.save({ job: updated, batch: anchored });
    return { job: updated, plan: anchored };
  }

  /** The tx that anchored this batch, if the chain has it; a batch under this ID with another root is a conflict. */
  async #anchoredTx(context: RunContext, batchId: string, root: string): Promise<string | undefined> {
    let batch: { root: string; anchored: { txId: string } };
    try {
      batch = (await evaluateJson(this.deps.ledger, context.identity, 'license', 'getBatch', [
        batchId,
      ])) as typeof batch;
    } catch (error) {
      if (error instanceof ChaincodeError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
    if (batch.root !== root) {
      throw new BatchConflictError(`batch ${batchId} is on the ledger with another root`, { batchId });
    }
    return batch.anchored.txId;
  }

  /** Records each member as its own license; the results of the whole batch are written at once at the end. */
  async #record(
    job: JobRecord,
    plan: BatchPlan,
    context: RunContext,
    built: Map<number, BuiltMember> | undefined,
  ): Promise<{ job: JobRecord; plan: BatchPlan }> {
    const concurrency = this.deps.memberConcurrency ?? DEFAULT_MEMBER_CONCURRENCY;
    const results: [number, JobItemRecord][] = [];
    for (let start = 0; start < plan.members.length; start += concurrency) {
      const window = plan.members.slice(start, start + concurrency);
      const outcomes = await Promise.all(window.map((member) => this.#recordMember(job, plan, context, member, built)));
      window.forEach((member, i) => {
        const outcome = outcomes[i];
        if (outcome !== undefined) results.push([member.position, outcome]);
      });
    }
    const issued = results.filter(([, item]) => item.status === 'ISSUED').length;
    const done: BatchPlan = { ...plan, state: 'DONE' };
    const updated = {
      ...job,
      succeeded: job.succeeded + issued,
      failed: job.failed + results.length - issued,
      updatedAt: this.#now(),
    };
    await this.deps.store.save({ job: updated, items: results, batch: done });
    return { job: updated, plan: done };
  }

  async #recordMember(
    job: JobRecord,
    plan: BatchPlan,
    context: RunContext,
    member: BatchMember,
    built: Map<number, BuiltMember> | undefined,
  ): Promise<JobItemRecord> {
    // In memory when the batch was signed in this run; from the document store when resuming after a restart.
    const fresh = built?.get(member.position);
    const document = fresh?.document ?? (await this.deps.documents.getDocument(member.licenseId));
    const docHash = member.docHash ?? '';
    const issued: JobItemRecord = {
      index: member.index,
      status: 'ISSUED',
      licenseId: member.licenseId,
      docHash,
      batchId: plan.batchId,
    };
    try {
      await this.deps.ledger.submit(
        context.identity,
        recordMemberRequest(document, this.deps.holderRefs.refFor(document.holder), fresh?.signingBytes),
      );
    } catch (error) {
      if (!(error instanceof ChaincodeError)) throw error;
      // Recorded before a crash: the chain's record of this ID carries this very docHash.
      if (error.code === 'ALREADY_EXISTS' && (await this.#anchoredHash(context, member.licenseId)) === docHash) {
        return issued;
      }
      return {
        index: member.index,
        status: 'FAILED',
        licenseId: member.licenseId,
        docHash,
        batchId: plan.batchId,
        error: { code: error.code, detail: error.message },
      };
    }
    await this.#checkpoint(job, plan, 'member', member.position);
    return issued;
  }

  async #anchoredHash(context: RunContext, licenseId: string): Promise<string | undefined> {
    try {
      const anchor = (await evaluateJson(this.deps.ledger, context.identity, 'license', 'get', [
        licenseId,
      ])) as LicenseAnchorRecord;
      return anchor.docHash;
    } catch (error) {
      if (error instanceof ChaincodeError) return undefined;
      throw error;
    }
  }

  #type(context: RunContext, code: string): Promise<LicenseTypeRecord | undefined> {
    let type = context.types.get(code);
    if (type === undefined) {
      type = this.deps.registry.licenseType(context.caller, code);
      context.types.set(code, type);
    }
    return type;
  }

  async #checkpoint(job: JobRecord, plan: BatchPlan, stage?: 'member', position?: number): Promise<void> {
    if (this.deps.checkpoint === undefined) return;
    await this.deps.checkpoint({
      jobId: job.jobId,
      batchNo: plan.batchNo,
      stage: stage ?? plan.state,
      ...(position === undefined ? {} : { position }),
    });
  }

  /** Read through a call: stop() sets the flag while a step awaits, which flow analysis of the field cannot see. */
  #stopRequested(): boolean {
    return this.#stopping;
  }

  #now(): string {
    return this.clock().toISOString();
  }
}
