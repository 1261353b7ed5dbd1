/**
 * Gateway throughput and latency (npm run bench:api, issue 4): the real gateway runs as its own process
 * (`node gateway/dist/main.js`, development mode, embedded ledger, a fresh data directory, a free port on 127.0.0.1)
 * and this process drives it with autocannon over keep-alive connections.
 * - Seeds BENCH_LICENSES licenses (default 300) through POST /v1/licenses as the Wuhan clerk.
 * - POST /v1/verify at full speed, anonymously, for each request shape: the signed document, the license ID, the QR
 *   payload; then signed in as the Guangde verifier (which adds the recognition step). Requests cycle through all the
 *   seeded licenses. Every response must be 200 with verdict VALID. Each shape runs BENCH_REPEATS times (default 3),
 *   the shapes taking turns, and is judged on its median run: on a shared 2-core machine single runs of the same
 *   code differ by ±15 %.
 * - The same shapes at a fixed 1,000 req/s (autocannon's overallRate): latency p50/p99.
 * - POST /v1/licenses at full speed: issuance per second, every response 201.
 * - POST /v1/verify by license ID at full speed while licenses are issued at 50/s beside it (a mixed load).
 * Prints the machine's load before and after, a line per run, the target lines and one JSON line. Exits 1 if any
 * request failed or answered wrongly: a figure made of errors is not a figure.
 */
import { loadavg } from 'node:os';
import { machineLoad, startGateway } from './gateway-process';
import { describeLoad, failures, runLoad, type LoadResult } from './http-load';

const LICENSES = Number(process.env['BENCH_LICENSES'] ?? 300);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 16);
const REPEATS = Math.max(1, Number(process.env['BENCH_REPEATS'] ?? 3));
const FIXED_RATE = 1000;
const ISSUES = Number(process.env['BENCH_ISSUES'] ?? 2000);
/** Issuances per second beside the mixed run's verifications. */
const MIXED_ISSUE_RATE = 50;
/** Only the request shapes whose name contains this (for profiling one path); default all. */
const ONLY = process.env['BENCH_ONLY'] ?? '';
const VERIFY_TARGET_PER_SECOND = 2000;
const P99_TARGET_MS = 50;

const CLERK = { authorization: 'Bearer dev-wuhan-clerk' };
const VERIFIER = { authorization: 'Bearer dev-guangde-verifier' };
const BUSINESS_LICENSE = '11100000000013338W032';

interface Issued {
  readonly licenseId: string;
  readonly docHash: string;
  readonly document: unknown;
}

function issueBody(n: number): string {
  return JSON.stringify({
    typeCode: BUSINESS_LICENSE,
    number: `42010000${String(n).padStart(7, '0')}`,
    name: '营业执照',
    holder: { name: `武汉基准测试${n}有限公司`, idType: '001', id: '914403001922038216' },
    validFrom: '2026-01-01',
    validUntil: '2036-12-31',
    fields: {},
  });
}

async function issueOne(url: string, n: number): Promise<Issued> {
  const response = await fetch(`${url}/v1/licenses`, {
    method: 'POST',
    headers: { ...CLERK, 'content-type': 'application/json' },
    body: issueBody(n),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`seeding license ${n}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Issued;
}

/** Issues `count` licenses, eight requests in flight, and returns them in order. */
async function seed(url: string, count: number): Promise<Issued[]> {
  const issued: Issued[] = new Array<Issued>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const n = next;
      next += 1;
      issued[n] = await issueOne(url, n);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return issued;
}

const checkValid = (status: number, body: string): string | undefined => {
  if (status !== 200) return 'not 200';
  // res.json() writes the report's keys in order, verdict first; a prefix test keeps the load generator cheap.
  return body.startsWith('{"verdict":"VALID",') ? undefined : 'verdict is not VALID';
};

const checkIssued = (status: number): string | undefined => (status === 201 ? undefined : 'not 201');

interface Scenario {
  readonly name: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodies: readonly string[];
}

function scenarios(issued: readonly Issued[]): Scenario[] {
  const all: Scenario[] = [
    { name: 'document', headers: {}, bodies: issued.map((l) => JSON.stringify({ document: l.document })) },
    { name: 'licenseId', headers: {}, bodies: issued.map((l) => JSON.stringify({ licenseId: l.licenseId })) },
    {
      name: 'qr',
      headers: {},
      bodies: issued.map((l) => JSON.stringify({ qr: `certhub:1:${l.licenseId}:${l.docHash}` })),
    },
    {
      name: 'licenseId, signed-in verifier',
      headers: VERIFIER,
      bodies: issued.map((l) => JSON.stringify({ licenseId: l.licenseId })),
    },
  ];
  return all.filter((s) => s.name.includes(ONLY));
}

interface Row {
  readonly what: string;
  readonly result: LoadResult;
  /** A row that stands for others (a shape's median round): its failures are counted in its own round's row. */
  readonly summary?: boolean;
}

/** The run with the median rate (the lower middle one of an even count), all its figures as measured together. */
function medianRun(results: readonly LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.perSecond - b.perSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)] as LoadResult;
}

function print(row: Row): Row {
  process.stdout.write(`  ${row.what.padEnd(48)} ${describeLoad(row.result)}\n`);
  for (const example of row.result.wrongExamples) process.stdout.write(`      wrong: ${example}\n`);
  return row;
}

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  process.stdout.write(`bench:api start: ${machineLoad()}\n`);
  const gateway = await startGateway();
  process.stdout.write(`gateway pid ${gateway.pid} at ${gateway.url}, data ${gateway.dataDir}\n`);
  const rows: Row[] = [];
  try {
    const started = process.hrtime.bigint();
    const issued = await seed(gateway.url, LICENSES);
    const seedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(
      `seeded ${issued.length} licenses in ${seedSeconds.toFixed(1)} s (8 in flight: ${Math.round(issued.length / seedSeconds)}/s)\n`,
    );

    process.stdout.write(
      `POST /v1/verify, full speed, ${CONNECTIONS} keep-alive connections, ${SECONDS} s each, ${REPEATS} rounds:\n`,
    );
    const load = {
      url: gateway.url,
      serverPid: gateway.pid,
      method: 'POST' as const,
      path: '/v1/verify',
      check: checkValid,
    };
    for (const scenario of scenarios(issued)) {
      // Warm-up (JIT, caches) is checked too, but not reported.
      const warm = await runLoad({ ...load, ...scenario, connections: CONNECTIONS, seconds: 2 });
      if (failures(warm) > 0) rows.push(print({ what: `verify ${scenario.name} (warm-up)`, result: warm }));
    }
    const rounds = new Map<string, LoadResult[]>();
    for (let round = 1; round <= REPEATS; round++) {
      for (const scenario of scenarios(issued)) {
        const result = await runLoad({ ...load, ...scenario, connections: CONNECTIONS, seconds: SECONDS });
        rounds.set(scenario.name, [...(rounds.get(scenario.name) ?? []), result]);
        rows.push(print({ what: `verify ${scenario.name}, max, round ${round}`, result }));
      }
    }
    for (const [name, results] of rounds) {
      const median = medianRun(results);
      rows.push({ what: `verify ${name}, max`, result: median, summary: true });
      process.stdout.write(
        `  ${`verify ${name}, max (median of ${results.length})`.padEnd(48)} ${Math.round(median.perSecond)} req/s ` +
          `(rounds: ${results.map((r) => Math.round(r.perSecond)).join(', ')})\n`,
      );
    }

    process.stdout.write(`POST /v1/verify at a fixed ${FIXED_RATE} req/s (overallRate), ${CONNECTIONS} connections:\n`);
    for (const scenario of scenarios(issued)) {
      rows.push(
        print({
          what: `verify ${scenario.name}, ${FIXED_RATE}/s`,
          result: await runLoad({
            url: gateway.url,
            serverPid: gateway.pid,
            method: 'POST',
            path: '/v1/verify',
            check: checkValid,
            ...scenario,
            connections: CONNECTIONS,
            seconds: SECONDS,
            overallRate: FIXED_RATE,
          }),
        }),
      );
    }

    if (ISSUES > 0) {
      process.stdout.write(`POST /v1/licenses, full speed, ${CONNECTIONS} connections, ${ISSUES} issuances:\n`);
      rows.push(
        print({
          what: 'issue',
          result: await runLoad({
            url: gateway.url,
            serverPid: gateway.pid,
            method: 'POST',
            path: '/v1/licenses',
            headers: CLERK,
            bodies: Array.from({ length: ISSUES }, (_, i) => issueBody(LICENSES + i)),
            check: checkIssued,
            connections: CONNECTIONS,
            amount: ISSUES,
          }),
        }),
      );
    }

    // Verification while clerks issue: every issuance commits writes, and what the ledger remembers must survive
    // writes it did not read (registry records, other licenses' anchors) for verification to stay fast.
    process.stdout.write(
      `POST /v1/verify {licenseId} at full speed while POST /v1/licenses runs at ${MIXED_ISSUE_RATE}/s beside it:\n`,
    );
    const byLicenseId = scenarios(issued).find((s) => s.name === 'licenseId');
    if (byLicenseId !== undefined) {
      const [verifying, issuing] = await Promise.all([
        runLoad({
          url: gateway.url,
          method: 'POST',
          path: '/v1/verify',
          check: checkValid,
          ...byLicenseId,
          connections: CONNECTIONS,
          seconds: SECONDS,
        }),
        runLoad({
          url: gateway.url,
          method: 'POST',
          path: '/v1/licenses',
          headers: CLERK,
          bodies: Array.from({ length: MIXED_ISSUE_RATE * SECONDS + 100 }, (_, i) => issueBody(LICENSES + ISSUES + i)),
          check: checkIssued,
          connections: 4,
          seconds: SECONDS,
          overallRate: MIXED_ISSUE_RATE,
        }),
      ]);
      rows.push(print({ what: `verify licenseId, max, while issuing ${MIXED_ISSUE_RATE}/s`, result: verifying }));
      rows.push(print({ what: `issue at ${MIXED_ISSUE_RATE}/s beside verification`, result: issuing }));
    }
  } finally {
    await gateway.stop();
  }
  process.stdout.write(`bench:api end: ${machineLoad()}\n`);

  const find = (what: string): LoadResult | undefined => rows.find((r) => r.what === what)?.result;
  const maxRows = rows.filter((r) => r.what.endsWith(', max'));
  const rateRows = rows.filter((r) => r.what.endsWith(`, ${FIXED_RATE}/s`));
  const slowest = maxRows.reduce<Row | undefined>(
    (worst, r) => (worst === undefined || r.result.perSecond < worst.result.perSecond ? r : worst),
    undefined,
  );
  const worstP99 = rateRows.reduce<Row | undefined>(
    (worst, r) => (worst === undefined || r.result.p99Ms > worst.result.p99Ms ? r : worst),
    undefined,
  );
  const failed = rows.reduce((sum, r) => sum + (r.summary === true ? 0 : failures(r.result)), 0);
  const verifyPass = slowest !== undefined && slowest.result.perSecond >= VERIFY_TARGET_PER_SECOND;
  const p99Pass = worstP99 !== undefined && worstP99.result.p99Ms < P99_TARGET_MS;
  process.stdout.write(
    `verify ≥ 2,000/s: ${verifyPass ? 'PASS' : 'FAIL'} (slowest shape: ${slowest?.what ?? 'none'}, ` +
      `${Math.round(slowest?.result.perSecond ?? 0)}/s)\n`,
  );
  process.stdout.write(
    `p99 at 1,000 req/s < 50 ms: ${p99Pass ? 'PASS' : 'FAIL'} (worst shape: ${worstP99?.what ?? 'none'}, ` +
      `${(worstP99?.result.p99Ms ?? Number.NaN).toFixed(1)} ms)\n`,
  );
  if (failed > 0)
    process.stdout.write(`ERRORS: ${failed} requests failed or answered wrongly; the figures above are not valid\n`);
  const issue = find('issue');
  process.stdout.write(
    JSON.stringify({
      bench: 'api',
      backend: 'embedded',
      connections: CONNECTIONS,
      licenses: LICENSES,
      loadAverageStart: loadAtStart.map((l) => Math.round(l * 100) / 100),
      loadAverageEnd: loadavg().map((l) => Math.round(l * 100) / 100),
      runs: Object.fromEntries(
        rows.map((r) => [
          r.what,
          {
            perSecond: Math.round(r.result.perSecond),
            p50Ms: Math.round(r.result.p50Ms * 10) / 10,
            p99Ms: Math.round(r.result.p99Ms * 10) / 10,
            gatewayCpuMs: Math.round(r.result.serverCpuMsPerResponse * 1000) / 1000,
            failures: failures(r.result),
          },
        ]),
      ),
      issuePerSecond: Math.round(issue?.perSecond ?? 0),
      verifyTarget: verifyPass ? 'PASS' : 'FAIL',
      p99Target: p99Pass ? 'PASS' : 'FAIL',
      failures: failed,
    }) + '\n',
  );
  if (failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:api failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
