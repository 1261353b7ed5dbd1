import { CertHubError } from '@certhub/certs-service';

/** The command line was wrong (unknown command or flag, missing value): exit code 2. */
export class CliUsageError extends CertHubError {
  readonly code = 'CLI_USAGE';
}

/** An input file could not be read or written, or its content is not what the command needs: exit code 2. */
export class CliInputError extends CertHubError {
  readonly code = 'CLI_INPUT';
}
