// Known-key verification spread over worker threads, one per core: the figure that says whether verification
// scales with cores (it should: each worker has its own engine instance and nothing is shared).
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import type { VerifyWorkerData } from './verify-worker';

function startWorker(data: VerifyWorkerData): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'verify-worker.js'), { workerData: data });
    worker.once('error', reject);
    worker.once('message', (message: unknown) => {
      if (message === 'ready') resolve(worker);
      else reject(new Error(`unexpected worker message ${String(message)}`));
    });
  });
}

/** Total verifies per second over `threads` workers measuring the same interval. */
export async function parallelVerifyPerSec(threads: number, data: VerifyWorkerData): Promise<number> {
  const workers = await Promise.all(Array.from({ length: threads }, () => startWorker(data)));
  try {
    const rates = workers.map(
      (worker) =>
        new Promise<number>((resolve, reject) => {
          worker.once('error', reject);
          worker.once('message', (rate: unknown) => {
            if (typeof rate === 'number') resolve(rate);
            else reject(new Error('worker sent no rate'));
          });
        }),
    );
    for (const worker of workers) worker.postMessage('go');
    return (await Promise.all(rates)).reduce((sum, rate) => sum + rate, 0);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
