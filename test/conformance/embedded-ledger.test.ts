import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contracts } from '@certhub/chaincode';
import { EmbeddedLedger, verifyLedger } from '@certhub/gateway/dist/ledger';
import { ledgerConformance, type LedgerFactory } from './ledger-conformance';
import { creditConformance } from './credit-conformance';
import { consentConformance } from './consent-conformance';
import { PERSONAL_PERMIT, anchorRequest, createHubFixture, seedRegistry, signLicense } from '../support/hub-fixture';

const embedded: LedgerFactory = async (organizations) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'certhub-conformance-'));
  const ledger = await EmbeddedLedger.open({ dataDir, contracts, organizations });
  return {
    ledger,
    async dispose() {
      await ledger.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

ledgerConformance('embedded', embedded);
creditConformance('embedded', embedded);
consentConformance('embedded', embedded);

describe('embedded ledger storage', function () {
  this.timeout(60_000);

  it('never writes a person holder ID to disk (it travels as transient data), and the chain verifies', async () => {
    const hub = await createHubFixture();
    const dataDir = mkdtempSync(join(tmpdir(), 'certhub-privacy-'));
    try {
      const ledger = await EmbeddedLedger.open({ dataDir, contracts, organizations: hub.organizations });
      await seedRegistry(ledger, hub);
      const issuer = hub.wuhan.issuer;
      const license = signLicense(issuer, {
        serial: '0000777',
        typeCode: PERSONAL_PERMIT,
        holderId: '11010519491231002X',
      });
      await ledger.submit(issuer.clerk, anchorRequest(issuer, license));
      await ledger.close();
      // LevelDB files (log, tables) hold every byte written; the ID must appear in none of them.
      let licenseIdSeen = false;
      for (const file of readdirSync(dataDir)) {
        const bytes = readFileSync(join(dataDir, file));
        assert.equal(bytes.includes('11010519491231002X'), false, `${file} contains the resident ID`);
        licenseIdSeen ||= bytes.includes(license.licenseId);
      }
      // The scan does see what is stored: the anchor's license ID is there in plain bytes.
      assert.ok(licenseIdSeen);
      // Seeding is 9 transactions (hub, 2 regions, 2 types, 2 issuers with a certificate each), then the anchor.
      const verification = await verifyLedger(dataDir);
      assert.ok(verification.ok);
      assert.equal(verification.transactions, 10);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
