// Runs `openssl speed` and reads its figures, so the benchmark compares against OpenSSL measured in the same
// minute on the same machine rather than against remembered numbers.
import { execFileSync } from 'node:child_process';

/** Runs the openssl CLI and returns stdout; speed writes its progress lines to stderr, which is dropped. */
function run(args: readonly string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 });
}

/** `openssl speed -seconds N sm2`: signs/s and verifies/s from its "256 bits SM2 (CurveSM2)" row. */
export function opensslSm2Speed(seconds: number): { signPerSec: number; verifyPerSec: number } {
  const output = run(['speed', '-seconds', String(seconds), 'sm2']);
  // e.g. " 256 bits SM2 (CurveSM2)   0.0004s   0.0003s   2794.2   2896.8"
  const row = /SM2 \(CurveSM2\)\s+\S+s\s+\S+s\s+([\d.]+)\s+([\d.]+)/.exec(output);
  if (!row?.[1] || !row[2]) throw new Error(`cannot read openssl speed sm2 output:\n${output}`);
  return { signPerSec: Number(row[1]), verifyPerSec: Number(row[2]) };
}

/** `openssl speed -seconds N -bytes B -evp ALG`: throughput in MB/s (10^6 bytes) for one block size. */
export function opensslEvpMegabytesPerSec(algorithm: string, seconds: number, bytes: number): number {
  const output = run(['speed', '-seconds', String(seconds), '-bytes', String(bytes), '-evp', algorithm]);
  // The table's last line: "<alg>   123456.78k" (thousands of bytes per second).
  const row = new RegExp(`^${algorithm}\\s+([\\d.]+)k\\s*$`, 'im').exec(output);
  if (!row?.[1]) throw new Error(`cannot read openssl speed -evp ${algorithm} output:\n${output}`);
  return Number(row[1]) / 1000;
}
