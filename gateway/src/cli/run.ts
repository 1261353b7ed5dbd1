import { CertHubError } from '@certhub/certs-service';
import { ExitCode, parseCommandArgs, usageOf, type Command } from './command';
import { commands as allCommands } from './commands';
import { CliUsageError, GatewayProblemError, GatewayUnreachableError } from './errors';
import type { CliIo } from './io';

const isHelp = (arg: string): boolean => arg === '--help' || arg === '-h';

/** Lists the commands under a prefix (`certhub sm2 --help` lists the sm2 commands). */
function overview(prefix: readonly string[], commands: readonly Command[]): string {
  const under = commands.filter((c) => prefix.every((part, i) => c.path[i] === part));
  const width = Math.max(...under.map((c) => c.path.join(' ').length));
  const lines = under.map((c) => `  certhub ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return `usage: certhub ${prefix.length > 0 ? prefix.join(' ') + ' ' : ''}<command> [flags]\n\n${lines.join('\n')}\n\nRun any command with --help for its flags. Exit codes: 0 ok/valid, 1 invalid (or some import items failed), 2 usage, input or gateway error.\n`;
}

/**
 * Runs one `certhub` invocation and returns its exit code; never throws and never calls process.exit,
 * so tests drive it in-process with a recording CliIo.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly Command[] = allCommands,
): Promise<ExitCode> {
  const words = argv.filter((a) => !a.startsWith('-'));
  // The longest command path that the leading words name.
  const command = commands.find((c) => c.path.every((part, i) => argv[i] === part));
  if (command === undefined) {
    const group = words[0] !== undefined && commands.some((c) => c.path[0] === words[0]) ? [words[0]] : [];
    const onlyGroup = argv.filter((a) => !isHelp(a)).length === group.length;
    if (onlyGroup && argv.some(isHelp)) {
      io.stdout(overview(group, commands));
      return ExitCode.ok;
    }
    const problem = onlyGroup ? 'missing command' : `unknown command "${argv.join(' ')}"`;
    io.stderr(`certhub: ${problem}\n\n${overview(group, commands)}`);
    return ExitCode.usage;
  }
  const rest = argv.slice(command.path.length);
  if (rest.some(isHelp)) {
    io.stdout(usageOf(command));
    return ExitCode.ok;
  }
  try {
    return await command.run(parseCommandArgs(command, rest), io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`certhub ${command.path.join(' ')}: ${error.message} (see --help)\n`);
      return ExitCode.usage;
    }
    // The gateway's own words: its status, stable code and detail (plus each failing field of a refused request).
    if (error instanceof GatewayProblemError) {
      const fields = error.issues.map(
        (issue) => `  ${issue.pointer === '' ? '(root)' : issue.pointer}: ${issue.message}\n`,
      );
      io.stderr(`certhub: ${error.status} ${error.code}: ${error.detail}\n${fields.join('')}`);
      return ExitCode.error;
    }
    if (error instanceof GatewayUnreachableError) {
      io.stderr(`certhub: ${error.message}\n`);
      return ExitCode.error;
    }
    // Bad keys, certificates, identifiers or unreadable files: input errors, one line, no stack trace.
    const message = error instanceof CertHubError ? `${error.message} [${error.code}]` : String(error);
    io.stderr(`certhub ${command.path.join(' ')}: ${message}\n`);
    return ExitCode.usage;
  }
}
