import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { KeyStore, Sm2Certificate, sm2Sign, type Sm2PrivateKey } from '@certhub/certs-service';
import { DEVELOPMENT_ENTERPRISE, DEVELOPMENT_USERS, type User } from '@certhub/gateway/dist/auth';
import { createJsonLogger } from '@certhub/gateway/dist/http/logger';
import { chinaDate } from '@certhub/gateway/dist/services/china-date';
import { enterpriseKeyId } from '@certhub/gateway/dist/services/enterprise-signers';
import {
  openDevelopmentHub,
  rootKeyId,
  type DevelopmentHub,
  type DevelopmentHubOptions,
} from '@certhub/gateway/dist/seed';
import { createServer } from '@certhub/gateway/dist/server';

/** A day in milliseconds, to move the consent hub's clock. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A development gateway for the consent tests: its clock can be moved forward (consents expire by the China date),
 * and the SM2 keys an enterprise holding its own key would use — the demo enterprise's key with its certificate, and
 * the Wuhan root's key to certify others — are read from the data directory's KeyStore between two starts.
 */
export interface ConsentHub {
  readonly app: Express;
  readonly hub: DevelopmentHub;
  readonly enterprise: { readonly uscc: string; readonly key: Sm2PrivateKey; readonly certificate: Sm2Certificate };
  readonly wuhanRoot: { readonly key: Sm2PrivateKey; readonly certificate: Sm2Certificate };
  /** Moves the hub's clock (ledger transactions, consent dates, audit entries) forward. */
  advance(ms: number): void;
  now(): Date;
  /** Today in China at the hub's clock. */
  today(): string;
  dispose(): Promise<void>;
}

export function developmentUser(token: string): User {
  const found = DEVELOPMENT_USERS.find((u) => u.token === token);
  if (found === undefined) throw new Error(`no development user with token ${token}`);
  return found.user;
}

export async function openConsentHub(
  options: Omit<DevelopmentHubOptions, 'dataDir' | 'clock' | 'masterKey'> = {},
): Promise<ConsentHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'certhub-consents-'));
  const masterKey = randomBytes(32);
  let offset = 0;
  const now = (): Date => new Date(Date.now() + offset);
  const first = await openDevelopmentHub({ dataDir, masterKey, clock: now });
  const enterprisePem = first.world.enterpriseCertificates[DEVELOPMENT_ENTERPRISE.code];
  const rootPem = first.world.roots['420100'];
  await first.close();
  const keys = await KeyStore.open(join(dataDir, 'gateway'), masterKey);
  const enterpriseKey = await keys.getKey(enterpriseKeyId(DEVELOPMENT_ENTERPRISE.code));
  const rootKey = await keys.getKey(rootKeyId('420100'));
  await keys.close();
  if (enterprisePem === undefined || rootPem === undefined)
    throw new Error('the development world lacks the demo keys');

  const hub = await openDevelopmentHub({ dataDir, masterKey, clock: now, ...options });
  const app = createServer({
    config: { bodyLimitBytes: 1_048_576, mode: 'development' },
    logger: createJsonLogger('silent'),
    healthChecks: hub.healthChecks,
    api: hub.api,
  });
  return {
    app,
    hub,
    enterprise: {
      uscc: DEVELOPMENT_ENTERPRISE.code,
      key: enterpriseKey,
      certificate: Sm2Certificate.fromPem(enterprisePem),
    },
    wuhanRoot: { key: rootKey, certificate: Sm2Certificate.fromPem(rootPem) },
    advance(ms) {
      offset += ms;
    },
    now,
    today: () => chinaDate(now()),
    async dispose() {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The bytes an enterprise signs, written out by hand exactly as the API documents them (keys in order, no spaces), so a
 * test signing these proves the documentation, not just the gateway's own helper.
 */
export function documentedConsentBytes(terms: {
  enterprise: string;
  bank: string;
  scope: string[];
  expiresOn: string;
  signedAt: string;
}): Uint8Array {
  const q = (value: string): string => JSON.stringify(value);
  const scope = [...new Set(terms.scope)].sort().map(q).join(',');
  return Buffer.from(
    `{"bank":${q(terms.bank)},"enterprise":${q(terms.enterprise)},"expiresOn":${q(terms.expiresOn)},"purpose":"certhub-consent","scope":[${scope}],"signedAt":${q(terms.signedAt)}}`,
    'utf8',
  );
}

/** A self-signed consent body: the documented consent bytes signed with `key`, as `certhub sm2 sign` would. */
export function signedConsentBody(
  key: Sm2PrivateKey,
  certificate: Sm2Certificate,
  terms: { enterprise: string; bank: string; scope: string[]; expiresOn: string; signedAt: string },
): Record<string, unknown> {
  const bytes = documentedConsentBytes(terms);
  return {
    bank: terms.bank,
    scope: terms.scope,
    expiresOn: terms.expiresOn,
    signedAt: terms.signedAt,
    signature: Buffer.from(sm2Sign(key, bytes)).toString('base64'),
    certificate: certificate.pem,
  };
}
