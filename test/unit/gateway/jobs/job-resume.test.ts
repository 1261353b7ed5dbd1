import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parseLicenseId } from '@certhub/certs-service';
import type { Express } from 'express';
import { createJsonLogger } from '@certhub/gateway/dist/http/logger';
import { RunnerHaltedError, type JobCheckpoint } from '@certhub/gateway/dist/jobs';
import { openDevelopmentHub, type DevelopmentHub } from '@certhub/gateway/dist/seed';
import { createServer } from '@certhub/gateway/dist/server';
import { bearer } from '../routes/hub-app';
import { licenseRequests, transactionsByFn, type JobBody } from './job-fixtures';

const CLERK = bearer('dev-wuhan-clerk');
const BATCH_SIZE = 3;
const ITEMS = 10; // 4 batches: 3 + 3 + 3 + 1

interface Running {
  readonly hub: DevelopmentHub;
  readonly app: Express;
}

async function open(dataDir: string, checkpoint?: (point: JobCheckpoint) => void): Promise<Running> {
  const hub = await openDevelopmentHub({
    dataDir,
    imports: { batchSize: BATCH_SIZE, ...(checkpoint === undefined ? {} : { checkpoint }) },
  });
  const app = createServer({
    config: { bodyLimitBytes: 1_048_576, mode: 'development' },
    logger: createJsonLogger('silent'),
    healthChecks: hub.healthChecks,
    api: hub.api,
  });
  return { hub, app };
}

const readJob = async (running: Running, jobId: string): Promise<JobBody> =>
  (await request(running.app).get(`/v1/jobs/${jobId}?limit=1000`).set(CLERK).expect(200)).body as JobBody;

/**
 * A crash at each point between two persisted steps: the runner halts there (writing nothing more, as a dying process
 * would), the hub is closed, and a new hub opened on the same data directory must finish the job on its own, with
 * every license on the ledger exactly once and every batch root anchored exactly once.
 */
describe('import jobs resume after a restart without duplicates', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const crashes: { name: string; at: (point: JobCheckpoint) => boolean }[] = [
    {
      name: 'after planning batch 2 (license IDs allocated, nothing signed)',
      at: (p) => p.batchNo === 1 && p.stage === 'PLANNED',
    },
    {
      name: 'after signing batch 2 (documents stored, root not anchored)',
      at: (p) => p.batchNo === 1 && p.stage === 'SIGNED',
    },
    {
      name: 'after anchoring batch 2’s root (members not recorded)',
      at: (p) => p.batchNo === 1 && p.stage === 'ANCHORED',
    },
    { name: 'in the middle of recording batch 2’s members', at: (p) => p.batchNo === 1 && p.stage === 'member' },
    { name: 'after batch 3 is done', at: (p) => p.batchNo === 2 && p.stage === 'DONE' },
  ];

  for (const crash of crashes) {
    it(`crash ${crash.name}`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'certhub-resume-'));
      dirs.push(dataDir);
      let halted: JobCheckpoint | undefined;
      const first = await open(dataDir, (point) => {
        if (halted === undefined && crash.at(point)) {
          halted = point;
          throw new RunnerHaltedError();
        }
      });
      const heightBefore = first.hub.ledger.height;
      const res = await request(first.app).post('/v1/licenses/batch').set(CLERK).send(licenseRequests(ITEMS));
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const { jobId } = res.body as { jobId: string };
      await first.hub.api.jobs.idle();
      assert.ok(halted, 'the runner reached the crash point');
      const stopped = await readJob(first, jobId);
      assert.equal(stopped.status, 'RUNNING', 'an interrupted job stays open');
      assert.ok(stopped.succeeded < ITEMS);
      await first.hub.close();

      const second = await open(dataDir);
      try {
        await second.hub.api.jobs.idle();
        const job = await readJob(second, jobId);
        assert.equal(job.status, 'COMPLETED', JSON.stringify(job));
        assert.deepEqual([job.total, job.succeeded, job.failed], [ITEMS, ITEMS, 0]);
        const ids = job.items.map((item) => item.licenseId);
        assert.equal(new Set(ids).size, ITEMS, 'each item its own license ID');

        const txs = await transactionsByFn(second.hub, heightBefore);
        assert.equal(txs.anchorBatch, 4, 'each batch root anchored once');
        assert.equal(txs.recordBatchMember, ITEMS, 'each license recorded once');
        // The planned IDs were reused after the restart: the job's serials are consecutive, none allocated twice.
        const serials = job.items.map((item) => Number(parseLicenseId(item.licenseId!).serial));
        assert.deepEqual(
          serials,
          serials.map((_, i) => serials[0]! + i),
        );
        for (const item of job.items) {
          const anchor = (await request(second.app).get(`/v1/licenses/${item.licenseId!}`).set(CLERK).expect(200))
            .body as { docHash: string; batchId: string };
          assert.equal(anchor.docHash, item.docHash);
          assert.equal(anchor.batchId, item.batchId);
        }
        // And each verifies, with its stored proof, against the root that was anchored before or after the crash.
        const verified = await request(second.app)
          .post('/v1/verify')
          .send({ licenseId: job.items[4]!.licenseId })
          .expect(200);
        assert.equal((verified.body as { verdict: string }).verdict, 'VALID', JSON.stringify(verified.body));
      } finally {
        await second.hub.close();
      }
    });
  }

  it('a hub closed while a job runs stops between steps, and the job completes on the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'certhub-resume-'));
    dirs.push(dataDir);
    let closing: Promise<void> | undefined;
    const first: Running = await open(dataDir, (point) => {
      // Close from inside the job, as a SIGTERM arriving mid-job would: the runner finishes this step and stops.
      if (point.batchNo === 1 && point.stage === 'SIGNED') closing ??= first.hub.close();
    });
    const heightBefore = first.hub.ledger.height;
    const res = await request(first.app).post('/v1/licenses/batch').set(CLERK).send(licenseRequests(ITEMS, 'stop'));
    const { jobId } = res.body as { jobId: string };
    await first.hub.api.jobs.idle();
    assert.ok(closing, 'the hub was closed mid-job');
    await closing;

    const second = await open(dataDir);
    try {
      await second.hub.api.jobs.idle();
      const job = await readJob(second, jobId);
      assert.equal(job.status, 'COMPLETED');
      assert.equal(job.succeeded, ITEMS);
      const txs = await transactionsByFn(second.hub, heightBefore);
      assert.deepEqual([txs.anchorBatch, txs.recordBatchMember], [4, ITEMS]);
    } finally {
      await second.hub.close();
    }
  });
});
