import type { FlagSpec, ParsedArgs } from './command';
import { optionalFlag } from './command';
import { CliUsageError } from './errors';
import { GatewayClient } from './gateway-client';
import type { CliIo } from './io';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8080';

/** `--url`, `--token` and `--json`: every command that talks to a running gateway takes them. */
export const gatewayFlags = (auth: 'required' | 'optional'): readonly FlagSpec[] => [
  { name: 'url', description: `gateway base URL (default: env CERTHUB_URL, else ${DEFAULT_GATEWAY_URL})` },
  {
    name: 'token',
    description:
      auth === 'required'
        ? 'bearer token (default: env CERTHUB_TOKEN); never printed'
        : 'bearer token (default: env CERTHUB_TOKEN); optional here, anonymous without one',
  },
  { name: 'json', boolean: true, description: "print the gateway's JSON answer instead of text" },
];

export const wantsJson = (args: ParsedArgs): boolean => args.flags.get('json') === true;

/** Prints a value as the gateway sent it, for `--json`: indented, one trailing newline, ready for jq. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The client for this invocation: `--url` else CERTHUB_URL else the local default; `--token` else CERTHUB_TOKEN.
 * A token is checked here (without ever echoing it) so a pasted newline or space fails as a usage error, not deep in
 * fetch with a message that might quote the header.
 */
export function connectGateway(args: ParsedArgs, io: CliIo, auth: 'required' | 'optional'): GatewayClient {
  const url = parseGatewayUrl(optionalFlag(args, 'url') ?? nonEmpty(io.env.CERTHUB_URL) ?? DEFAULT_GATEWAY_URL);
  const token = optionalFlag(args, 'token') ?? nonEmpty(io.env.CERTHUB_TOKEN);
  if (token === undefined) {
    if (auth === 'required') {
      throw new CliUsageError('this command needs a token: pass --token or set CERTHUB_TOKEN', { flag: 'token' });
    }
    return new GatewayClient({ url });
  }
  if (!/^[\x21-\x7e]{1,1024}$/.test(token)) {
    throw new CliUsageError('the token (--token or CERTHUB_TOKEN) must be printable ASCII without spaces', {
      flag: 'token',
    });
  }
  return new GatewayClient({ url, token });
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/** An http(s) URL without query, fragment or credentials (a token belongs in --token, not in the URL). */
export function parseGatewayUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new CliUsageError(
      `--url must be an http(s) URL such as ${DEFAULT_GATEWAY_URL}, got "${text}"`,
      {},
      { cause },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliUsageError(`--url must use http or https, got "${url.protocol}"`, { flag: 'url' });
  }
  if (url.username !== '' || url.password !== '') {
    throw new CliUsageError('--url must not carry credentials; pass the token with --token', { flag: 'url' });
  }
  if (url.search !== '' || url.hash !== '') {
    throw new CliUsageError('--url must not have a query or fragment', { flag: 'url' });
  }
  return url.href.replace(/\/+$/, '');
}
