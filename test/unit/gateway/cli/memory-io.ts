import type { CliIo } from '@certhub/gateway/dist/cli/io';
import { CliInputError } from '@certhub/gateway/dist/cli/errors';

/** A CliIo over an in-memory file system that records what a command printed. */
export class MemoryIo implements CliIo {
  readonly files = new Map<string, Uint8Array>();
  readonly secretFiles = new Set<string>();
  out = '';
  err = '';
  /** No environment unless a test sets one: CERTHUB_URL or CERTHUB_TOKEN in the developer's shell must not leak in. */
  env: Record<string, string | undefined> = {};
  stderrIsTty = false;

  stdout(text: string): void {
    this.out += text;
  }
  stderr(text: string): void {
    this.err += text;
  }
  readFile(path: string): Promise<Uint8Array> {
    const data = this.files.get(path);
    if (data === undefined) return Promise.reject(new CliInputError(`cannot read ${path}: ENOENT`, { path }));
    return Promise.resolve(data);
  }
  async *readChunks(path: string): AsyncIterable<Uint8Array> {
    const data = await this.readFile(path);
    // Two chunks, so incremental hashing is exercised across a boundary.
    yield data.subarray(0, 1);
    yield data.subarray(1);
  }
  writeFile(path: string, data: Uint8Array | string, options?: { secret?: boolean }): Promise<void> {
    this.files.set(path, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (options?.secret === true) this.secretFiles.add(path);
    return Promise.resolve();
  }
  text(path: string): string {
    const data = this.files.get(path);
    if (data === undefined) throw new Error(`no file ${path}`);
    return Buffer.from(data).toString('utf8');
  }
  reset(): void {
    this.out = '';
    this.err = '';
  }
}
