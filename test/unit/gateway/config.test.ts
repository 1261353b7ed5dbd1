import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ConfigError, ledgerDirectory, loadConfig } from '@certhub/gateway/dist/config';

describe('gateway config', () => {
  it('defaults to development on 127.0.0.1:8080 with the embedded ledger', () => {
    const c = loadConfig({});
    assert.equal(c.mode, 'development');
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 8080);
    assert.equal(c.ledger, 'embedded');
    assert.equal(c.logLevel, 'info');
    assert.equal(c.masterKey, undefined);
    assert.equal(c.bodyLimitBytes, 1_048_576);
    assert.match(c.dataDir, /[/\\]data$/);
  });

  it('honours PORT, HOST, CERTHUB_DATA_DIR, LEDGER, LOG_LEVEL and the master key', () => {
    const c = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      CERTHUB_DATA_DIR: '/tmp/certhub-x',
      LEDGER: 'fabric',
      LOG_LEVEL: 'warn',
      CERTHUB_MASTER_KEY: 'ab'.repeat(32),
    });
    assert.equal(c.port, 9000);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.dataDir, '/tmp/certhub-x');
    assert.equal(c.ledger, 'fabric');
    assert.equal(c.logLevel, 'warn');
    assert.deepEqual(c.masterKey, Buffer.alloc(32, 0xab));
  });

  for (const [name, env, pattern] of [
    ['a non-numeric port', { PORT: 'http' }, /PORT must be a whole number/],
    ['a port out of range', { PORT: '70000' }, /PORT must be a whole number/],
    ['an unknown ledger', { LEDGER: 'mysql' }, /LEDGER must be one of embedded, fabric/],
    ['an unknown mode', { CERTHUB_MODE: 'staging' }, /CERTHUB_MODE must be one of/],
    ['a short master key', { CERTHUB_MASTER_KEY: 'abcd' }, /64 hex digits/],
  ] as const) {
    it(`rejects ${name} with a ConfigError`, () => {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && pattern.test(e.message),
      );
    });
  }

  it('limits bulk imports to 10,000 items and 32 MiB a request unless configured lower (or higher, for bytes)', () => {
    const defaults = loadConfig({});
    assert.deepEqual([defaults.batchMaxItems, defaults.batchBodyLimitBytes], [10_000, 32 * 1_048_576]);
    const c = loadConfig({ CERTHUB_BATCH_MAX_ITEMS: '500', CERTHUB_BATCH_BODY_LIMIT: '104857600' });
    assert.deepEqual([c.batchMaxItems, c.batchBodyLimitBytes], [500, 104_857_600]);
    for (const env of [
      { CERTHUB_BATCH_MAX_ITEMS: '10001' },
      { CERTHUB_BATCH_MAX_ITEMS: '0' },
      { CERTHUB_BATCH_MAX_ITEMS: 'many' },
      { CERTHUB_BATCH_BODY_LIMIT: '100' },
      { CERTHUB_BATCH_BODY_LIMIT: '1.5' },
    ]) {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && /CERTHUB_BATCH_.* must be a whole number/.test(e.message),
        JSON.stringify(env),
      );
    }
  });

  it('never repeats a malformed master key in its error', () => {
    assert.throws(
      () => loadConfig({ CERTHUB_MASTER_KEY: 'secret-value' }),
      (e: unknown) => e instanceof ConfigError && !e.message.includes('secret-value'),
    );
  });

  const production = {
    CERTHUB_MODE: 'production',
    CERTHUB_MASTER_KEY: '01'.repeat(32),
    CERTHUB_USERS_FILE: '/etc/certhub/users.json',
    CERTHUB_IDENTITIES_DIR: '/etc/certhub/identities',
    CERTHUB_HUB_FILE: '/etc/certhub/hub.json',
  } as const;

  it('refuses production without a master key, users file, identities directory and hub file, naming each missing', () => {
    assert.throws(
      () => loadConfig({ CERTHUB_MODE: 'production' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message ===
          'production mode needs CERTHUB_MASTER_KEY, CERTHUB_USERS_FILE, CERTHUB_IDENTITIES_DIR and CERTHUB_HUB_FILE',
    );
    for (const name of Object.keys(production).filter((n) => n !== 'CERTHUB_MODE')) {
      assert.throws(
        () => loadConfig({ ...production, [name]: '' }),
        (e: unknown) => e instanceof ConfigError && e.message === `production mode needs ${name}`,
        name,
      );
    }
  });

  it('gives production its inputs as one typed group, paths made absolute; development has none', () => {
    const c = loadConfig({ ...production, CERTHUB_IDENTITIES_DIR: 'relative/identities' });
    assert.equal(c.mode, 'production');
    assert.deepEqual(c.production, {
      masterKey: Buffer.alloc(32, 0x01),
      usersFile: '/etc/certhub/users.json',
      identitiesDir: resolve('relative/identities'),
      hubFile: '/etc/certhub/hub.json',
    });
    assert.equal(loadConfig({ CERTHUB_MASTER_KEY: '01'.repeat(32) }).production, undefined);
  });

  it('anchors the audit log head every minute or after 100 entries, as log "gateway", unless configured', () => {
    assert.deepEqual(loadConfig({}).audit, { logId: 'gateway', anchorIntervalMs: 60_000, anchorEvery: 100 });
    assert.deepEqual(
      loadConfig({
        CERTHUB_AUDIT_LOG_ID: 'gateway-wuhan.1',
        CERTHUB_AUDIT_ANCHOR_MS: '5000',
        CERTHUB_AUDIT_ANCHOR_EVERY: '1',
      }).audit,
      { logId: 'gateway-wuhan.1', anchorIntervalMs: 5000, anchorEvery: 1 },
    );
  });

  for (const [name, env, pattern] of [
    ['an anchor interval under a second', { CERTHUB_AUDIT_ANCHOR_MS: '999' }, /CERTHUB_AUDIT_ANCHOR_MS must be/],
    ['an anchor interval over a day', { CERTHUB_AUDIT_ANCHOR_MS: '86400001' }, /CERTHUB_AUDIT_ANCHOR_MS must be/],
    ['a fractional anchor interval', { CERTHUB_AUDIT_ANCHOR_MS: '1500.5' }, /CERTHUB_AUDIT_ANCHOR_MS must be/],
    ['anchoring after 0 entries', { CERTHUB_AUDIT_ANCHOR_EVERY: '0' }, /CERTHUB_AUDIT_ANCHOR_EVERY must be/],
    ['a log ID the chaincode refuses', { CERTHUB_AUDIT_LOG_ID: 'gateway/1' }, /CERTHUB_AUDIT_LOG_ID must be/],
  ] as const) {
    it(`rejects ${name} with a ConfigError`, () => {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && pattern.test(e.message),
      );
    });
  }

  it('keeps the embedded ledger in a ledger folder of the data directory', () => {
    assert.equal(ledgerDirectory(loadConfig({ CERTHUB_DATA_DIR: '/srv/certhub' })), '/srv/certhub/ledger');
  });
});
