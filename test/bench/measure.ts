// Timing helpers for the benchmarks: run an operation for a fixed wall-clock budget and report a rate, and
// take medians over rounds so one noisy round (GC, the other core busy) does not decide the figure.

/**
 * Which time a rate is divided by. `openssl speed` divides by the CPU (user) time it used unless given
 * -elapsed, so its figures stay meaningful on a busy machine; 'cpu' (this process's user + system time) makes
 * ours comparable to them. 'wall' is for throughput across threads, where elapsed time is the point.
 */
export type Clock = 'cpu' | 'wall';

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Operations per second of `operation`, run for about `budgetMs` of wall-clock time after a short warm-up. */
export function ratePerSecond(operation: () => unknown, budgetMs: number, clock: Clock = 'cpu'): number {
  for (let i = 0; i < 3; i++) operation();
  const startCpu = cpuMicros();
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(budgetMs * 1e6));
  let count = 0;
  let elapsed = 0n;
  // Check the clock every few calls only: hrtime costs far less than an SM2 operation, but not nothing.
  let batch = 1;
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) operation();
    count += batch;
    elapsed = process.hrtime.bigint() - start;
    if (elapsed < budget / 20n) batch *= 2;
  }
  if (clock === 'wall') return count / (Number(elapsed) / 1e9);
  return count / ((cpuMicros() - startCpu) / 1e6);
}

/** Operations per second of `operation` applied once to each item (for work that must not repeat an input). */
export function rateOverItems<T>(items: readonly T[], operation: (item: T) => unknown, clock: Clock = 'cpu'): number {
  const startCpu = cpuMicros();
  const start = process.hrtime.bigint();
  for (const item of items) operation(item);
  const seconds = clock === 'wall' ? Number(process.hrtime.bigint() - start) / 1e9 : (cpuMicros() - startCpu) / 1e6;
  return items.length / seconds;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median over `rounds` of what `measureOnce` returns. */
export async function medianOf(rounds: number, measureOnce: () => number | Promise<number>): Promise<number> {
  const results: number[] = [];
  for (let i = 0; i < rounds; i++) results.push(await measureOnce());
  return median(results);
}
