import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { buildLicenseId, sm3Hex } from '@certhub/certs-service';
import { closeServer, listenLocal, urlOf } from './listening-gateway';

/*
 * A stand-in for the gateway's two bulk-import routes (POST /v1/licenses/batch, GET /v1/jobs/{jobId}) that records
 * what the CLI sent and answers from a script, so the import command's upload, polling, progress and summaries are
 * tested with exact control over each job state, including the failures a real gateway rarely produces on demand.
 * Its answers follow the Job schema (gateway/src/schemas/jobs.ts); the CLI checks them against it.
 */

export interface Upload {
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** Defaults to application/json, or application/problem+json for 4xx/5xx. */
  readonly type?: string;
}

export interface JobItemView {
  index: number;
  status: 'PENDING' | 'ISSUED' | 'FAILED';
  licenseId?: string;
  docHash?: string;
  error?: { code: string; detail: string };
}

export interface JobView {
  jobId: string;
  error?: { code: string; detail: string };
  status: 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  createdAt: string;
  updatedAt: string;
  items: JobItemView[];
}

export const issuedItem = (index: number): JobItemView => ({
  index,
  status: 'ISSUED',
  licenseId: buildLicenseId({
    typeCode: '11100000000013338W032',
    issuerUscc: '114201000111350663',
    serial: String(index + 1),
    version: 1,
  }),
  docHash: sm3Hex(`document ${index}`),
});
export const pendingItem = (index: number): JobItemView => ({ index, status: 'PENDING' });
export const failedItem = (index: number, code: string, detail: string): JobItemView => ({
  index,
  status: 'FAILED',
  error: { code, detail },
});

/** A job of `items` with its counters derived from them, as the gateway reports it. */
export function jobOf(status: JobView['status'], items: JobItemView[], jobId = 'job-1'): JobView {
  const succeeded = items.filter((i) => i.status === 'ISSUED').length;
  const failed = items.filter((i) => i.status === 'FAILED').length;
  return {
    jobId,
    status,
    total: items.length,
    processed: succeeded + failed,
    succeeded,
    failed,
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:05.000Z',
    items,
  };
}

export const problem = (status: number, code: string, detail: string): Answer => ({
  status,
  body: { type: `https://certhub.example/problems/${code.toLowerCase()}`, title: code, status, detail, code },
});

/** An item page as the gateway serves it: `limit` items from `offset` (default 100), with both echoed. */
function page(body: unknown, url: URL): unknown {
  const job = body as Partial<JobView>;
  // A deliberately malformed job (no items) is served as it is.
  if (!Array.isArray(job.items)) return body;
  const offset = Number(url.searchParams.get('offset') ?? '0');
  const limit = Number(url.searchParams.get('limit') ?? '100');
  return { ...job, offset, limit, items: job.items.slice(offset, offset + limit) };
}

export class FakeJobGateway {
  readonly uploads: Upload[] = [];
  /** Every GET of a job, as path and query, in order. */
  readonly jobRequests: string[] = [];
  /** What each POST /v1/licenses/batch answers, in order (the last repeats); by default 202 {jobId: job-<n>}. */
  acceptAnswers: Answer[] = [];
  /** Per job ID: what successive GETs answer (the last repeats); a 200 job is served one page at a time. */
  readonly scripts = new Map<string, Answer[]>();
  private server: Server | undefined;
  url = '';

  static async start(): Promise<FakeJobGateway> {
    const fake = new FakeJobGateway();
    const server = await listenLocal((req, res) => {
      fake.handle(req, res);
    });
    fake.server = server;
    fake.url = urlOf(server);
    return fake;
  }

  get polls(): number {
    return this.jobRequests.length;
  }

  /** job-1 goes through `jobs` on successive GETs. */
  progressThrough(...jobs: JobView[]): void {
    this.script('job-1', ...jobs.map((body) => ({ status: 200, body })));
  }

  script(jobId: string, ...answers: Answer[]): void {
    this.scripts.set(jobId, answers);
  }

  close(): Promise<void> {
    return this.server === undefined ? Promise.resolve() : closeServer(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const jobId = /^\/v1\/jobs\/([^/]+)$/.exec(url.pathname)?.[1];
      if (req.method === 'POST' && url.pathname === '/v1/licenses/batch') {
        this.uploads.push({ headers: req.headers, body: Buffer.concat(chunks) });
        const n = this.uploads.length;
        const scripted = this.acceptAnswers[Math.min(n, this.acceptAnswers.length) - 1];
        send(res, scripted ?? { status: 202, body: { jobId: `job-${n}` } });
      } else if (req.method === 'GET' && jobId !== undefined) {
        const seen = this.jobRequests.filter((r) => r.startsWith(`/v1/jobs/${jobId}?`)).length;
        this.jobRequests.push(`${url.pathname}${url.search}`);
        const script = this.scripts.get(jobId) ?? [];
        const answer = script[Math.min(seen, script.length - 1)];
        if (answer === undefined) send(res, problem(404, 'JOB_NOT_FOUND', `no job ${jobId}`));
        else if (answer.status === 200) send(res, { status: 200, body: page(answer.body, url) });
        else send(res, answer);
      } else {
        send(res, problem(404, 'NOT_FOUND', `${req.method ?? '?'} ${url.pathname}`));
      }
    });
  }
}

function send(res: ServerResponse, answer: Answer): void {
  const type = answer.type ?? (answer.status >= 400 ? 'application/problem+json' : 'application/json');
  res.writeHead(answer.status, { 'content-type': type });
  res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
}
