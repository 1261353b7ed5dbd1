import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreditRecord } from '@certhub/chaincode';
import { DEVELOPMENT_ENTERPRISE, DEVELOPMENT_ISSUERS } from '@certhub/gateway/dist/auth';
import { GATEWAY_SERVICE_USER, openDevelopmentHub, type DevelopmentHub } from '@certhub/gateway/dist/seed';
import { demoCreditRecords } from '@certhub/gateway/dist/seed/seed-credit';
import { validationIssues, CreditRecordRequest } from '@certhub/gateway/dist/schemas';

async function subjectRecords(hub: DevelopmentHub): Promise<CreditRecord[]> {
  const service = hub.world.identities[GATEWAY_SERVICE_USER]!;
  const page = JSON.parse(
    Buffer.from(
      await hub.ledger.evaluate(service, {
        contract: 'credit',
        fn: 'listBySubject',
        args: [DEVELOPMENT_ENTERPRISE.code, '100', ''],
      }),
    ).toString(),
  ) as { items: CreditRecord[] };
  return page.items;
}

describe('development credit seed', function () {
  this.timeout(120_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'certhub-seed-credit-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds demo records that pass the API’s own schema', () => {
    for (const record of demoCreditRecords('2026-11-22', DEVELOPMENT_ISSUERS.WUHAN_AMR)) {
      assert.deepEqual(validationIssues(CreditRecordRequest, record), [], record.category);
    }
  });

  it('anchors the demo enterprise’s records once, the abnormal listing removed, and nothing on a restart', async () => {
    const first = await openDevelopmentHub({ dataDir });
    let height: number;
    try {
      const records = await subjectRecords(first);
      assert.deepEqual(records.map((r) => [r.category, r.status]).sort(), [
        ['ABNORMAL_OPERATION', 'REPAIRED'],
        ['ADMIN_LICENSE', 'ACTIVE'],
        ['ADMIN_PENALTY', 'ACTIVE'],
        ['ADMIN_PENALTY', 'ACTIVE'],
        ['REDLIST', 'ACTIVE'],
      ]);
      assert.ok(records.every((r) => r.source === DEVELOPMENT_ISSUERS.WUHAN_AMR.code));
      height = first.ledger.height;
    } finally {
      await first.close();
    }
    const again = await openDevelopmentHub({ dataDir });
    try {
      assert.equal(again.ledger.height, height, 'a restart submits nothing');
      assert.equal((await subjectRecords(again)).length, 5);
    } finally {
      await again.close();
    }
  });
});
