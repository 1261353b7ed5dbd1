/**
 * Runs the real gateway (`node gateway/dist/main.js`, development mode, embedded ledger) as its own process on
 * 127.0.0.1, so that a benchmark's load generator and the gateway do not share an event loop: what is measured is
 * what a client on this machine would see. Its logs go to a file in its data directory (a deployment writes them
 * somewhere too; piping them back here would make this process pay for them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GatewayProcess {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the kernel picks it; there is a small window before the gateway binds). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no TCP port was assigned'));
        else resolve(address.port);
      });
    });
  });
}

async function waitUntilHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the gateway did not answer /healthz within ${timeoutMs} ms`);
}

/** Starts a gateway on a fresh data directory and a free port; resolves once /healthz answers 200. */
export async function startGateway(extraEnv: Readonly<Record<string, string>> = {}): Promise<GatewayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'certhub-bench-api-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(join(dataDir, 'gateway.log'), 'a');
  const child = spawn(process.execPath, [...gatewayNodeOptions(), require.resolve('@certhub/gateway/dist/main.js')], {
    env: { ...process.env, ...extraEnv, CERTHUB_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    if (process.env['BENCH_KEEP_DATA'] === undefined) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilHealthy(url, child, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined) throw new Error('the gateway process has no pid');
  return { url, pid: child.pid, dataDir, stop };
}

/** BENCH_GATEWAY_NODE_OPTIONS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to profile the gateway under load. */
function gatewayNodeOptions(): string[] {
  const options = process.env['BENCH_GATEWAY_NODE_OPTIONS'];
  return options === undefined || options.trim() === '' ? [] : options.trim().split(/\s+/);
}

/** "load average 0.61 0.98 1.40 (1/5/15 min), 2 cores": what every figure is read against on a shared machine. */
export function machineLoad(): string {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return `load average ${one.toFixed(2)} ${five.toFixed(2)} ${fifteen.toFixed(2)} (1/5/15 min), ${availableParallelism()} cores`;
}

/** The p-th percentile (0–100) of samples, nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * CPU seconds (user + system, all threads) a process has used so far, from /proc/<pid>/stat; NaN where there is no
 * /proc. CPU per request is the figure a busy shared machine does not distort much: wall-clock throughput falls when
 * other work takes the cores, the work per request does not.
 */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}
