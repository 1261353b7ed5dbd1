import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SeedError } from './errors';

export const DEVELOPMENT_MASTER_KEY_FILE = 'development-master.key';

/**
 * DEVELOPMENT MODE ONLY: the SM4 master key of a data directory, made once (32 random bytes, hex, mode 600) and read
 * back on every later start, so keys and documents sealed before a restart still open. Production passes
 * CERTHUB_MASTER_KEY instead and never reaches this.
 */
export async function loadOrCreateDevelopmentMasterKey(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, DEVELOPMENT_MASTER_KEY_FILE);
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot both make a key.
    await writeFile(path, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new SeedError(`${path} does not hold a 64-hex-digit master key`, { path });
  }
  return Buffer.from(text, 'hex');
}
