#!/usr/bin/env node
// Starts the gateway: read the configuration once, build the dependencies, listen. `npm start` runs this.
import './chaincode-startup-logging';
import { ConfigError, loadConfig } from './config';
import { createHttpServer } from './http/http-server';
import { createJsonLogger } from './http/logger';
import { DEFAULT_BATCH_LIMITS } from './jobs/import-jobs';
import { openProductionHub } from './hub/production-hub';
import { openDevelopmentHub } from './seed/development-hub';
import { createServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createJsonLogger(config.logLevel);
  if (config.ledger !== 'embedded') {
    // A Fabric backend (FabricLedger over fabric-gateway) does not exist yet; starting on the embedded ledger instead
    // would quietly keep the records somewhere else than the operator asked.
    throw new ConfigError('LEDGER=fabric: the Fabric backend is not available (issue 5 blocked); use LEDGER=embedded', {
      ledger: config.ledger,
    });
  }
  const hubOptions = {
    dataDir: config.dataDir,
    logger,
    audit: config.audit,
    imports: {
      limits: {
        ...DEFAULT_BATCH_LIMITS,
        maxItems: config.batchMaxItems,
        maxBytes: config.batchBodyLimitBytes,
      },
    },
  };
  const hub =
    config.production === undefined
      ? await openDevelopmentHub({
          ...hubOptions,
          ...(config.masterKey === undefined ? {} : { masterKey: config.masterKey }),
        })
      : await openProductionHub({ ...hubOptions, inputs: config.production });
  logger.info(`${config.mode} hub ready`, { dataDir: config.dataDir, seededTransactions: hub.seededTransactions });
  const app = createServer({ config, logger, healthChecks: hub.healthChecks, api: hub.api });
  const server = createHttpServer(app);
  server.listen(config.port, config.host, () => {
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
    server.close(() => {
      hub.close().catch((error: unknown) => {
        logger.error('closing the hub failed', { error: error instanceof Error ? error.message : String(error) });
        process.exitCode = 1;
      });
    });
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
