import type { Static, TSchema } from '@sinclair/typebox';
import { CertHubError } from '@certhub/certs-service';
import { Problem, conforms, validationIssues } from '../schemas';
import { GatewayProblemError, GatewayResponseError, GatewayUnreachableError, type GatewayIssue } from './errors';

/** Raw bytes of a media type: a buffer, or a stream read as it is sent. */
export interface ByteBody {
  readonly bytes: Uint8Array | AsyncIterable<Uint8Array>;
  readonly contentType: string;
}

/** What a request sends: a JSON value, or raw bytes. */
export type RequestBody = { readonly json: unknown } | ByteBody;

export interface GatewayClientOptions {
  /** Base URL, already checked (http or https, no query); a path prefix is kept (a gateway behind a proxy). */
  readonly url: string;
  /** Bearer token; absent for anonymous calls. */
  readonly token?: string;
  /** How long a request may wait for its answer; streamed uploads are exempt (a large import takes minutes). */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
/** Longest piece of a non-problem error body shown to the user (a proxy's HTML page says little beyond its title). */
const SNIPPET = 200;

/**
 * A small HTTP client for the CertHub gateway on Node's global fetch. Every answer is checked against the same
 * schema that the gateway's /openapi.json publishes for it, and every error answer becomes a GatewayProblemError
 * (status, stable code, detail), so commands handle typed values only.
 */
export class GatewayClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: GatewayClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  get<T extends TSchema>(path: string, schema: T): Promise<Static<T>> {
    return this.send('GET', path, undefined, schema, {});
  }

  post<T extends TSchema>(
    path: string,
    body: RequestBody,
    schema: T,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<Static<T>> {
    return this.send('POST', path, body, schema, headers);
  }

  private async send<T extends TSchema>(
    method: 'GET' | 'POST',
    path: string,
    body: RequestBody | undefined,
    schema: T,
    extraHeaders: Readonly<Record<string, string>>,
  ): Promise<Static<T>> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...extraHeaders };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const streamed = body !== undefined && 'bytes' in body && !(body.bytes instanceof Uint8Array);
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      if ('json' in body) {
        headers['content-type'] = 'application/json';
        init.body = JSON.stringify(body.json);
      } else {
        headers['content-type'] = body.contentType;
        init.body = body.bytes;
        // Node's fetch sends an async iterable as a chunked stream, which it only allows in half-duplex mode.
        if (streamed) init.duplex = 'half';
      }
    }
    if (!streamed) init.signal = AbortSignal.timeout(this.timeoutMs);

    let text: string;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, init);
      text = await response.text();
    } catch (error) {
      throw this.unreachable(error);
    }
    if (!response.ok) throw problemOf(response, text);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new GatewayResponseError(`${method} ${path} answered ${response.status} with a body that is not JSON`, {
        path,
        status: response.status,
      });
    }
    if (conforms(schema, value)) return value;
    const issues = validationIssues(schema, value)
      .slice(0, 3)
      .map((issue) => `${issue.pointer || '(root)'}: ${issue.message}`);
    throw new GatewayResponseError(
      `${method} ${path} answered with something its contract does not allow (${issues.join('; ')}); is ${this.baseUrl} a CertHub gateway of this version?`,
      { path, status: response.status },
    );
  }

  /** A request that got no HTTP answer; an error reading our own upload (a file) is rethrown as it is. */
  private unreachable(error: unknown): CertHubError {
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause instanceof CertHubError) return cause;
    if (error instanceof CertHubError) return error;
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const reason = timedOut ? `no answer within ${this.timeoutMs / 1000} s` : networkReason(cause ?? error);
    return new GatewayUnreachableError(
      `cannot reach the gateway at ${this.baseUrl}: ${reason} (is it running? --url or CERTHUB_URL says where)`,
      { url: this.baseUrl },
      { cause: error },
    );
  }
}

/** The system error code (ECONNREFUSED, ENOTFOUND, …) behind a failed fetch, else its message. */
function networkReason(cause: unknown): string {
  const code = (value: unknown): string | undefined =>
    typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'string'
      ? value.code
      : undefined;
  // Connecting to a name with several addresses fails with an AggregateError of one error per address.
  const first: unknown = cause instanceof AggregateError ? (cause.errors as unknown[])[0] : undefined;
  return code(cause) ?? code(first) ?? (cause instanceof Error ? cause.message : String(cause));
}

/** C0 and C1 control characters from a remote body must not reach the terminal (they could rewrite what it shows). */
const printable = (text: string): string =>
  Array.from(text, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) ? ' ' : char;
  })
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, SNIPPET);

function problemOf(response: Response, text: string): GatewayProblemError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (conforms(Problem, body)) {
    return new GatewayProblemError({
      status: response.status,
      code: printable(body.code),
      detail: printable(body.detail),
      issues: issuesOf(body),
    });
  }
  const snippet = printable(text.replace(/<[^>]*>/g, ' '));
  return new GatewayProblemError({
    status: response.status,
    code: `HTTP_${response.status}`,
    detail: snippet || response.statusText || 'the gateway answered with an error and no details',
  });
}

/** The `issues` extension of a VALIDATION_FAILED problem: each failing field by JSON pointer. */
function issuesOf(problem: Record<string, unknown>): GatewayIssue[] {
  const issues = problem.issues;
  if (!Array.isArray(issues)) return [];
  return (issues as unknown[]).flatMap((issue) =>
    typeof issue === 'object' &&
    issue !== null &&
    'pointer' in issue &&
    'message' in issue &&
    typeof issue.pointer === 'string' &&
    typeof issue.message === 'string'
      ? [{ pointer: printable(issue.pointer), message: printable(issue.message) }]
      : [],
  );
}
