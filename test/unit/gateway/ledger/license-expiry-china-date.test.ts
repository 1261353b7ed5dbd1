import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contracts } from '@certhub/chaincode';
import { chinaDateOf } from '@certhub/chaincode/dist/rules/china-date';
import { ChaincodeError, EmbeddedLedger } from '@certhub/gateway/dist/ledger';
import { anchorRequest, createHubFixture, seedRegistry, signLicense } from '../../../support/hub-fixture';

/*
 * license:expire counts China calendar days (UTC+8), as the gateway's validity step does: a license valid until day D
 * may be marked expired from 00:00 Beijing time on D+1, which is still day D in UTC.
 */
describe('license:expire at the China-date boundary', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'certhub-expiry-'));
  let now = new Date();
  let ledger: EmbeddedLedger;

  after(async () => {
    await ledger.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses at 23:59:59.999 Beijing time on the last valid day and expires at 00:00 the next day', async () => {
    const hub = await createHubFixture();
    // The identities are issued just now: the ledger's clock starts from here, not from when this file was loaded.
    now = new Date();
    ledger = await EmbeddedLedger.open({ dataDir, contracts, organizations: hub.organizations, clock: () => now });
    await seedRegistry(ledger, hub);
    const issuer = hub.wuhan.issuer;
    // Valid until today (China date): the boundary is 16:00 UTC today, later than now and within the identities' validity.
    const lastDay = chinaDateOf(new Date());
    const license = signLicense(issuer, { serial: '0000901', validFrom: '2026-01-01', validUntil: lastDay });
    await ledger.submit(issuer.clerk, anchorRequest(issuer, license));
    const expire = { contract: 'license', fn: 'expire', args: [license.licenseId] };

    now = new Date(`${lastDay}T15:59:59.999Z`);
    await assert.rejects(
      ledger.submit(issuer.clerk, expire),
      (error: unknown) => error instanceof ChaincodeError && error.code === 'INVALID_STATE_TRANSITION',
    );

    now = new Date(`${lastDay}T16:00:00.000Z`);
    assert.equal(now.toISOString().slice(0, 10), lastDay, 'still the last valid day in UTC');
    const expired = await ledger.submit(issuer.clerk, expire);
    assert.equal((JSON.parse(Buffer.from(expired.payload).toString('utf8')) as { status: string }).status, '05');
  });
});
