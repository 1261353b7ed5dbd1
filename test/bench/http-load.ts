/**
 * One autocannon run against a gateway, with every response checked: the bench counts transport errors, timeouts,
 * non-2xx answers and answers with the wrong content, and keeps the latency of every response itself (autocannon's
 * own histogram "corrects" fixed-rate runs for coordinated omission with a 1 ms interval, which adds synthetic
 * samples; the raw per-response times are what a client saw).
 */
import autocannon from 'autocannon';
import { percentile, processCpuSeconds } from './gateway-process';

export interface LoadOptions {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Request bodies, sent round-robin across all connections. */
  readonly bodies?: readonly string[];
  /** Why a response is wrong, or undefined when it is right. */
  readonly check: (status: number, body: string) => string | undefined;
  readonly connections: number;
  /** Run for this many seconds… */
  readonly seconds?: number;
  /** …or until this many responses. */
  readonly amount?: number;
  /** Requests per second over all connections (autocannon sends each connection's per-second quota back to back). */
  readonly overallRate?: number;
  /** The server's process, whose CPU time per response is reported. */
  readonly serverPid?: number;
}

export interface LoadResult {
  readonly responses: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** CPU milliseconds the server process used per response (all its threads), NaN if unknown. */
  readonly serverCpuMsPerResponse: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /** Responses that failed `check` (including non-2xx ones). */
  readonly wrong: number;
  /** The first few reasons, to print. */
  readonly wrongExamples: readonly string[];
}

const EXAMPLES = 5;

export function failures(result: LoadResult): number {
  return result.errors + result.wrong;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const bodies = options.bodies ?? [];
  let next = 0;
  let wrong = 0;
  const wrongExamples: string[] = [];
  const latencies: number[] = [];
  const request: autocannon.Request = {
    method: options.method,
    path: options.path,
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(bodies.length === 0
      ? {}
      : {
          setupRequest: (req: autocannon.Request): autocannon.Request => {
            const body = bodies[next % bodies.length];
            next += 1;
            return { ...req, body };
          },
        }),
    onResponse: (status: number, body: string): void => {
      const problem = options.check(status, body);
      if (problem === undefined) return;
      wrong += 1;
      if (wrongExamples.length < EXAMPLES) wrongExamples.push(`${status}: ${problem}: ${body.slice(0, 300)}`);
    },
  };
  let settle: (outcome: { error: Error | null; result: autocannon.Result }) => void = () => undefined;
  const finished = new Promise<{ error: Error | null; result: autocannon.Result }>((resolve) => (settle = resolve));
  const cpuBefore = options.serverPid === undefined ? Number.NaN : processCpuSeconds(options.serverPid);
  const instance = autocannon(
    {
      url: options.url,
      connections: options.connections,
      requests: [request],
      ...(options.seconds === undefined ? {} : { duration: options.seconds }),
      ...(options.amount === undefined ? {} : { amount: options.amount }),
      ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
      timeout: 10,
    },
    (error: unknown, result) => {
      settle({ error: error === null || error === undefined ? null : toError(error), result });
    },
  );
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const { error, result } = await finished;
  const cpuSeconds = options.serverPid === undefined ? Number.NaN : processCpuSeconds(options.serverPid) - cpuBefore;
  if (error !== null) throw error;
  return {
    responses: latencies.length,
    seconds: result.duration,
    perSecond: latencies.length / result.duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.reduce((a, b) => Math.max(a, b), 0),
    serverCpuMsPerResponse: (cpuSeconds * 1000) / latencies.length,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    wrong,
    wrongExamples,
  };
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

export function describeLoad(result: LoadResult): string {
  const health =
    failures(result) === 0
      ? 'all checked OK'
      : `FAILURES: ${result.errors} transport errors (${result.timeouts} timeouts), ${result.non2xx} non-2xx, ` +
        `${result.wrong} wrong answers`;
  return (
    `${Math.round(result.perSecond).toLocaleString('en-US')} req/s over ${result.seconds.toFixed(1)} s ` +
    `(${result.responses} responses), p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, ` +
    `max ${result.maxMs.toFixed(1)} ms; gateway CPU ${result.serverCpuMsPerResponse.toFixed(3)} ms/response; ${health}`
  );
}
