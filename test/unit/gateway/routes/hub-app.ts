import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { createJsonLogger } from '@certhub/gateway/dist/http/logger';
import { openDevelopmentHub, type DevelopmentHub, type DevelopmentHubOptions } from '@certhub/gateway/dist/seed';
import { createServer } from '@certhub/gateway/dist/server';

/** A development gateway over a fresh data directory, as `npm start` builds it, for supertest. */
export interface HubApp {
  readonly app: Express;
  readonly hub: DevelopmentHub;
  readonly dataDir: string;
  dispose(): Promise<void>;
}

export async function openHubApp(options: Omit<DevelopmentHubOptions, 'dataDir'> = {}): Promise<HubApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'certhub-routes-'));
  const hub = await openDevelopmentHub({ dataDir, ...options });
  const app = createServer({
    config: { bodyLimitBytes: 1_048_576, mode: 'development' },
    logger: createJsonLogger('silent'),
    healthChecks: hub.healthChecks,
    api: hub.api,
  });
  return {
    app,
    hub,
    dataDir,
    async dispose() {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * How many `license:anchor` transactions committed from block `fromHeight` on. Counted per transaction, not by
 * block height: the ledger may cut several concurrent transactions into one block.
 */
export async function anchorsSince(hub: DevelopmentHub, fromHeight: number): Promise<number> {
  const committed = await hub.ledger.history({ startBlock: fromHeight });
  return committed.filter((tx) => tx.contract === 'license' && tx.fn === 'anchor').length;
}

export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

/** A valid issue request body for the business license (an enterprise holder). */
export function businessLicenseRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    typeCode: '11100000000013338W032',
    number: 'No.420100-0001',
    name: '营业执照',
    holder: { name: '武汉光谷示例科技有限公司', idType: '001', id: '91420100303217469Q' },
    validFrom: '2026-01-01',
    validUntil: '2036-01-01',
    fields: { scope: '软件开发', capital: '100万元' },
    ...overrides,
  };
}
