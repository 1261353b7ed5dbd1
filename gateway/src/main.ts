#!/usr/bin/env node
// Starts the gateway: read the configuration once, build the dependencies, listen. `npm start` runs this.
import { access, mkdir } from 'node:fs/promises';
import { constants } from 'node:fs';
import { ConfigError, loadConfig } from './config';
import { createJsonLogger } from './http/logger';
import { createServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createJsonLogger(config.logLevel);
  await mkdir(config.dataDir, { recursive: true });
  const app = createServer({
    config,
    logger,
    healthChecks: [{ name: 'dataDir', check: () => access(config.dataDir, constants.W_OK) }],
  });
  const server = app.listen(config.port, config.host, () => {
    logger.info('gateway listening', {
      url: `http://${config.host}:${config.port}`,
      mode: config.mode,
      ledger: config.ledger,
      dataDir: config.dataDir,
    });
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    const hint = error.code === 'EADDRINUSE' ? ` (port ${config.port} is taken; set PORT)` : '';
    logger.error(`cannot listen on ${config.host}:${config.port}${hint}`, { code: error.code });
    process.exitCode = 1;
  });
  const stop = (): void => {
    logger.info('shutting down');
    server.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`certhub gateway: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`certhub gateway: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
