import { CertHubError } from '@certhub/certs-service';

/** One failing field: where (a JSON pointer, RFC 6901, into the part of the request named by `location`) and why. */
export interface ValidationIssue {
  readonly pointer: string;
  readonly message: string;
}

/** The part of a request (or other input) a schema was checked against. */
export type ValidationLocation = 'body' | 'params' | 'query' | 'headers' | (string & {});

/** Past this many, the message summarises; every issue up to MAX_REPORTED_ISSUES stays in `context.issues`. */
const ISSUES_IN_MESSAGE = 10;
export const MAX_REPORTED_ISSUES = 100;

function describe(location: ValidationLocation, issues: readonly ValidationIssue[]): string {
  const shown = issues
    .slice(0, ISSUES_IN_MESSAGE)
    .map((issue) => `${issue.pointer === '' ? '(root)' : issue.pointer}: ${issue.message}`);
  const more = issues.length > ISSUES_IN_MESSAGE ? `; and ${issues.length - ISSUES_IN_MESSAGE} more` : '';
  return `${location} failed validation: ${shown.join('; ')}${more}`;
}

/** Input that does not satisfy its schema: a 400 listing every failing field by JSON pointer. */
export class RequestValidationError extends CertHubError {
  readonly code = 'VALIDATION_FAILED';
  declare readonly context: Readonly<{ location: ValidationLocation; issues: readonly ValidationIssue[] }>;

  constructor(location: ValidationLocation, issues: readonly ValidationIssue[]) {
    const kept = issues.slice(0, MAX_REPORTED_ISSUES);
    super(describe(location, issues), { location, issues: kept });
  }

  get issues(): readonly ValidationIssue[] {
    return this.context.issues;
  }
}
