import { stat } from 'node:fs/promises';
import { ExitCode, optionalFlag, type Command } from '../command';
import { CliInputError } from '../errors';

export const ledgerVerifyCommand: Command = {
  path: ['ledger', 'verify'],
  summary:
    "Re-walk the embedded ledger's SM3-chained blocks and world state; report the first broken link. Exit 0 intact, 1 broken.",
  flags: [
    {
      name: 'data-dir',
      description: 'the ledger folder (default: <CERTHUB_DATA_DIR or ./data>/ledger); stop the gateway first',
    },
  ],
  async run(args, io) {
    // Loaded here, not at the top: the ledger stack (level, fabric-shim) would slow every other certhub command.
    const { ledgerDirectory, loadConfig } = await import('../../config.js');
    const { verifyLedger } = await import('../../ledger/index.js');
    const dir = optionalFlag(args, 'data-dir') ?? ledgerDirectory(loadConfig(process.env));
    // Opening a folder that is not there would create an empty ledger and call it intact.
    const found = await stat(dir).catch(() => undefined);
    if (found?.isDirectory() !== true) throw new CliInputError(`no ledger at ${dir}`, { dir });
    const result = await verifyLedger(dir);
    if (result.ok) {
      io.stdout(`ledger intact: ${result.height} blocks, ${result.transactions} transactions\n`);
      return ExitCode.ok;
    }
    const where =
      result.blockNumber === undefined ? `world state key ${result.key ?? '?'}` : `block ${result.blockNumber}`;
    io.stderr(`ledger broken at ${where}: ${result.reason} (height ${result.height})\n`);
    return ExitCode.invalid;
  },
};
