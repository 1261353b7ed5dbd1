import assert from 'node:assert/strict';
import request from 'supertest';
import {
  documentHash,
  parseLicenseId,
  verifyLicenseDocumentSignature,
  verifyMerkleProof,
  type LicenseDocument,
} from '@certhub/certs-service';
import { DEVELOPMENT_USERS, developmentUserDirectory, type User } from '@certhub/gateway/dist/auth';
import { createJsonLogger } from '@certhub/gateway/dist/http/logger';
import {
  ImportJobs,
  JobRunner,
  anchorBatchRequest,
  JobStore,
  type BatchEntry,
  type JobCheckpoint,
  type JobView,
} from '@certhub/gateway/dist/jobs';
import type { Ledger } from '@certhub/gateway/dist/ledger';
import type { LicenseServiceDeps } from '@certhub/gateway/dist/services';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from '../routes/hub-app';
import { ConnectionLosingLedger } from '../../../support/connection-losing-ledger';
import { hubStores, licenseRequests, transactionsByFn } from './job-fixtures';

const userOf = (token: string) => DEVELOPMENT_USERS.find((u) => u.token === token)!.user;
const CLERK = userOf('dev-wuhan-clerk');
const entriesOf = (values: readonly unknown[]): BatchEntry[] =>
  values.map((value, index) => ({ index, line: index + 1, value }));

describe('jobs/job-runner', function () {
  this.timeout(120_000);
  let hub: HubApp;
  const logLines: string[] = [];

  before(async () => {
    hub = await openHubApp({
      imports: { batchSize: 4 },
      logger: createJsonLogger('info', (line) => logLines.push(line)),
    });
  });
  after(async () => {
    await hub.dispose();
  });

  /** Import jobs over the hub's stores and services, with this test's ledger, checkpoint and logger. */
  function importJobs(
    options: {
      ledger?: Ledger;
      checkpoint?: (point: JobCheckpoint) => void | Promise<void>;
      lines?: string[];
      users?: { findById(id: string): User | undefined };
    } = {},
  ): ImportJobs {
    const deps = (hub.hub.api.licenses as unknown as { deps: LicenseServiceDeps }).deps;
    const stores = hubStores(hub.hub);
    const store = new JobStore(stores.jobs, stores.jobRequests);
    const logger = createJsonLogger('info', (line) => options.lines?.push(line));
    const runner = new JobRunner({
      store,
      users: options.users ?? developmentUserDirectory(),
      documents: stores.documents,
      ledger: options.ledger ?? deps.ledger,
      identities: deps.identities,
      registry: deps.registry,
      signers: deps.signers,
      serials: deps.serials,
      holderRefs: deps.holderRefs,
      logger,
      ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
    });
    return new ImportJobs({ store, runner, registry: deps.registry, signers: deps.signers, logger, batchSize: 4 });
  }

  it('anchors one signed Merkle root per batch and records every member with its proof', async () => {
    const height = hub.hub.ledger.height;
    const person = businessLicenseRequest({
      typeCode: '11100000000019713D101',
      name: '道路运输从业人员从业资格证',
      holder: { name: '李四', idType: '111', id: '11010519491231002X' },
    });
    const requests = [...licenseRequests(8, 'runner'), person];
    const jobs = hub.hub.api.jobs;
    const accepted = await jobs.submit(CLERK, entriesOf(requests));
    await jobs.idle();
    const job = await jobs.get(CLERK, accepted.jobId, { limit: 1000 });
    assert.equal(job.status, 'COMPLETED');
    assert.deepEqual([job.succeeded, job.failed], [9, 0]);

    const txs = await transactionsByFn(hub.hub, height);
    assert.deepEqual([txs.anchorBatch, txs.recordBatchMember], [3, 9]);
    // Serials come from the issuer's one counter, in request order, without gaps.
    const serials = job.items.map((item) => Number(parseLicenseId(item.licenseId!).serial));
    serials.forEach((serial, i) => {
      if (i > 0) assert.equal(serial, serials[i - 1]! + 1);
    });

    const stores = hubStores(hub.hub);
    for (const item of job.items) {
      const document: LicenseDocument = await stores.documents.getDocument(item.licenseId!);
      assert.equal(documentHash(document), item.docHash);
      assert.ok(verifyLicenseDocumentSignature(document).ok);
      const proof = document.proof.batch!;
      assert.equal(proof.batchId, item.batchId);
      const batch = JSON.parse(
        Buffer.from(
          await hub.hub.ledger.evaluate(hub.hub.world.identities[CLERK.id]!, {
            contract: 'license',
            fn: 'getBatch',
            args: [proof.batchId],
          }),
        ).toString('utf8'),
      ) as { root: string; count: number; issuer: string };
      assert.equal(batch.root, proof.root);
      assert.equal(batch.count, proof.leafCount);
      assert.equal(batch.issuer, CLERK.issuer!.code);
      assert.ok(verifyMerkleProof(Buffer.from(item.docHash!, 'hex'), proof, Buffer.from(batch.root, 'hex')));
    }
    // A person holder is on chain only as HMAC-SM3 of the ID number.
    const last = job.items[8]!;
    const anchor = (await request(hub.app).get(`/v1/licenses/${last.licenseId!}`).set(bearer('dev-bank')).expect(200))
      .body as { holderRef: string };
    assert.match(anchor.holderRef, /^[0-9a-f]{64}$/);
  });

  it('logs progress by job ID, processed and total, and never the holders', async () => {
    logLines.length = 0;
    const jobs = hub.hub.api.jobs;
    const person = businessLicenseRequest({
      typeCode: '11100000000019713D101',
      name: '道路运输从业人员从业资格证',
      holder: { name: '王五', idType: '111', id: '11010519491231002X' },
    });
    const { jobId } = await jobs.submit(CLERK, entriesOf([...licenseRequests(5, 'log'), person]));
    await jobs.idle();
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const progress = entries.filter((e) => e.message === 'import progress' && e.jobId === jobId);
    assert.deepEqual(
      progress.map((e) => [e.processed, e.total, e.batch, e.batches]),
      [
        [4, 6, 1, 2],
        [6, 6, 2, 2],
      ],
    );
    assert.ok(entries.some((e) => e.message === 'import job completed' && e.jobId === jobId && e.succeeded === 6));
    const all = logLines.join('\n');
    for (const secret of ['王五', '11010519491231002X', '武汉光谷示例科技有限公司', '91420100303217469Q']) {
      assert.ok(!all.includes(secret), `log holds ${secret}`);
    }
  });

  it('fails items the registry refuses: a type the issuer is not authorised for', async () => {
    // A type the hub admin registers but no issuer is authorised for.
    const hubAdmin = hub.hub.world.identities[userOf('dev-hub-admin').id]!;
    const unauthorised = '11100000000013338W777';
    await hub.hub.ledger.submit(hubAdmin, {
      contract: 'registry',
      fn: 'addLicenseType',
      args: [unauthorised, 'test type', '001'],
    });
    const jobs = hub.hub.api.jobs;
    const { jobId } = await jobs.submit(
      CLERK,
      entriesOf([businessLicenseRequest({ typeCode: unauthorised }), ...licenseRequests(1, 'auth')]),
    );
    await jobs.idle();
    const job = await jobs.get(CLERK, jobId);
    assert.deepEqual(
      job.items.map((i) => [i.status, i.error?.code]),
      [
        ['FAILED', 'ISSUER_NOT_AUTHORISED'],
        ['ISSUED', undefined],
      ],
    );
    assert.match(job.items[0]!.error!.detail, /not authorised for license type 11100000000013338W777/);
  });

  it('pauses a job while the ledger is unreachable and finishes it when resumed, anchoring each batch once', async () => {
    const flaky = new ConnectionLosingLedger(hub.hub.ledger);
    const lines: string[] = [];
    const height = hub.hub.ledger.height;
    let reachedBatch2 = false;
    const jobs = importJobs({
      ledger: flaky,
      lines,
      checkpoint: (point) => {
        // The peer goes away once the first batch is done.
        if (point.batchNo === 0 && point.stage === 'DONE') flaky.loseNext('anchorBatch', 'before-commit', Infinity);
        if (point.batchNo === 1) reachedBatch2 = true;
      },
    });
    const { jobId } = await jobs.submit(CLERK, entriesOf(licenseRequests(10, 'flaky')));
    await jobs.idle();
    const paused: JobView = await jobs.get(CLERK, jobId);
    assert.ok(reachedBatch2);
    assert.equal(paused.status, 'RUNNING', 'not failed: nothing is wrong with the job');
    assert.equal(paused.succeeded, 4);
    assert.ok(lines.some((line) => line.includes('ledger unavailable') && line.includes(jobId)));

    flaky.restore();
    const resumed = importJobs({ ledger: flaky });
    assert.ok((await resumed.resume()) >= 1);
    await resumed.idle();
    const job = await resumed.get(CLERK, jobId);
    assert.equal(job.status, 'COMPLETED');
    assert.equal(job.succeeded, 10);
    const txs = await transactionsByFn(hub.hub, height);
    assert.deepEqual([txs.anchorBatch, txs.recordBatchMember], [3, 10]);
  });

  it('fails the job with BATCH_CONFLICT when its batch ID is on the ledger with another root', async () => {
    const deps = (hub.hub.api.licenses as unknown as { deps: LicenseServiceDeps }).deps;
    const jobs = importJobs({
      checkpoint: async (point) => {
        if (point.stage !== 'SIGNED' || point.batchNo !== 0) return;
        // Another root under this batch's ID, anchored between signing and anchoring: never to be taken as ours.
        const issuer = (await deps.registry.issuer(CLERK, CLERK.issuer!.code))!;
        const signer = await deps.signers.signerFor(issuer, new Date());
        const batchId = `${point.jobId}.0`;
        await hub.hub.ledger.submit(
          hub.hub.world.identities[CLERK.id]!,
          anchorBatchRequest({ batchId, issuer: issuer.uscc, root: 'ab'.repeat(32), count: 2, signer }),
        );
      },
    });
    const { jobId } = await jobs.submit(CLERK, entriesOf(licenseRequests(2, 'conflict')));
    await jobs.idle();
    const failed = await jobs.get(CLERK, jobId);
    assert.equal(failed.status, 'FAILED');
    assert.ok(failed.error);
    assert.equal(failed.error.code, 'BATCH_CONFLICT');
    assert.match(failed.error.detail, /another root/);
    assert.deepEqual(
      failed.items.map((i) => i.status),
      ['PENDING', 'PENDING'],
    );
  });

  it('fails the job when its submitter no longer acts for the issuer (user removed), issuing nothing', async () => {
    const height = hub.hub.ledger.height;
    const jobs = importJobs({ users: { findById: () => undefined } });
    const { jobId } = await jobs.submit(CLERK, entriesOf(licenseRequests(2, 'gone')));
    await jobs.idle();
    const failed = await jobs.get(CLERK, jobId);
    assert.equal(failed.status, 'FAILED');
    assert.ok(failed.error);
    assert.equal(failed.error.code, 'FORBIDDEN');
    assert.match(failed.error.detail, /no longer acts for issuer/);
    assert.equal(hub.hub.ledger.height, height);
  });

  it('fails the job on an unexpected error, with a generic reason (details only in the log)', async () => {
    const lines: string[] = [];
    const jobs = importJobs({
      lines,
      checkpoint: (point) => {
        if (point.stage === 'PLANNED') throw new TypeError('a bug');
      },
    });
    const { jobId } = await jobs.submit(CLERK, entriesOf(licenseRequests(1, 'bug')));
    await jobs.idle();
    const failed = await jobs.get(CLERK, jobId);
    assert.equal(failed.status, 'FAILED');
    assert.ok(failed.error);
    assert.equal(failed.error.code, 'INTERNAL');
    assert.doesNotMatch(failed.error.detail, /a bug/);
    assert.ok(lines.some((line) => line.includes('import job failed') && line.includes('a bug')));
  });
});
