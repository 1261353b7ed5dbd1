import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contracts } from '@certhub/chaincode';
import { EmbeddedLedger } from '@certhub/gateway/dist/ledger';
import { ledgerConformance } from './ledger-conformance';

ledgerConformance('embedded', async (organizations) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'certhub-conformance-'));
  const ledger = await EmbeddedLedger.open({ dataDir, contracts, organizations });
  return {
    ledger,
    async dispose() {
      await ledger.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
