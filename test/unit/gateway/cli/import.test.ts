import assert from 'node:assert/strict';
import { runCli } from '@certhub/gateway/dist/cli/run';
import { JOB_PAGE_MAX, MAX_BATCH_ITEMS } from '@certhub/gateway/dist/schemas';
import {
  FakeJobGateway,
  failedItem,
  issuedItem,
  jobOf,
  pendingItem,
  problem,
  type JobItemView,
  type JobView,
  type Upload,
} from './fake-job-gateway';
import { refusingUrl } from './listening-gateway';
import { MemoryIo } from './memory-io';

const TOKEN = 'dev-wuhan-clerk';
/** Items one batch request may carry: larger files go as several parts. */
const MAX = MAX_BATCH_ITEMS;
const fmt = (n: number): string => n.toLocaleString('en-US');
const requests = [{ n: 0 }, { n: 1 }, { n: 2 }];
const ARRAY = `[\n  ${requests.map((r) => JSON.stringify(r)).join(',\n  ')}\n]\n`;
const NDJSON = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** `count` items, all issued except those at the given indexes. */
function itemsOf(count: number, failedAt: readonly number[] = []): JobItemView[] {
  return Array.from({ length: count }, (_, i) =>
    failedAt.includes(i) ? failedItem(i, 'VALIDATION_FAILED', `item ${i} is wrong`) : issuedItem(i),
  );
}

describe('certhub import (against a scripted batch gateway)', function () {
  this.timeout(30_000);
  let fake: FakeJobGateway;
  let io: MemoryIo;
  const uploaded = (index: number): Upload => {
    const upload = fake.uploads[index];
    assert.ok(upload, `no upload #${index}`);
    return upload;
  };
  // Flags first, so a test's own --poll-ms (later) wins.
  const cli = (args: string[]): Promise<number> =>
    runCli(['import', '--url', fake.url, '--token', TOKEN, '--poll-ms', '10', ...args], io);

  /** The usual job: queued, partly done, then all three issued. */
  const finished = jobOf('COMPLETED', itemsOf(3));
  const normalRun = (last: JobView = finished): void => {
    fake.progressThrough(
      jobOf('QUEUED', [pendingItem(0), pendingItem(1), pendingItem(2)]),
      jobOf('RUNNING', [issuedItem(0), issuedItem(1), pendingItem(2)]),
      last,
    );
  };

  beforeEach(async () => {
    fake = await FakeJobGateway.start();
    io = new MemoryIo();
    io.files.set('batch.json', Buffer.from(ARRAY));
    io.files.set('batch.ndjson', Buffer.from(NDJSON));
  });
  afterEach(async () => {
    await fake.close();
  });

  it('uploads a JSON array as application/json, follows the job to the end and exits 0', async () => {
    normalRun();
    assert.equal(await cli(['batch.json', '--idempotency-key', 'import-1']), 0, io.err);
    assert.equal(fake.uploads.length, 1);
    const upload = uploaded(0);
    assert.equal(upload.headers['content-type'], 'application/json');
    assert.equal(upload.headers['idempotency-key'], 'import-1');
    assert.equal(upload.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(upload.body.toString('utf8'), ARRAY);
    // Progress polls ask for counters only (one item); no failures, so no result pages.
    assert.deepEqual(fake.jobRequests, Array(3).fill('/v1/jobs/job-1?offset=0&limit=1'));
    assert.equal(io.out, 'job job-1: COMPLETED, 3 issued, 0 failed, 3 items\n');
    // Not a terminal: a plain first line and a final line (the polls in between fall inside the 5 s line interval).
    const lines = io.err.split('\n');
    assert.equal(lines.length, 3, io.err);
    assert.equal(lines[0], 'import batch.json: 0/3 0%');
    assert.match(lines[1] ?? '', /^import batch\.json: 3\/3 100% [\d,]+\/s$/);
    assert.equal(lines[2], '');
    assert.ok(!io.err.includes('\r') && !io.err.includes('\x1b'), 'no terminal control characters');
  });

  it('streams NDJSON as application/x-ndjson (chunked) and names the lines of failed items', async () => {
    normalRun(
      jobOf('COMPLETED', [
        issuedItem(0),
        failedItem(1, 'VALIDATION_FAILED', '/holder/id: must be a valid USCC'),
        issuedItem(2),
      ]),
    );
    assert.equal(await cli(['batch.ndjson']), 1);
    const upload = uploaded(0);
    assert.equal(upload.headers['content-type'], 'application/x-ndjson');
    assert.equal(upload.headers['transfer-encoding'], 'chunked');
    assert.equal(upload.body.toString('utf8'), NDJSON);
    assert.equal(
      io.out,
      'job job-1: COMPLETED, 2 issued, 1 failed, 3 items\n' +
        'failed items:\n' +
        '  #1 (line 2): VALIDATION_FAILED: /holder/id: must be a valid USCC\n',
    );
    assert.equal(fake.jobRequests.at(-1), '/v1/jobs/job-1?offset=0&limit=1000');
  });

  it('tells JSON from NDJSON by the first non-space byte when the name does not say', async () => {
    normalRun();
    io.files.set('a.txt', Buffer.from(`\uFEFF \n${ARRAY}`));
    io.files.set('b.txt', Buffer.from(`\uFEFF\n\n${NDJSON}`));
    assert.equal(await cli(['a.txt']), 0, io.err);
    assert.equal(uploaded(0).headers['content-type'], 'application/json');
    // The byte order mark is dropped; the rest goes as it is.
    assert.equal(uploaded(0).body.toString('utf8'), ` \n${ARRAY}`);
    fake.progressThrough(finished);
    fake.script('job-2', { status: 200, body: { ...finished, jobId: 'job-2' } });
    assert.equal(await cli(['b.txt']), 0, io.err);
    assert.equal(uploaded(1).headers['content-type'], 'application/x-ndjson');
    assert.equal(uploaded(1).body.toString('utf8'), `\n\n${NDJSON}`);
    fake.script('job-3', { status: 200, body: { ...finished, jobId: 'job-3' } });
    io.files.set('c.json', Buffer.from(NDJSON));
    assert.equal(await cli(['c.json', '--format', 'ndjson']), 0, io.err);
    assert.equal(uploaded(2).headers['content-type'], 'application/x-ndjson');
  });

  it('sends more NDJSON lines than one request may carry as consecutive parts, one job each', async () => {
    // A blank first line, then 2 × MAX + 500 items: parts of MAX, MAX and 500 items, lines kept as they are.
    const lines = Array.from({ length: 2 * MAX + 500 }, (_, n) => JSON.stringify({ n }));
    io.files.set('big.ndjson', Buffer.from(`\n${lines.join('\n')}\n`));
    fake.script('job-1', { status: 200, body: jobOf('COMPLETED', itemsOf(MAX), 'job-1') });
    // Part 2 starts at line MAX + 2 (file index MAX + 1): its item index 6 is file index MAX + 7, line MAX + 8.
    fake.script('job-2', { status: 200, body: jobOf('COMPLETED', itemsOf(MAX, [6]), 'job-2') });
    fake.script('job-3', { status: 200, body: jobOf('COMPLETED', itemsOf(500), 'job-3') });
    assert.equal(await cli(['big.ndjson', '--idempotency-key', 'big']), 1, io.err);

    assert.equal(fake.uploads.length, 3);
    const bodies = fake.uploads.map((u) => u.body.toString('utf8'));
    assert.equal(bodies.join(''), `\n${lines.join('\n')}\n`, 'the parts are the file, in order, cut at line ends');
    assert.deepEqual(
      bodies.map((b) => b.split('\n').filter((l) => l !== '').length),
      [MAX, MAX, 500],
    );
    assert.deepEqual(
      fake.uploads.map((u) => u.headers['idempotency-key']),
      ['big', 'big.2', 'big.3'],
    );
    assert.equal(
      io.out,
      `job job-1: COMPLETED, ${fmt(MAX)} issued, 0 failed, ${fmt(MAX)} items (lines 1–${fmt(MAX + 1)})\n` +
        `job job-2: COMPLETED, ${fmt(MAX - 1)} issued, 1 failed, ${fmt(MAX)} items ` +
        `(lines ${fmt(MAX + 2)}–${fmt(2 * MAX + 1)})\n` +
        `job job-3: COMPLETED, 500 issued, 0 failed, 500 items (lines ${fmt(2 * MAX + 2)}–${fmt(2 * MAX + 501)})\n` +
        `total: ${fmt(2 * MAX + 499)} issued, 1 failed, ${fmt(2 * MAX + 500)} items in 3 jobs\n` +
        'failed items:\n' +
        `  #${MAX + 7} (line ${MAX + 8}): VALIDATION_FAILED: item 6 is wrong\n`,
    );
    const total = fmt(2 * MAX + 500);
    assert.match(io.err, new RegExp(`^import big\\.ndjson: ${total}/${total} 100%`, 'm'));
  });

  it('sends a JSON array longer than one request may carry as consecutive JSON arrays', async () => {
    const many = Array.from({ length: MAX + 1 }, (_, n) => ({ n }));
    io.files.set('many.json', Buffer.from(JSON.stringify(many)));
    fake.script('job-1', { status: 200, body: jobOf('COMPLETED', itemsOf(MAX), 'job-1') });
    fake.script('job-2', { status: 200, body: jobOf('COMPLETED', itemsOf(1, [0]), 'job-2') });
    assert.equal(await cli(['many.json']), 1, io.err);
    assert.deepEqual(
      fake.uploads.map((u) => u.headers['content-type']),
      ['application/json', 'application/json'],
    );
    const parts = fake.uploads.map((u) => JSON.parse(u.body.toString('utf8')) as unknown[]);
    assert.deepEqual(parts.flat(), many);
    assert.equal(parts[0]?.length, MAX);
    assert.match(io.out, new RegExp(`^ {2}#${MAX}: VALIDATION_FAILED: item 0 is wrong$`, 'm'));
    assert.ok(io.out.includes(`(items ${fmt(MAX)}–${fmt(MAX)})`), io.out);
  });

  it('reads failed items page by page', async () => {
    const count = 2 * JOB_PAGE_MAX;
    assert.ok(count <= MAX, 'one part');
    io.files.set('pages.ndjson', Buffer.from(Array.from({ length: count }, (_, n) => `{"n":${n}}`).join('\n')));
    const failedAt = [10, JOB_PAGE_MAX + 500, count - 1];
    fake.progressThrough(jobOf('COMPLETED', itemsOf(count, failedAt)));
    assert.equal(await cli(['pages.ndjson']), 1);
    assert.deepEqual(fake.jobRequests.slice(-2), [
      `/v1/jobs/job-1?offset=0&limit=${JOB_PAGE_MAX}`,
      `/v1/jobs/job-1?offset=${JOB_PAGE_MAX}&limit=${JOB_PAGE_MAX}`,
    ]);
    assert.deepEqual(
      io.out.split('\n').filter((l) => l.startsWith('  #')),
      failedAt.map((i) => `  #${i} (line ${i + 1}): VALIDATION_FAILED: item ${i} is wrong`),
    );
  });

  it('prints each final job with all its items for --json, with the same exit codes', async () => {
    const last = jobOf('COMPLETED', [issuedItem(0), failedItem(1, 'ISSUER_NOT_AUTHORISED', 'no'), issuedItem(2)]);
    normalRun(last);
    assert.equal(await cli(['batch.json', '--json']), 1);
    assert.deepEqual(JSON.parse(io.out), { ...last, firstIndex: 0 });
  });

  it('exits 2 when a job stopped, saying why', async () => {
    const stopped = {
      ...jobOf('FAILED', [issuedItem(0), pendingItem(1), pendingItem(2)]),
      error: { code: 'SIGNING_KEY_UNAVAILABLE', detail: 'the issuer key is sealed' },
    };
    normalRun(stopped);
    assert.equal(await cli(['batch.json']), 2);
    assert.match(io.out, /^job job-1: FAILED, 1 issued, 0 failed, 3 items\n {2}stopped: SIGNING_KEY_UNAVAILABLE: /);
    assert.match(
      io.err,
      /certhub import: job job-1 stopped after 1 of 3 items: SIGNING_KEY_UNAVAILABLE: the issuer key is sealed\n$/,
    );
  });

  it('waits out a gateway that is briefly unavailable while the job runs', async () => {
    fake.script(
      'job-1',
      { status: 200, body: jobOf('RUNNING', [issuedItem(0), pendingItem(1), pendingItem(2)]) },
      problem(503, 'LEDGER_UNAVAILABLE', 'the ledger is restarting'),
      { status: 200, body: finished },
    );
    assert.equal(await cli(['batch.json']), 0, io.err);
    assert.match(io.err, /certhub import: 503 LEDGER_UNAVAILABLE: the ledger is restarting; asking again in \d+ ms\n/);
    assert.equal(io.out, 'job job-1: COMPLETED, 3 issued, 0 failed, 3 items\n');
  });

  it('reports a refused upload with the gateway’s status and code, exit 2, without polling', async () => {
    fake.acceptAnswers = [problem(401, 'UNAUTHENTICATED', 'the bearer token is not recognised')];
    assert.equal(await cli(['batch.ndjson']), 2);
    assert.equal(io.err, 'certhub: 401 UNAUTHENTICATED: the bearer token is not recognised\n');
    assert.equal(fake.polls, 0);
    assert.doesNotMatch(io.out + io.err, new RegExp(TOKEN));
  });

  it('names the part a refusal came from, and the jobs already running', async () => {
    io.files.set('big.ndjson', Buffer.from(Array.from({ length: MAX + 1 }, (_, n) => `{"n":${n}}`).join('\n')));
    fake.acceptAnswers = [
      { status: 202, body: { jobId: 'job-1' } },
      problem(413, 'BATCH_TOO_LARGE', 'the batch is too large'),
    ];
    fake.progressThrough(jobOf('RUNNING', itemsOf(1)));
    assert.equal(await cli(['big.ndjson']), 2);
    const last = fmt(MAX + 1);
    assert.equal(
      io.err.split('\n').slice(-3).join('\n'),
      'certhub import: the parts before part 2 carry on in the gateway as jobs job-1\n' +
        `certhub: 413 BATCH_TOO_LARGE: the batch is too large (part 2 of 2: lines ${last}–${last} of big.ndjson)\n`,
    );
  });

  it('reports a non-problem error page (a proxy’s 502) by its status', async () => {
    fake.acceptAnswers = [{ status: 502, body: '<html><title>502 Bad Gateway</title></html>', type: 'text/html' }];
    assert.equal(await cli(['batch.json']), 2);
    assert.equal(io.err, 'certhub: 502 HTTP_502: 502 Bad Gateway\n');
  });

  it('refuses a job answer that breaks the Job schema instead of guessing', async () => {
    const { items: _dropped, ...withoutItems } = finished;
    fake.script('job-1', { status: 200, body: withoutItems });
    assert.equal(await cli(['batch.json']), 2);
    assert.match(
      io.err,
      /GET \/v1\/jobs\/job-1\?offset=0&limit=1 answered with something its contract does not allow \(\/items: is required\)/,
    );
  });

  it('draws a bar redrawn in place when stderr is a terminal', async () => {
    normalRun();
    io.stderrIsTty = true;
    assert.equal(await cli(['batch.json']), 0, io.err);
    const frames = io.err.split('\r').filter((f) => f !== '');
    assert.equal(frames[0], `[${'.'.repeat(30)}] 0/3 0%\x1b[K`);
    assert.match(frames.at(-1) ?? '', new RegExp(`^\\[${'#'.repeat(30)}\\] 3/3 100% [\\d,]+/s\\x1b\\[K\\n$`));
    assert.equal(io.err.split('\n').length, 2, 'one line, ended once');
  });

  describe('input and usage errors: exit 2, nothing sent', () => {
    const cases: [string, string, string[], RegExp][] = [
      ['an empty file', '', [], /in\.json is empty: nothing to import/],
      ['only whitespace', ' \n\t\n', [], /in\.json is empty/],
      [
        'an object in a .json file',
        '{"n":1}',
        [],
        /is not a JSON array \(which starts with "\["\): it starts with "\{"/,
      ],
      ['an array with --format ndjson', '[{"n":1}]', ['--format', 'ndjson'], /is not NDJSON .*it starts with "\["/],
      ['broken JSON', '[{"n":1},', [], /is not valid JSON .*--format ndjson/],
      ['an empty array', '[]', [], /is an empty array: nothing to import/],
      [
        'an NDJSON line that is not JSON, named without quoting it',
        '{"n":1}\n\n{"holder":"110101199003077777"',
        ['--format', 'ndjson'],
        /^certhub import: in\.json line 3 is not valid JSON; nothing was sent \[CLI_INPUT\]\n$/,
      ],
      ['an unknown --format', '[{"n":1}]', ['--format', 'xml'], /--format must be json or ndjson, got "xml"/],
      ['a too short --poll-ms', '[{"n":1}]', ['--poll-ms', '5'], /--poll-ms must be a whole number/],
      ['a bad --idempotency-key', '[{"n":1}]', ['--idempotency-key', 'a b'], /--idempotency-key must be/],
    ];
    for (const [what, content, extra, message] of cases) {
      it(what, async () => {
        io.files.set('in.json', Buffer.from(content));
        assert.equal(await cli(['in.json', ...extra]), 2);
        assert.match(io.err, message);
        assert.equal(fake.uploads.length, 0);
      });
    }

    it('a file that is neither JSON nor NDJSON, and a missing file', async () => {
      io.files.set('x.csv', Buffer.from('typeCode,number\n'));
      assert.equal(await cli(['x.csv']), 2);
      assert.match(io.err, /x\.csv is neither a JSON array nor NDJSON: it starts with "t"/);
      io.reset();
      assert.equal(await cli(['absent.ndjson']), 2);
      assert.match(io.err, /cannot read absent\.ndjson/);
      assert.equal(fake.uploads.length, 0);
    });

    it('no token, and a gateway that is not there', async () => {
      assert.equal(await runCli(['import', 'batch.json', '--url', fake.url], io), 2);
      assert.match(io.err, /needs a token/);
      io.reset();
      const url = await refusingUrl();
      assert.equal(await runCli(['import', 'batch.json', '--url', url, '--token', TOKEN], io), 2);
      assert.match(io.err, new RegExp(`^certhub: cannot reach the gateway at ${url}: ECONNREFUSED`));
    });

    it('--help', async () => {
      assert.equal(await runCli(['import', '--help'], io), 0);
      assert.match(io.out, /^usage: certhub import FILE \[--format FORMAT\] \[--idempotency-key IDEMPOTENCY_KEY\]/);
      assert.match(io.out, /--poll-ms/);
    });
  });
});
