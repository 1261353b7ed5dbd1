import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { CliInputError } from './errors';

/** Where a command reads and writes: the real terminal and file system, or a recording fake in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<Uint8Array>;
  /** Streams a file, for inputs too large to hold in memory (bulk files, archives). */
  readChunks(path: string): AsyncIterable<Uint8Array>;
  /** `secret` files (private keys) are created readable by the owner only. */
  writeFile(path: string, data: Uint8Array | string, options?: { secret?: boolean }): Promise<void>;
  /** Environment defaults (`CERTHUB_URL`, `CERTHUB_TOKEN`); tests pass their own so nothing leaks in from the shell. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal: progress is drawn as a bar redrawn in place there, and as plain lines elsewhere. */
  readonly stderrIsTty: boolean;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  async readFile(path) {
    try {
      return await readFile(path);
    } catch (cause) {
      throw new CliInputError(`cannot read ${path}: ${describe(cause)}`, { path }, { cause });
    }
  },
  async *readChunks(path) {
    try {
      for await (const chunk of createReadStream(path)) yield chunk as Buffer;
    } catch (cause) {
      throw new CliInputError(`cannot read ${path}: ${describe(cause)}`, { path }, { cause });
    }
  },
  async writeFile(path, data, options) {
    try {
      await writeFile(path, data, { mode: options?.secret === true ? 0o600 : 0o644 });
    } catch (cause) {
      throw new CliInputError(`cannot write ${path}: ${describe(cause)}`, { path }, { cause });
    }
  },
  env: process.env,
  get stderrIsTty() {
    // Node leaves isTTY undefined (not false) on a pipe or file, whatever its declared type says.
    return (process.stderr.isTTY as boolean | undefined) === true;
  },
};

function describe(cause: unknown): string {
  if (cause instanceof Error && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return cause instanceof Error ? cause.message : String(cause);
}
