import assert from 'node:assert/strict';
import { runCli } from '@certhub/gateway/dist/cli/run';
import { licenseRequests, ndjsonOf, transactionsByFn } from '../jobs/job-fixtures';
import { businessLicenseRequest } from '../routes/hub-app';
import { listenGateway, type ListeningGateway } from './listening-gateway';
import { MemoryIo } from './memory-io';

const TOKEN = 'dev-wuhan-clerk';

interface PrintedJob {
  jobId: string;
  status: string;
  firstIndex: number;
  total: number;
  succeeded: number;
  failed: number;
  items: { index: number; status: string; licenseId?: string; error?: { code: string } }[];
}

/** The JSON documents `certhub import --json` printed, one per job, one after another. */
function printedJobs(text: string): PrintedJob[] {
  return text
    .split(/\n(?=\{)/)
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => JSON.parse(chunk) as PrintedJob);
}

describe('certhub import against the real gateway', function () {
  this.timeout(120_000);
  let gateway: ListeningGateway;
  let io: MemoryIo;
  const cli = (args: string[]): Promise<number> =>
    runCli([...args, '--url', gateway.url, '--token', TOKEN, '--poll-ms', '20'], io);

  before(async () => {
    // Merkle batches of 4, so a small file spans several batch anchors.
    gateway = await listenGateway({ imports: { batchSize: 4 } });
  });
  after(async () => {
    await gateway.close();
  });
  beforeEach(() => {
    io = new MemoryIo();
  });

  it('imports NDJSON in parts, names the bad line, every issued license verifies, and a rerun issues nothing', async () => {
    // Ten requests, the fifth with an ID number whose check character is wrong; a blank first line.
    const requests = licenseRequests(10, 'CLI');
    requests[4] = businessLicenseRequest({
      number: 'No.CLI-bad',
      holder: { name: '武汉示例有限公司', idType: '001', id: '91420100303217469X' },
    });
    io.files.set('licenses.ndjson', Buffer.from(`\n${ndjsonOf(requests)}`));
    const args = ['import', 'licenses.ndjson', '--part-items', '4', '--idempotency-key', 'cli-e2e'];

    assert.equal(await cli(args), 1, io.err);
    const summary = io.out.split('\n');
    assert.match(summary[0] ?? '', /^job \S+: COMPLETED, 4 issued, 0 failed, 4 items \(lines 1–5\)$/);
    assert.match(summary[1] ?? '', /^job \S+: COMPLETED, 3 issued, 1 failed, 4 items \(lines 6–9\)$/);
    assert.match(summary[2] ?? '', /^job \S+: COMPLETED, 2 issued, 0 failed, 2 items \(lines 10–11\)$/);
    assert.equal(summary[3], 'total: 9 issued, 1 failed, 10 items in 3 jobs');
    assert.equal(summary[4], 'failed items:');
    // The fifth request is on line 6 of the file (file index 5).
    assert.match(summary[5] ?? '', /^ {2}#5 \(line 6\): VALIDATION_FAILED: .*\/holder\/id/);
    assert.match(io.err, /^import licenses\.ndjson: 10\/10 100%/m);

    // The same file and key again: the gateway hands back the same jobs and the ledger gains nothing.
    const height = gateway.hub.hub.ledger.height;
    io.reset();
    assert.equal(await cli([...args, '--json']), 1, io.err);
    assert.equal(gateway.hub.hub.ledger.height, height, 'nothing issued twice');
    const jobs = printedJobs(io.out);
    assert.deepEqual(
      jobs.map((j) => [j.firstIndex, j.total, j.succeeded, j.failed]),
      [
        [0, 4, 4, 0],
        [5, 4, 3, 1],
        [9, 2, 2, 0],
      ],
    );
    assert.deepEqual(
      jobs.map((j) => summary[jobs.indexOf(j)]?.split(' ')[1]),
      jobs.map((j) => `${j.jobId}:`),
      'the same jobs as the first run',
    );

    const issued = jobs.flatMap((j) =>
      j.items.flatMap((item) => (item.licenseId === undefined ? [] : [item.licenseId])),
    );
    assert.equal(issued.length, 9);
    for (const licenseId of issued) {
      io.reset();
      assert.equal(await runCli(['license', 'verify', '--id', licenseId, '--url', gateway.url], io), 0, io.out);
      assert.match(io.out, /^✓ anchor: /m);
    }
  });

  it('imports a JSON array as one job and exits 0', async () => {
    const before = await transactionsByFn(gateway.hub.hub);
    io.files.set('licenses.json', Buffer.from(JSON.stringify(licenseRequests(6, 'CLI-J'), null, 2)));
    assert.equal(await cli(['import', 'licenses.json']), 0, io.err);
    assert.match(io.out, /^job \S+: COMPLETED, 6 issued, 0 failed, 6 items\n$/);
    const after = await transactionsByFn(gateway.hub.hub);
    // Six licenses in batches of four: two Merkle roots on chain, not six single anchors.
    assert.equal((after.anchorBatch ?? 0) - (before.anchorBatch ?? 0), 2);
    assert.equal(after.anchor ?? 0, before.anchor ?? 0);
  });

  it('is refused for a verifier (403) before anything is issued', async () => {
    io.files.set('licenses.json', Buffer.from(JSON.stringify(licenseRequests(1, 'CLI-V'))));
    const height = gateway.hub.hub.ledger.height;
    assert.equal(
      await runCli(['import', 'licenses.json', '--url', gateway.url, '--token', 'dev-guangde-verifier'], io),
      2,
    );
    assert.match(io.err, /^certhub: 403 FORBIDDEN: /);
    assert.equal(gateway.hub.hub.ledger.height, height);
  });
});
