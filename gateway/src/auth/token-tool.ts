import { newToken, tokenHash } from './token-hash';

/*
 * Operators' helper for the users file, without the gateway running:
 *   node gateway/dist/auth/token-tool.js new            → a fresh token and its hash, as JSON
 *   node gateway/dist/auth/token-tool.js hash < token   → the hash of the token read from standard input
 * The token is read from stdin, never from the command line, where other users of the machine could see it in ps.
 */

export interface TokenToolIo {
  readonly stdin: () => Promise<string>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = 'usage: token-tool new | token-tool hash < token-file\n';

/** Runs the tool; returns the process exit code (0 done, 2 usage error). */
export async function runTokenTool(args: readonly string[], io: TokenToolIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'new' && rest.length === 0) {
    const token = newToken();
    io.stdout(`${JSON.stringify({ token, tokenHash: tokenHash(token) })}\n`);
    return 0;
  }
  if (command === 'hash' && rest.length === 0) {
    // One token, with the newline an editor or `echo` adds removed; inner whitespace would make it unusable anyway.
    const token = (await io.stdin()).trim();
    if (token === '') {
      io.stderr('token-tool hash: no token on standard input\n');
      return 2;
    }
    io.stdout(`${tokenHash(token)}\n`);
    return 0;
  }
  io.stderr(USAGE);
  return 2;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

if (require.main === module) {
  void runTokenTool(process.argv.slice(2), {
    stdin: readStdin,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
