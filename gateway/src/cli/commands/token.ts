import { newToken, tokenHash } from '../../auth/token-hash';
import { ExitCode, optionalFlag, type Command } from '../command';
import { CliInputError } from '../errors';

export const tokenNewCommand: Command = {
  path: ['token', 'new'],
  summary: 'A fresh bearer token (256 bits, base64url) and the SM3 hash the users file stores for it, as JSON.',
  details:
    'Give the token to the user and put only tokenHash in the users file: the gateway never stores tokens.\nExample: certhub token new > wuhan-clerk.token.json',
  flags: [],
  run(_args, io) {
    const token = newToken();
    io.stdout(`${JSON.stringify({ token, tokenHash: tokenHash(token) })}\n`);
    return Promise.resolve(ExitCode.ok);
  },
};

export const tokenHashCommand: Command = {
  path: ['token', 'hash'],
  summary: "The users file's tokenHash of an existing token (SM3 of its UTF-8 bytes, lower-case hex).",
  details:
    'The token is read from a file or standard input, never from the command line, where others could see it in ps.\nExample: certhub token hash < token.txt',
  flags: [{ name: 'in', description: 'file holding the token (default: standard input)' }],
  async run(args, io) {
    // One token, with the newline an editor or `echo` adds removed.
    const token = Buffer.from(await io.readFile(optionalFlag(args, 'in') ?? '/dev/stdin'))
      .toString('utf8')
      .trim();
    if (token === '' || /\s/.test(token)) {
      throw new CliInputError('expected one token (no spaces) on its own', {});
    }
    io.stdout(`${tokenHash(token)}\n`);
    return ExitCode.ok;
  },
};
