/**
 * Anchoring throughput of the embedded ledger (npm run bench:ledger).
 * - single: licenses anchored one per transaction. Documents are built and SM2-signed before the clock starts (the
 *   gateway's signing is measured by bench:crypto); each timed transaction runs the full chaincode path: identity
 *   check, fabric-shim dispatch, ID/type/issuer/access checks, certificate lookup and SM2 verification, writes of the
 *   anchor and two indexes, block cut and SM3 chaining, one atomic level batch.
 * - batch: licenses anchored in batches of 1,000. Timed per batch: SM3 of each document's canonical bytes, the SM3
 *   Merkle root, the issuer's SM2 signature over the batch header and the anchorBatch transaction.
 * Prints a table and one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { merkleRoot, sm2Engine, sm2Sign, sm3 } from '@certhub/certs-service';
import { batchSigningBytes, contracts } from '@certhub/chaincode';
import { EmbeddedLedger } from '@certhub/gateway/dist/ledger';
import { anchorRequest, createHubFixture, seedRegistry, signLicense } from '../support/hub-fixture';

const SINGLE_COUNT = Number(process.env['BENCH_SINGLE'] ?? 3000);
const BATCH_SIZE = 1000;
const BATCH_COUNT = Number(process.env['BENCH_BATCHES'] ?? 30);

async function main(): Promise<void> {
  const hub = await createHubFixture();
  const issuer = hub.wuhan.issuer;
  const dataDir = mkdtempSync(join(tmpdir(), 'certhub-bench-'));
  const ledger = await EmbeddedLedger.open({ dataDir, contracts, organizations: hub.organizations });
  try {
    await seedRegistry(ledger, hub);

    // Warm-up: JIT, certificate chain cache, level.
    for (let i = 0; i < 200; i++)
      await ledger.submit(
        issuer.clerk,
        anchorRequest(issuer, signLicense(issuer, { serial: `9${String(i).padStart(6, '0')}` })),
      );

    const singles = Array.from({ length: SINGLE_COUNT }, (_, i) =>
      signLicense(issuer, { serial: `1${String(i).padStart(6, '0')}` }),
    );
    let start = process.hrtime.bigint();
    let cpu = process.cpuUsage();
    await Promise.all(singles.map((license) => ledger.submit(issuer.clerk, anchorRequest(issuer, license))));
    const singleSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const singleCpuSeconds = cpuSeconds(process.cpuUsage(cpu));

    const batchDocuments = Array.from({ length: BATCH_COUNT }, (_, b) =>
      Array.from(
        { length: BATCH_SIZE },
        (_, i) => signLicense(issuer, { serial: `${String(b).padStart(3, '0')}${String(i).padStart(4, '0')}` }).bytes,
      ),
    );
    start = process.hrtime.bigint();
    cpu = process.cpuUsage();
    for (let b = 0; b < BATCH_COUNT; b++) {
      const leaves = (batchDocuments[b] ?? []).map((bytes) => sm3(bytes));
      const root = Buffer.from(merkleRoot(leaves)).toString('hex');
      const header = { batchId: `bench-${b}`, issuer: issuer.uscc, root, count: leaves.length };
      const signature = Buffer.from(sm2Sign(issuer.key, batchSigningBytes(header))).toString('base64');
      await ledger.submit(issuer.clerk, {
        contract: 'license',
        fn: 'anchorBatch',
        args: [JSON.stringify({ ...header, signature, certificate: issuer.certificate.pem })],
      });
    }
    const batchSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const batchCpuSeconds = cpuSeconds(process.cpuUsage(cpu));

    const result = {
      bench: 'ledger',
      backend: 'embedded',
      sm2Engine: sm2Engine(),
      singleAnchors: SINGLE_COUNT,
      singleSeconds: round(singleSeconds),
      singleAnchorsPerSecond: Math.round(SINGLE_COUNT / singleSeconds),
      // CPU time of this process over all its threads (LevelDB, GC, native SM2): a load-independent cost measure.
      singleCpuSeconds: round(singleCpuSeconds),
      singleAnchorsPerCpuSecond: Math.round(SINGLE_COUNT / singleCpuSeconds),
      batchSize: BATCH_SIZE,
      batches: BATCH_COUNT,
      batchSeconds: round(batchSeconds),
      batchLicensesPerSecond: Math.round((BATCH_COUNT * BATCH_SIZE) / batchSeconds),
      batchCpuSeconds: round(batchCpuSeconds),
      batchLicensesPerCpuSecond: Math.round((BATCH_COUNT * BATCH_SIZE) / batchCpuSeconds),
      blocks: ledger.height,
    };
    const rows: [string, string, string, string][] = [
      [
        'single anchor',
        `${result.singleAnchorsPerSecond} /s`,
        `${result.singleAnchorsPerCpuSecond} /cpu-s`,
        '>= 2000 /s',
      ],
      [
        `batch of ${BATCH_SIZE}`,
        `${result.batchLicensesPerSecond} licenses/s`,
        `${result.batchLicensesPerCpuSecond} /cpu-s`,
        '>= 20000 /s',
      ],
    ];
    console.log(
      `embedded ledger, SM2 engine ${result.sm2Engine}, ${SINGLE_COUNT} single anchors, ${BATCH_COUNT} batches`,
    );
    console.log(
      `load average at start ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} on ${availableParallelism()} cores`,
    );
    console.log(['case'.padEnd(16), 'wall clock'.padEnd(22), 'per CPU second'.padEnd(16), 'target'].join(' | '));
    for (const row of rows) console.log([row[0].padEnd(16), row[1].padEnd(22), row[2].padEnd(16), row[3]].join(' | '));
    console.log(JSON.stringify(result));
  } finally {
    await ledger.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
