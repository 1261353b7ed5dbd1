import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Static } from '@sinclair/typebox';
import { JOB_PAGE_MAX, Job, JobAccepted, MAX_BATCH_ITEMS, type JobItem } from '../../schemas';
import { ExitCode, optionalFlag, positional, type Command, type ParsedArgs } from '../command';
import { CliUsageError, GatewayProblemError, GatewayUnreachableError } from '../errors';
import type { GatewayClient } from '../gateway-client';
import { connectGateway, gatewayFlags, jsonText, wantsJson } from '../gateway-options';
import { IMPORT_FORMATS, MAX_PART_BYTES, planImport, type ImportFormat, type ImportPart } from '../import-file';
import { formatImportSummary, type FinishedPart } from '../import-summary';
import type { CliIo } from '../io';
import { ProgressDisplay } from '../progress';
import { idempotencyHeader } from './license';

const DEFAULT_POLL_MS = 1_000;
/** How long polling rides out a gateway that is restarting (jobs resume after a restart) before giving up. */
const OUTAGE_BUDGET_MS = 60_000;
const MAX_BACKOFF_MS = 5_000;
/** Unfinished jobs asked about per progress tick: the gateway runs them in order, so the first few are the live ones. */
const POLLED_PER_TICK = 4;

type JobView = Static<typeof Job>;
type JobItemView = Static<typeof JobItem>;

const isFinished = (job: JobView | undefined): boolean => job?.status === 'COMPLETED' || job?.status === 'FAILED';

function formatFlag(args: ParsedArgs): ImportFormat | undefined {
  const text = optionalFlag(args, 'format');
  if (text === undefined) return undefined;
  const format = IMPORT_FORMATS.find((f) => f === text);
  if (format === undefined) {
    throw new CliUsageError(`--format must be json or ndjson, got "${text}"`, { flag: 'format', value: text });
  }
  return format;
}

function pollMsFlag(args: ParsedArgs): number {
  const text = optionalFlag(args, 'poll-ms');
  if (text === undefined) return DEFAULT_POLL_MS;
  if (!/^[1-9][0-9]{0,5}$/.test(text) || Number(text) < 10 || Number(text) > 600_000) {
    throw new CliUsageError(`--poll-ms must be a whole number of milliseconds from 10 to 600000, got "${text}"`, {
      flag: 'poll-ms',
      value: text,
    });
  }
  return Number(text);
}

/** `--part-items N`: items per batch request, for a gateway configured below the published maximum. */
function partItemsFlag(args: ParsedArgs): number {
  const text = optionalFlag(args, 'part-items');
  if (text === undefined) return MAX_BATCH_ITEMS;
  if (!/^[1-9][0-9]*$/.test(text) || Number(text) > MAX_BATCH_ITEMS) {
    throw new CliUsageError(`--part-items must be a whole number from 1 to ${MAX_BATCH_ITEMS}, got "${text}"`, {
      flag: 'part-items',
      value: text,
    });
  }
  return Number(text);
}

/**
 * The Idempotency-Key of each part: the given key for the first, `<key>.<n>` for part n after it, so running the
 * same import again with the same key follows the same jobs.
 */
function partKeys(args: ParsedArgs, partCount: number): (part: number) => Record<string, string> {
  const key = idempotencyHeader(args)['idempotency-key'];
  if (key === undefined) return () => ({});
  if (partCount > 1 && key.length + 1 + String(partCount).length > 128) {
    throw new CliUsageError(
      `--idempotency-key must be at most ${127 - String(partCount).length} characters for a file of ` +
        `${partCount} parts (each part's key adds .<n>)`,
      { flag: 'idempotency-key' },
    );
  }
  return (part) => ({ 'idempotency-key': part === 1 ? key : `${key}.${part}` });
}

/** Errors worth waiting out while jobs run: no connection, or the gateway saying it is briefly unavailable. */
const isTransient = (error: unknown): error is GatewayUnreachableError | GatewayProblemError =>
  error instanceof GatewayUnreachableError ||
  (error instanceof GatewayProblemError && [502, 503, 504].includes(error.status));

interface Tracked {
  readonly part: ImportPart;
  readonly jobId: string;
  latest: JobView | undefined;
}

/** Follows the jobs of one import: polls them, draws the progress, and gathers their results at the end. */
class ImportWatcher {
  readonly tracked: Tracked[] = [];
  private outageSince: number | undefined;
  private failures = 0;
  private lastTick = 0;

  constructor(
    private readonly client: GatewayClient,
    private readonly io: CliIo,
    private readonly pollMs: number,
    private readonly progress: ProgressDisplay,
    private readonly items: number,
  ) {}

  /** GET /v1/jobs/{jobId}, riding out a gateway that is briefly away. */
  private async fetchJob(jobId: string, offset: number, limit: number): Promise<JobView> {
    const path = `/v1/jobs/${encodeURIComponent(jobId)}?offset=${offset}&limit=${limit}`;
    for (;;) {
      try {
        const job = await this.client.get(path, Job);
        this.outageSince = undefined;
        this.failures = 0;
        return job;
      } catch (error) {
        const now = Date.now();
        this.outageSince ??= now;
        if (!isTransient(error) || now - this.outageSince > OUTAGE_BUDGET_MS) throw error;
        this.failures += 1;
        const wait = Math.min(this.pollMs * 2 ** Math.min(this.failures, 10), MAX_BACKOFF_MS);
        this.io.stderr(
          `${this.io.stderrIsTty ? '\n' : ''}certhub import: ${error.message}; asking again in ${wait} ms\n`,
        );
        await sleep(wait);
      }
    }
  }

  get processed(): number {
    return this.tracked.reduce((n, t) => n + (t.latest?.processed ?? 0), 0);
  }

  /** Asks about the first unfinished jobs (only the counters: one item a page) and redraws; true when all are done. */
  async tick(): Promise<boolean> {
    this.lastTick = Date.now();
    const unfinished = this.tracked.filter((t) => !isFinished(t.latest));
    for (const t of unfinished.slice(0, POLLED_PER_TICK)) t.latest = await this.fetchJob(t.jobId, 0, 1);
    const done = this.tracked.every((t) => isFinished(t.latest));
    if (!done) this.progress.update(this.processed, this.items, Date.now());
    return done;
  }

  /** While parts are still being sent: a tick when one is due, so progress shows during a long upload too. */
  async tickIfDue(): Promise<void> {
    if (Date.now() - this.lastTick >= this.pollMs) await this.tick();
  }

  async untilDone(): Promise<void> {
    while (!(await this.tick())) await sleep(this.pollMs);
    this.progress.finish(this.processed, this.items, Date.now());
  }

  /** Each job's final state with its items (`all`, or only the `failed` ones), read page by page. */
  async results(which: 'all' | 'failed'): Promise<(FinishedPart & { items: JobItemView[] })[]> {
    const results: (FinishedPart & { items: JobItemView[] })[] = [];
    for (const { part, jobId, latest } of this.tracked) {
      let job = latest ?? (await this.fetchJob(jobId, 0, 1));
      const items: JobItemView[] = [];
      // A job without failures needs no pages for the summary; only --json lists every item.
      const paged = which === 'all' || job.failed > 0;
      for (let offset = 0; paged && offset < job.total; offset += JOB_PAGE_MAX) {
        job = await this.fetchJob(jobId, offset, JOB_PAGE_MAX);
        if (job.items.length === 0) break;
        items.push(...(which === 'all' ? job.items : job.items.filter((item) => item.status === 'FAILED')));
      }
      results.push({
        firstIndex: part.firstIndex,
        where: part.where,
        job,
        items,
        failedItems: items.filter((item) => item.status === 'FAILED'),
      });
    }
    return results;
  }
}

/** A part's refusal says which part it was when the file went as several. */
function inPart(error: unknown, part: ImportPart, partCount: number, file: string): unknown {
  if (partCount === 1 || !(error instanceof GatewayProblemError)) return error;
  return new GatewayProblemError({
    status: error.status,
    code: error.code,
    detail: `${error.detail} (part ${part.number} of ${partCount}: ${part.where} of ${file})`,
    issues: error.issues,
  });
}

export const importCommand: Command = {
  path: ['import'],
  summary: 'Bulk-issue licenses from a JSON array or NDJSON file as gateway jobs, with a progress bar (clerk token).',
  details: [
    'FILE holds `license issue` requests: a JSON array, or NDJSON (one a line, streamed from the file, never held',
    'whole). Every NDJSON line is checked to be JSON before anything is sent. The file goes to',
    `POST /v1/licenses/batch in parts of up to --part-items items (${MAX_BATCH_ITEMS.toLocaleString('en-US')} by default), each a job followed`,
    'with GET /v1/jobs/{jobId}: progress on stderr, then a summary with each failed item by its position in the file.',
    '--json prints each final job, with all its items and `firstIndex` (where its index 0 is in the file).',
    'If the command is interrupted the jobs carry on in the gateway: run it again with the same --idempotency-key',
    'to follow them without issuing anything twice.',
    'Exit 0 all issued, 1 some items failed, 2 a job failed or any error. Example:',
    '  certhub import licenses.ndjson --idempotency-key import-2026-11-21 --token dev-wuhan-clerk',
  ].join('\n'),
  positionals: ['FILE'],
  flags: [
    { name: 'format', description: 'json or ndjson (default: from the extension, else from the first character)' },
    {
      name: 'idempotency-key',
      description: 'running again with the same key follows the same jobs instead of issuing twice',
    },
    { name: 'poll-ms', description: `how often to ask for progress, in ms (default ${DEFAULT_POLL_MS})` },
    {
      name: 'part-items',
      description: `items per batch request (default ${MAX_BATCH_ITEMS}, the most the API allows); lower it for a gateway configured with a smaller limit`,
    },
    ...gatewayFlags('required'),
  ],
  async run(args, io) {
    const format = formatFlag(args);
    const pollMs = pollMsFlag(args);
    const partItems = partItemsFlag(args);
    const client = connectGateway(args, io, 'required');
    idempotencyHeader(args);
    const file = positional(args, 0);
    const plan = await planImport(io, file, format, { maxItems: partItems, maxBytes: MAX_PART_BYTES });
    const keyOf = partKeys(args, plan.partCount);
    const progress = new ProgressDisplay(
      (text) => {
        io.stderr(text);
      },
      { tty: io.stderrIsTty, label: `import ${basename(file)}:` },
    );
    const watcher = new ImportWatcher(client, io, pollMs, progress, plan.items);
    for await (const part of plan.parts()) {
      let accepted: Static<typeof JobAccepted>;
      try {
        accepted = await client.post('/v1/licenses/batch', part.body, JobAccepted, keyOf(part.number));
      } catch (error) {
        if (watcher.tracked.length > 0) {
          const jobs = watcher.tracked.map((t) => t.jobId).join(', ');
          io.stderr(`certhub import: the parts before part ${part.number} carry on in the gateway as jobs ${jobs}\n`);
        }
        throw inPart(error, part, plan.partCount, file);
      }
      watcher.tracked.push({ part, jobId: accepted.jobId, latest: undefined });
      await watcher.tickIfDue();
    }
    await watcher.untilDone();

    const json = wantsJson(args);
    const results = await watcher.results(json ? 'all' : 'failed');
    if (json) {
      for (const { job, items, firstIndex } of results) {
        const { offset: _offset, limit: _limit, ...whole } = job;
        io.stdout(jsonText({ ...whole, firstIndex, items }));
      }
    } else {
      io.stdout(formatImportSummary(results, plan.format));
    }
    const stopped = results.filter((r) => r.job.status === 'FAILED');
    for (const { job } of stopped) {
      const why = job.error === undefined ? '' : `: ${job.error.code}: ${job.error.detail}`;
      io.stderr(`certhub import: job ${job.jobId} stopped after ${job.processed} of ${job.total} items${why}\n`);
    }
    if (stopped.length > 0) return ExitCode.error;
    return results.some((r) => r.job.failed > 0) ? ExitCode.invalid : ExitCode.ok;
  },
};
