import { createSm3 } from '@certhub/certs-service';
import { ExitCode, positional, type Command } from '../command';

export const sm3Command: Command = {
  path: ['sm3'],
  summary: 'Print the SM3 digest (GB/T 32905) of FILE as lower-case hex.',
  positionals: ['FILE'],
  flags: [],
  async run(args, io) {
    const path = positional(args, 0);
    const hash = createSm3();
    for await (const chunk of io.readChunks(path)) hash.update(chunk);
    io.stdout(`${Buffer.from(hash.digest()).toString('hex')}\n`);
    return ExitCode.ok;
  },
};
