import { isAbsolute, join, resolve } from 'node:path';
import { CertHubError } from '@certhub/certs-service';
import { MAX_BATCH_ITEMS } from './schemas/licenses';

/** A setting is missing or malformed; the process must not start with it. */
export class ConfigError extends CertHubError {
  readonly code = 'CONFIG_INVALID';
}

export type Mode = 'development' | 'production';
export type LedgerKind = 'embedded' | 'fabric';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Everything the gateway reads from its environment, read and validated once at start-up. */
export interface GatewayConfig {
  readonly mode: Mode;
  readonly host: string;
  readonly port: number;
  /** Where level keeps the ledger, keys and documents. */
  readonly dataDir: string;
  readonly ledger: LedgerKind;
  readonly logLevel: LogLevel;
  /** 32-byte SM4 master key for keys and documents at rest; undefined in development (a per-data-dir key is made). */
  readonly masterKey: Uint8Array | undefined;
  /** JSON file of users and their hashed tokens; required in production. */
  readonly usersFile: string | undefined;
  /** Production only (undefined in development): the operator's material, every piece required. */
  readonly production: ProductionInputs | undefined;
  /** Largest JSON body accepted, in bytes. */
  readonly bodyLimitBytes: number;
  /** Bulk import (POST /v1/licenses/batch): most items, and most bytes, in one request. */
  readonly batchMaxItems: number;
  readonly batchBodyLimitBytes: number;
  /** The audit log of banks' detailed credit queries and how often its head is anchored on chain. */
  readonly audit: AuditConfig;
}

/**
 * Where a production gateway finds what it acts with; it never generates keys or identities itself. Paths are
 * absolute (relative ones are resolved against the working directory at start-up).
 */
export interface ProductionInputs {
  /** CERTHUB_MASTER_KEY: the 32-byte SM4 key sealing keys, documents and the audit log at rest. */
  readonly masterKey: Uint8Array;
  /** CERTHUB_USERS_FILE: users with their roles and token hashes (auth/users-file.ts). */
  readonly usersFile: string;
  /**
   * CERTHUB_IDENTITIES_DIR: each organisation's Fabric CA certificate and each user's Fabric identity
   * (hub/identities-directory.ts documents the layout; `certhub identities issue` makes one).
   */
  readonly identitiesDir: string;
  /** CERTHUB_HUB_FILE: the regions, license types and first issuers the hub registers on first start (hub/hub-file.ts). */
  readonly hubFile: string;
}

export interface AuditConfig {
  /** The log's ID on chain (CERTHUB_AUDIT_LOG_ID): one per gateway keeping a log. */
  readonly logId: string;
  /** Anchor the head at least this often while entries are pending (CERTHUB_AUDIT_ANCHOR_MS). */
  readonly anchorIntervalMs: number;
  /** Anchor at once when this many entries are pending (CERTHUB_AUDIT_ANCHOR_EVERY). */
  readonly anchorEvery: number;
}

/** The audit settings when nothing is configured: anchor every minute, or after 100 entries. */
export const DEFAULT_AUDIT_CONFIG: AuditConfig = { logId: 'gateway', anchorIntervalMs: 60_000, anchorEvery: 100 };

const projectRoot = resolve(__dirname, '..', '..');

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${value}"`, { name, value });
}

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`, { name, value });
  }
  return Number(value);
}

function masterKey(value: string | undefined): Uint8Array | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    // Never echo the value: it is a secret.
    throw new ConfigError('CERTHUB_MASTER_KEY must be 64 hex digits (32 bytes)', { name: 'CERTHUB_MASTER_KEY' });
  }
  return Buffer.from(value, 'hex');
}

function path(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : resolve(value);
}

function auditLogId(value: string | undefined): string {
  if (value === undefined || value === '') return DEFAULT_AUDIT_CONFIG.logId;
  // The chaincode's rule for log IDs.
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw new ConfigError(`CERTHUB_AUDIT_LOG_ID must be 1–64 of A-Z a-z 0-9 . _ -, got "${value}"`, {
      name: 'CERTHUB_AUDIT_LOG_ID',
      value,
    });
  }
  return value;
}

/** Reads the configuration from an environment (process.env in production, a literal object in tests). */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): GatewayConfig {
  const mode = oneOf('CERTHUB_MODE', env.CERTHUB_MODE, ['development', 'production'], 'development');
  const dataDir = env.CERTHUB_DATA_DIR ?? resolve(projectRoot, 'data');
  const config: GatewayConfig = {
    mode,
    host: env.HOST !== undefined && env.HOST !== '' ? env.HOST : '127.0.0.1',
    port: integer('PORT', env.PORT, 8080, 0, 65535),
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(dataDir),
    ledger: oneOf('LEDGER', env.LEDGER, ['embedded', 'fabric'], 'embedded'),
    logLevel: oneOf('LOG_LEVEL', env.LOG_LEVEL, ['debug', 'info', 'warn', 'error', 'silent'], 'info'),
    masterKey: masterKey(env.CERTHUB_MASTER_KEY),
    usersFile: path(env.CERTHUB_USERS_FILE),
    production: undefined,
    bodyLimitBytes: integer('CERTHUB_BODY_LIMIT', env.CERTHUB_BODY_LIMIT, 1_048_576, 1024, 64 * 1_048_576),
    // Never above the maximum the API publishes (MAX_BATCH_ITEMS); a gateway may accept fewer.
    batchMaxItems: integer('CERTHUB_BATCH_MAX_ITEMS', env.CERTHUB_BATCH_MAX_ITEMS, MAX_BATCH_ITEMS, 1, MAX_BATCH_ITEMS),
    batchBodyLimitBytes: integer(
      'CERTHUB_BATCH_BODY_LIMIT',
      env.CERTHUB_BATCH_BODY_LIMIT,
      32 * 1_048_576,
      1024,
      1024 * 1_048_576,
    ),
    audit: {
      logId: auditLogId(env.CERTHUB_AUDIT_LOG_ID),
      // From 1 s (tests, demos) to a day: a longer gap leaves recent entries unanchored for too long.
      anchorIntervalMs: integer(
        'CERTHUB_AUDIT_ANCHOR_MS',
        env.CERTHUB_AUDIT_ANCHOR_MS,
        DEFAULT_AUDIT_CONFIG.anchorIntervalMs,
        1000,
        86_400_000,
      ),
      anchorEvery: integer(
        'CERTHUB_AUDIT_ANCHOR_EVERY',
        env.CERTHUB_AUDIT_ANCHOR_EVERY,
        DEFAULT_AUDIT_CONFIG.anchorEvery,
        1,
        1_000_000,
      ),
    },
  };
  if (mode === 'production') {
    // Production never falls back to development credentials, identities or a key made on the spot.
    const { masterKey: key, usersFile } = config;
    const identitiesDir = path(env.CERTHUB_IDENTITIES_DIR);
    const hubFile = path(env.CERTHUB_HUB_FILE);
    if (key === undefined || usersFile === undefined || identitiesDir === undefined || hubFile === undefined) {
      const missing = Object.entries({
        CERTHUB_MASTER_KEY: key,
        CERTHUB_USERS_FILE: usersFile,
        CERTHUB_IDENTITIES_DIR: identitiesDir,
        CERTHUB_HUB_FILE: hubFile,
      })
        .filter(([, value]) => value === undefined)
        .map(([name]) => name);
      const names = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1) ?? ''}` : missing[0];
      throw new ConfigError(`production mode needs ${names ?? ''}`, { missing });
    }
    return { ...config, production: { masterKey: key, usersFile, identitiesDir, hubFile } };
  }
  return config;
}

/** Where the embedded ledger keeps its world state, history and blocks, inside the data directory. */
export function ledgerDirectory(config: Pick<GatewayConfig, 'dataDir'>): string {
  return join(config.dataDir, 'ledger');
}
