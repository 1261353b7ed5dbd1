// `npm run bench:crypto`: SM2 sign / verify (first-seen key, known key, parallel), SM3 and SM4 throughput for
// CertHub's public API, for the project's SM2 addon called directly, for the sm-crypto package, and for
// `openssl speed` on this machine in the same run. Prints a table, then exactly one JSON line (the last line).
// Figures are medians over ROUNDS rounds; the whole run stays around a minute.
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { sm2 as smCryptoSm2, sm3 as smCryptoSm3, sm4 as smCryptoSm4 } from 'sm-crypto';
import { sealEnvelope, sm2Engine, Sm2PrivateKey, Sm2PublicKey, sm2Sign, sm2Verify, sm3 } from '@certhub/certs-service';
import { loadNativeSm2, nativeSm2Diagnostics } from '@certhub/certs-service/dist/sm/sm2/native-binding';
import { medianOf, ratePerSecond, rateOverItems } from './measure';
import { opensslEvpMegabytesPerSec, opensslSm2Speed } from './openssl-speed';
import { parallelVerifyPerSec } from './parallel-verify';

const ROUNDS = 3;
const SM2_BUDGET_MS = 700;
const BULK_BUDGET_MS = 500;
const OPENSSL_SECONDS = 1;
/** Distinct keys per round for the first-seen measure (more than certs-service keeps per-key state for). */
const FIRST_SEEN_KEYS_PER_ROUND = 1500;
/** A license document's canonical bytes are a few hundred bytes; sign something of that size. */
const MESSAGE = randomBytes(400);
const BULK = randomBytes(1 << 20);
const SM_CRYPTO_BULK = [...randomBytes(1 << 16)];
const DEFAULT_ID = new TextEncoder().encode('1234567812345678');

const megabytesPerSec = (bytes: number, opsPerSec: number): number => (bytes * opsPerSec) / 1e6;
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

interface Row {
  measure: string;
  unit: string;
  certhub?: number;
  addon?: number;
  addonEvp?: number;
  smCrypto?: number;
  openssl?: number;
}

function printTable(rows: readonly Row[]): void {
  const cell = (value: number | undefined): string =>
    value === undefined ? '—' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
  const ratio = (row: Row): string =>
    row.certhub === undefined || row.openssl === undefined ? '—' : `${(row.certhub / row.openssl).toFixed(2)}×`;
  const header = [
    'measure',
    'unit',
    'CertHub API',
    'addon (own arith.)',
    'addon (OpenSSL EVP)',
    'sm-crypto',
    'openssl speed',
    'CertHub/OpenSSL',
  ];
  const lines = rows.map((row) => [
    row.measure,
    row.unit,
    cell(row.certhub),
    cell(row.addon),
    cell(row.addonEvp),
    cell(row.smCrypto),
    cell(row.openssl),
    ratio(row),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (line: readonly string[]): string =>
    line.map((text, i) => (i < 2 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!))).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

async function main(): Promise<void> {
  const started = Date.now();
  const engine = sm2Engine();
  const cores = availableParallelism();
  console.log(`CertHub crypto benchmark: SM2 engine '${engine}', ${cores} cores, medians of ${ROUNDS} rounds`);
  console.log(
    'single-thread rates are per CPU-second, as `openssl speed` reports them (it divides by CPU user time); ' +
      'the worker-thread figure is wall-clock throughput',
  );

  // CertHub's public API (what the gateway and the bulk import call).
  const key = Sm2PrivateKey.generate();
  const publicKey = key.publicKey;
  const signature = sm2Sign(key, MESSAGE);
  if (!sm2Verify(publicKey, MESSAGE, signature)) throw new Error('CertHub signature does not verify');
  const sign = await medianOf(ROUNDS, () => ratePerSecond(() => sm2Sign(key, MESSAGE), SM2_BUDGET_MS));
  const verifyCached = await medianOf(ROUNDS, () =>
    ratePerSecond(() => sm2Verify(publicKey, MESSAGE, signature), SM2_BUDGET_MS),
  );
  // A first-seen key: every verification under a key never verified before in this process (a fresh
  // Sm2PublicKey from its point each time), so no per-key state (handle, tables, Z) can be reused, including
  // state that certs-service shares between key objects with the same point.
  const firstSeenBatches = Array.from({ length: ROUNDS }, () =>
    Array.from({ length: FIRST_SEEN_KEYS_PER_ROUND }, () => {
      const signer = Sm2PrivateKey.generate();
      return { point: signer.publicKey.point, signature: sm2Sign(signer, MESSAGE) };
    }),
  );
  const verifyFirstSeen = await medianOf(ROUNDS, () =>
    rateOverItems(firstSeenBatches.shift() ?? [], (item) => {
      if (!sm2Verify(Sm2PublicKey.fromPoint(item.point), MESSAGE, item.signature)) throw new Error('bad signature');
    }),
  );
  const sm3Rate = megabytesPerSec(
    BULK.length,
    await medianOf(ROUNDS, () => ratePerSecond(() => sm3(BULK), BULK_BUDGET_MS)),
  );
  const masterKey = randomBytes(32);
  const sealRate = megabytesPerSec(
    BULK.length,
    await medianOf(ROUNDS, () => ratePerSecond(() => sealEnvelope(masterKey, BULK), BULK_BUDGET_MS)),
  );

  // Parallel known-key verification, one worker per core, against the same thing on one thread, both by the
  // wall clock (CPU time would hide whether the threads really ran at the same time).
  const verifySingleWall = await medianOf(ROUNDS, () =>
    ratePerSecond(() => sm2Verify(publicKey, MESSAGE, signature), SM2_BUDGET_MS * 2, 'wall'),
  );
  const verifyParallel = await medianOf(ROUNDS, () =>
    parallelVerifyPerSec(cores, { point: publicKey.point, message: MESSAGE, signature, budgetMs: SM2_BUDGET_MS * 2 }),
  );

  // The addon on its own, to separate its cost from the TypeScript layer above it.
  const addon = loadNativeSm2();
  let addonSign: number | undefined;
  let addonVerify: number | undefined;
  let addonVerifyFirstSeen: number | undefined;
  let evpSign: number | undefined;
  let evpVerify: number | undefined;
  let evpVerifyFirstSeen: number | undefined;
  const diagnostics = addon === undefined ? undefined : nativeSm2Diagnostics(addon);
  if (addon !== undefined) {
    const d = key.scalar();
    const signer = addon.createSigner(d, publicKey.point);
    const verifier = addon.createVerifier(publicKey.point);
    const raw = addon.sign(signer, DEFAULT_ID, MESSAGE);
    if (!addon.verify(verifier, DEFAULT_ID, MESSAGE, raw)) throw new Error('addon signature does not verify');
    addonSign = await medianOf(ROUNDS, () =>
      ratePerSecond(() => addon.sign(signer, DEFAULT_ID, MESSAGE), SM2_BUDGET_MS),
    );
    addonVerify = await medianOf(ROUNDS, () =>
      ratePerSecond(() => addon.verify(verifier, DEFAULT_ID, MESSAGE, raw), SM2_BUDGET_MS),
    );
    addonVerifyFirstSeen = await medianOf(ROUNDS, () =>
      ratePerSecond(() => addon.verify(addon.createVerifier(publicKey.point), DEFAULT_ID, MESSAGE, raw), SM2_BUDGET_MS),
    );
  }

  // The same handles through OpenSSL's own SM2 (EVP): the route the addon's arithmetic replaced.
  if (diagnostics !== undefined) {
    const signer = diagnostics.createSigner(key.scalar(), publicKey.point);
    const verifier = diagnostics.createVerifier(publicKey.point);
    const raw = diagnostics.signWithEvp(signer, DEFAULT_ID, MESSAGE);
    evpSign = await medianOf(ROUNDS, () =>
      ratePerSecond(() => diagnostics.signWithEvp(signer, DEFAULT_ID, MESSAGE), SM2_BUDGET_MS),
    );
    evpVerify = await medianOf(ROUNDS, () =>
      ratePerSecond(() => diagnostics.verifyWithEvp(verifier, DEFAULT_ID, MESSAGE, raw), SM2_BUDGET_MS),
    );
    evpVerifyFirstSeen = await medianOf(ROUNDS, () =>
      ratePerSecond(
        () => diagnostics.verifyWithEvp(diagnostics.createVerifier(publicKey.point), DEFAULT_ID, MESSAGE, raw),
        SM2_BUDGET_MS,
      ),
    );
  }

  // sm-crypto, the independent cross-check library (hash: true puts Z in, as GM/T 0003 requires).
  const pair = smCryptoSm2.generateKeyPairHex();
  const smMessage = [...MESSAGE];
  const smSignature = smCryptoSm2.doSignature(smMessage, pair.privateKey, { hash: true, publicKey: pair.publicKey });
  if (!smCryptoSm2.doVerifySignature(smMessage, smSignature, pair.publicKey, { hash: true })) {
    throw new Error('sm-crypto signature does not verify');
  }
  const smSign = await medianOf(ROUNDS, () =>
    ratePerSecond(
      () => smCryptoSm2.doSignature(smMessage, pair.privateKey, { hash: true, publicKey: pair.publicKey }),
      SM2_BUDGET_MS,
    ),
  );
  const smVerify = await medianOf(ROUNDS, () =>
    ratePerSecond(
      () => smCryptoSm2.doVerifySignature(smMessage, smSignature, pair.publicKey, { hash: true }),
      SM2_BUDGET_MS,
    ),
  );
  const smSm3 = megabytesPerSec(
    SM_CRYPTO_BULK.length,
    await medianOf(ROUNDS, () => ratePerSecond(() => smCryptoSm3(SM_CRYPTO_BULK), BULK_BUDGET_MS)),
  );
  const sm4Key = toHex(randomBytes(16));
  const sm4Iv = toHex(randomBytes(16));
  const smSm4 = megabytesPerSec(
    SM_CRYPTO_BULK.length,
    await medianOf(ROUNDS, () =>
      ratePerSecond(
        () => smCryptoSm4.encrypt(SM_CRYPTO_BULK, sm4Key, { mode: 'cbc', iv: sm4Iv, output: 'array' }),
        BULK_BUDGET_MS,
      ),
    ),
  );

  // OpenSSL measured now, on this machine: the targets are relative to it.
  const opensslRuns = Array.from({ length: ROUNDS }, () => opensslSm2Speed(OPENSSL_SECONDS));
  const opensslSign = await medianOf(ROUNDS, () => opensslRuns.shift()?.signPerSec ?? Number.NaN);
  const opensslVerifyRuns = Array.from({ length: ROUNDS }, () => opensslSm2Speed(OPENSSL_SECONDS).verifyPerSec);
  const opensslVerify = await medianOf(ROUNDS, () => opensslVerifyRuns.shift() ?? Number.NaN);
  const opensslSm3 = opensslEvpMegabytesPerSec('sm3', OPENSSL_SECONDS, 16384);
  const opensslSm4 = opensslEvpMegabytesPerSec('sm4-ctr', OPENSSL_SECONDS, 16384);

  console.log('');
  printTable([
    {
      measure: 'SM2 sign',
      unit: 'ops/s',
      certhub: sign,
      addon: addonSign,
      addonEvp: evpSign,
      smCrypto: smSign,
      openssl: opensslSign,
    },
    {
      measure: 'SM2 verify, known key',
      unit: 'ops/s',
      certhub: verifyCached,
      addon: addonVerify,
      addonEvp: evpVerify,
      smCrypto: smVerify,
      openssl: opensslVerify,
    },
    {
      measure: 'SM2 verify, first-seen key',
      unit: 'ops/s',
      certhub: verifyFirstSeen,
      addon: addonVerifyFirstSeen,
      addonEvp: evpVerifyFirstSeen,
      smCrypto: smVerify,
      openssl: opensslVerify,
    },
    { measure: `SM2 verify, ${cores} worker threads`, unit: 'ops/s', certhub: verifyParallel },
    { measure: 'SM3', unit: 'MB/s', certhub: sm3Rate, smCrypto: smSm3, openssl: opensslSm3 },
    {
      measure: 'SM4 (CertHub: sealed envelope; openssl: sm4-ctr; sm-crypto: cbc)',
      unit: 'MB/s',
      certhub: sealRate,
      smCrypto: smSm4,
      openssl: opensslSm4,
    },
  ]);
  console.log('');
  console.log(
    `targets: sign ≥ OpenSSL ${(sign / opensslSign).toFixed(2)}×; known-key verify ≥ OpenSSL ${(verifyCached / opensslVerify).toFixed(2)}×; ` +
      `first-seen verify ≥ 0.25× OpenSSL ${(verifyFirstSeen / opensslVerify).toFixed(2)}×; ` +
      `parallel ≥ 1.8× single ${(verifyParallel / verifySingleWall).toFixed(2)}× (${Math.round(verifySingleWall)}/s on one thread, wall clock)`,
  );
  console.log(
    `(sm-crypto has no per-key state, so its first-seen and known-key verify are the same figure) ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );

  const round = (value: number): number => Math.round(value);
  console.log(
    JSON.stringify({
      sm2SignPerSec: round(sign),
      sm2VerifyPerSec: round(verifyFirstSeen),
      sm2VerifyCachedPerSec: round(verifyCached),
      sm2VerifyParallelPerSec: round(verifyParallel),
      opensslSignPerSec: round(opensslSign),
      opensslVerifyPerSec: round(opensslVerify),
      smCryptoSignPerSec: round(smSign),
      smCryptoVerifyPerSec: round(smVerify),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
