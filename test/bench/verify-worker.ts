// One worker thread of the parallel verification benchmark: verifies the same issuer's signature through the
// public certs-service API (its own copy of the engine and the key's cached state) for the given time.
import { parentPort, workerData } from 'node:worker_threads';
import { Sm2PublicKey, sm2Verify } from '@certhub/certs-service';
import { ratePerSecond } from './measure';

export interface VerifyWorkerData {
  point: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  budgetMs: number;
}

const data = workerData as VerifyWorkerData;
const key = Sm2PublicKey.fromPoint(data.point);
if (!sm2Verify(key, data.message, data.signature)) throw new Error('the benchmark signature does not verify');

// Wait for "go" so both workers measure the same interval, not each other's start-up.
parentPort?.once('message', () => {
  parentPort?.postMessage(ratePerSecond(() => sm2Verify(key, data.message, data.signature), data.budgetMs, 'wall'));
});
parentPort?.postMessage('ready');
