import assert from 'node:assert/strict';
import request from 'supertest';
import { LedgerError } from '@certhub/gateway/dist/ledger';
import { DEVELOPMENT_USERS } from '@certhub/gateway/dist/auth';
import { LicenseService, type LicenseServiceDeps } from '@certhub/gateway/dist/services';
import type { LicenseIssueRequest } from '@certhub/gateway/dist/schemas';
import { ConnectionLosingLedger } from '../../../support/connection-losing-ledger';
import { anchorsSince, businessLicenseRequest, openHubApp, type HubApp } from '../routes/hub-app';

const clerk = DEVELOPMENT_USERS.find((u) => u.token === 'dev-wuhan-clerk')!.user;

describe('license service', function () {
  this.timeout(60_000);
  let hub: HubApp;

  before(async () => {
    hub = await openHubApp();
  });
  after(async () => {
    await hub.dispose();
  });

  it('completes an idempotent issuance interrupted between storing and anchoring, anchoring once', async () => {
    // The hub's service, rebuilt over a ledger that loses the first anchor; stores, keys and registry are the hub's.
    const deps = (hub.hub.api.licenses as unknown as { deps: LicenseServiceDeps }).deps;
    const losing = new ConnectionLosingLedger(hub.hub.ledger).loseNext('anchor', 'before-commit');
    const service = new LicenseService({ ...deps, ledger: losing });
    const body = businessLicenseRequest() as unknown as LicenseIssueRequest;

    await assert.rejects(service.issue(clerk, body, 'resume-1'), LedgerError);
    const height = hub.hub.ledger.height;
    const retried = await service.issue(clerk, body, 'resume-1');
    assert.equal(await anchorsSince(hub.hub, height), 1, 'anchored on the retry');
    const again = await service.issue(clerk, body, 'resume-1');
    assert.deepEqual(again, retried);
    assert.equal(await anchorsSince(hub.hub, height), 1, 'and only once');

    const anchor = await request(hub.app)
      .get(`/v1/licenses/${retried.licenseId}`)
      .set({ Authorization: 'Bearer dev-bank' })
      .expect(200);
    assert.equal((anchor.body as { docHash: string }).docHash, retried.docHash);
  });

  it('without a key, a lost anchor leaves nothing on chain and a retry issues a new license', async () => {
    const deps = (hub.hub.api.licenses as unknown as { deps: LicenseServiceDeps }).deps;
    const service = new LicenseService({
      ...deps,
      ledger: new ConnectionLosingLedger(hub.hub.ledger).loseNext('anchor', 'before-commit'),
    });
    const body = businessLicenseRequest() as unknown as LicenseIssueRequest;
    const height = hub.hub.ledger.height;
    await assert.rejects(service.issue(clerk, body), LedgerError);
    assert.equal(hub.hub.ledger.height, height);
    const issued = await service.issue(clerk, body);
    assert.equal(await anchorsSince(hub.hub, height), 1);
    assert.match(issued.licenseId, /^1\.2\.156\.3005\.2\./);
  });
});
