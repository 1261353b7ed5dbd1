import assert from 'node:assert/strict';
import request from 'supertest';
import { DEVELOPMENT_USERS } from '@certhub/gateway/dist/auth';
import { LedgerError } from '@certhub/gateway/dist/ledger';
import type { LicenseAmendRequest } from '@certhub/gateway/dist/schemas';
import { LicenseService, type LicenseServiceDeps } from '@certhub/gateway/dist/services';
import { ConnectionLosingLedger } from '../../../support/connection-losing-ledger';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from '../routes/hub-app';

const clerk = DEVELOPMENT_USERS.find((u) => u.token === 'dev-wuhan-clerk')!.user;

describe('license service: amendments', function () {
  this.timeout(60_000);
  let hub: HubApp;

  before(async () => {
    hub = await openHubApp();
  });
  after(async () => {
    await hub.dispose();
  });

  it('completes an idempotent amendment whose answer was lost after it committed, without a second version', async () => {
    const issued = await request(hub.app)
      .post('/v1/licenses')
      .set(bearer('dev-wuhan-clerk'))
      .send(businessLicenseRequest())
      .expect(201);
    const { licenseId } = issued.body as { licenseId: string };
    const deps = (hub.hub.api.licenses as unknown as { deps: LicenseServiceDeps }).deps;
    const service = new LicenseService({
      ...deps,
      ledger: new ConnectionLosingLedger(hub.hub.ledger).loseNext('amend', 'after-commit'),
    });
    const { typeCode: _typeCode, ...face } = businessLicenseRequest({ number: 'No.amended' });
    const body = { ...face, reason: '变更 (amended)' } as unknown as LicenseAmendRequest;

    await assert.rejects(service.amend(clerk, licenseId, body, 'amend-resume-1'), LedgerError);
    const height = hub.hub.ledger.height;
    // The retry finds the committed version 2 (the chain now says version 1 is withdrawn) and answers with it.
    const retried = await service.amend(clerk, licenseId, body, 'amend-resume-1');
    assert.equal(retried.previous, licenseId);
    assert.equal(retried.document.version, 2);
    assert.equal(hub.hub.ledger.height, height, 'nothing submitted again');
    const anchor = await request(hub.app).get(`/v1/licenses/${retried.licenseId}`).set(bearer('dev-bank')).expect(200);
    assert.equal((anchor.body as { docHash: string }).docHash, retried.docHash);
    assert.equal((anchor.body as { issued: { txId: string } }).issued.txId, retried.txId);
  });
});
