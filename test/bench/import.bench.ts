/**
 * Bulk import throughput end to end (npm run bench:import): the real gateway in its own process on 127.0.0.1
 * (development mode, embedded ledger), a clerk POSTs an NDJSON batch of BENCH_IMPORT_ITEMS (default 5,000) issue
 * requests to /v1/licenses/batch and polls GET /v1/jobs/{jobId} until the job completes. Timed from the first byte
 * of the POST to the poll that sees COMPLETED, so it covers parsing, validation, sealing the requests, serial
 * allocation, building and SM2-signing each document, SM4-sealed document storage, one signed Merkle root per batch
 * of 500 and one recordBatchMember transaction per license. Runs BENCH_IMPORT_RUNS times (default 3) against one
 * gateway and reports the median, the gateway's CPU seconds per run, and the machine load. Prints a table and one
 * JSON line.
 */
import { machineLoad, processCpuSeconds, startGateway } from './gateway-process';
import { median } from './measure';

const ITEMS = Number(process.env['BENCH_IMPORT_ITEMS'] ?? 5000);
const RUNS = Number(process.env['BENCH_IMPORT_RUNS'] ?? 3);
const POLL_MS = 50;
const CLERK = { Authorization: 'Bearer dev-wuhan-clerk' };

interface JobStatus {
  status: string;
  processed: number;
  succeeded: number;
  failed: number;
}

/** A business license for the development enterprise; each item's number differs, so every document does. */
function issueRequest(number: string): Record<string, unknown> {
  return {
    typeCode: '11100000000013338W032',
    number,
    name: '营业执照',
    holder: { name: '武汉光谷示例科技有限公司', idType: '001', id: '91420100303217469Q' },
    validFrom: '2026-01-01',
    validUntil: '2036-01-01',
    fields: { scope: '软件开发', capital: '100万元' },
  };
}

function ndjsonBatch(run: number): string {
  let text = '';
  for (let i = 0; i < ITEMS; i++)
    text += `${JSON.stringify(issueRequest(`No.bench-${run}-${String(i).padStart(6, '0')}`))}\n`;
  return text;
}

async function importOnce(url: string, pid: number, run: number): Promise<{ seconds: number; cpuSeconds: number }> {
  const body = ndjsonBatch(run);
  const cpuBefore = processCpuSeconds(pid);
  const started = process.hrtime.bigint();
  const posted = await fetch(`${url}/v1/licenses/batch`, {
    method: 'POST',
    headers: { ...CLERK, 'Content-Type': 'application/x-ndjson' },
    body,
  });
  if (posted.status !== 202)
    throw new Error(`POST /v1/licenses/batch answered ${posted.status}: ${await posted.text()}`);
  const location = posted.headers.get('location');
  if (location === null) throw new Error('202 without Location');
  for (;;) {
    const response = await fetch(`${url}${location}?limit=1`, { headers: CLERK });
    const job = (await response.json()) as JobStatus;
    if (job.status === 'COMPLETED' || job.status === 'FAILED') {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (job.status !== 'COMPLETED' || job.succeeded !== ITEMS) {
        throw new Error(`job ended ${job.status} with ${job.succeeded} of ${ITEMS} issued (${job.failed} failed)`);
      }
      return { seconds, cpuSeconds: processCpuSeconds(pid) - cpuBefore };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function main(): Promise<void> {
  const gateway = await startGateway();
  try {
    const loadBefore = machineLoad();
    const runs: { seconds: number; cpuSeconds: number }[] = [];
    for (let run = 0; run < RUNS; run++) runs.push(await importOnce(gateway.url, gateway.pid, run));
    const rates = runs.map((r) => ITEMS / r.seconds);
    const result = {
      bench: 'import',
      backend: 'embedded',
      items: ITEMS,
      runs: runs.map((r) => ({
        seconds: Math.round(r.seconds * 100) / 100,
        licensesPerSecond: Math.round(ITEMS / r.seconds),
        gatewayCpuSeconds: Math.round(r.cpuSeconds * 100) / 100,
      })),
      medianLicensesPerSecond: Math.round(median(rates)),
      medianLicensesPerGatewayCpuSecond: Math.round(median(runs.map((r) => ITEMS / r.cpuSeconds))),
      loadBefore,
      loadAfter: machineLoad(),
    };
    console.log(`bulk import of ${ITEMS} licenses (NDJSON, batches of 500) through the gateway, ${RUNS} runs`);
    console.log(`${loadBefore} at start; ${result.loadAfter} at end`);
    console.log(['run'.padEnd(4), 'seconds'.padEnd(8), 'licenses/s'.padEnd(11), 'gateway CPU s'].join(' | '));
    result.runs.forEach((r, i) => {
      console.log(
        [
          String(i + 1).padEnd(4),
          String(r.seconds).padEnd(8),
          String(r.licensesPerSecond).padEnd(11),
          String(r.gatewayCpuSeconds),
        ].join(' | '),
      );
    });
    console.log(
      `median ${result.medianLicensesPerSecond} licenses/s (${result.medianLicensesPerGatewayCpuSecond} per gateway CPU second)`,
    );
    console.log(JSON.stringify(result));
  } finally {
    await gateway.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
