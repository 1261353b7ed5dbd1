import { parseArgs } from 'node:util';
import { CliUsageError } from './errors';
import type { CliIo } from './io';

/**
 * Exit codes every command keeps, so scripts can rely on them (DESIGN.md §7). `error` is `usage`'s value: a script
 * cannot act on "valid" or "invalid" when the input, the gateway or the ledger failed, whichever it was.
 */
export const ExitCode = { ok: 0, invalid: 1, usage: 2, error: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface FlagSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  /** A flag without a value (`--json`). */
  readonly boolean?: boolean;
}

export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
}

/** One leaf command (`certhub sm2 sign`): its flags, its positional arguments and what it does. */
export interface Command {
  readonly path: readonly string[];
  /** One line for `certhub --help`. */
  readonly summary: string;
  /** More for the command's own `--help`: what it sends, what it prints, its exit codes, an example. */
  readonly details?: string;
  readonly positionals?: readonly string[];
  readonly flags: readonly FlagSpec[];
  run(args: ParsedArgs, io: CliIo): Promise<ExitCode>;
}

export function usageOf(command: Command): string {
  const positional = (command.positionals ?? []).map((p) => ` ${p}`).join('');
  const flags = command.flags
    .map((f) => {
      const text = f.boolean === true ? `--${f.name}` : `--${f.name} ${f.name.toUpperCase().replace(/-/g, '_')}`;
      return f.required === true ? ` ${text}` : ` [${text}]`;
    })
    .join('');
  const lines = [`usage: certhub ${command.path.join(' ')}${positional}${flags}`, '', command.summary, ''];
  if (command.details !== undefined) lines.push(command.details, '');
  const width = Math.max(12, ...command.flags.map((f) => f.name.length));
  for (const f of command.flags) lines.push(`  --${f.name.padEnd(width)} ${f.description}`);
  lines.push(`  --${'help'.padEnd(width)} show this help`);
  return lines.join('\n') + '\n';
}

/** Parses argv for one command strictly: unknown flags, missing values and missing required flags are usage errors. */
export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const f of command.flags) options[f.name] = { type: f.boolean === true ? 'boolean' : 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new CliUsageError(
      cause instanceof Error ? cause.message : String(cause),
      { command: command.path },
      { cause },
    );
  }
  const flags = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') flags.set(name, value);
    else if (value === true) flags.set(name, true);
  }
  for (const f of command.flags) {
    if (f.required === true && !flags.has(f.name)) {
      throw new CliUsageError(`missing --${f.name}`, { command: command.path, flag: f.name });
    }
  }
  const expected = command.positionals?.length ?? 0;
  if (parsed.positionals.length !== expected) {
    throw new CliUsageError(
      `expected ${expected} argument(s) (${(command.positionals ?? []).join(' ') || 'none'}), got ${parsed.positionals.length}`,
      { command: command.path },
    );
  }
  return { flags, positionals: parsed.positionals };
}

/** A string flag's value; use only for flags declared `required` or after checking presence. */
export function flag(args: ParsedArgs, name: string): string {
  const value = args.flags.get(name);
  if (typeof value !== 'string') throw new CliUsageError(`missing --${name}`, { flag: name });
  return value;
}

export function optionalFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function positional(args: ParsedArgs, index: number): string {
  const value = args.positionals[index];
  if (value === undefined) throw new CliUsageError(`missing argument ${index + 1}`, {});
  return value;
}

/** `--days N`: a whole number of days from 1 to 100 years. */
export function daysFlag(args: ParsedArgs, fallback: number): number {
  const text = optionalFlag(args, 'days');
  if (text === undefined) return fallback;
  if (!/^[1-9][0-9]{0,4}$/.test(text) || Number(text) > 36500) {
    throw new CliUsageError(`--days must be a whole number from 1 to 36500, got "${text}"`, {
      flag: 'days',
      value: text,
    });
  }
  return Number(text);
}
