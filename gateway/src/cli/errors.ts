import { CertHubError } from '@certhub/certs-service';

/** The command line was wrong (unknown command or flag, missing value): exit code 2. */
export class CliUsageError extends CertHubError {
  readonly code = 'CLI_USAGE';
}

/** An input file could not be read or written, or its content is not what the command needs: exit code 2. */
export class CliInputError extends CertHubError {
  readonly code = 'CLI_INPUT';
}

/** One failing field of a request the gateway refused (a JSON pointer into the request and why). */
export interface GatewayIssue {
  readonly pointer: string;
  readonly message: string;
}

/**
 * The gateway answered with an error (RFC 9457 problem+json, or any other non-2xx status): carries its HTTP status,
 * its stable problem code (`HTTP_<status>` when the body was not problem+json, e.g. from a proxy) and its detail, so
 * the CLI prints `certhub: 403 FORBIDDEN: …` and exits 2.
 */
export class GatewayProblemError extends CertHubError {
  readonly code: string;
  readonly status: number;
  readonly detail: string;
  readonly issues: readonly GatewayIssue[];

  constructor(problem: { status: number; code: string; detail: string; issues?: readonly GatewayIssue[] }) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`, { status: problem.status, code: problem.code });
    this.code = problem.code;
    this.status = problem.status;
    this.detail = problem.detail;
    this.issues = problem.issues ?? [];
  }
}

/** The gateway could not be reached (connection refused, unknown host, no answer in time): exit code 2. */
export class GatewayUnreachableError extends CertHubError {
  readonly code = 'GATEWAY_UNREACHABLE';
}

/** The gateway answered 2xx with something that is not what its OpenAPI contract promises: exit code 2. */
export class GatewayResponseError extends CertHubError {
  readonly code = 'GATEWAY_BAD_RESPONSE';
}
