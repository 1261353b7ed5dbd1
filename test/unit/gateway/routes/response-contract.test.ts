import assert from 'node:assert/strict';
import request from 'supertest';
import { ROUTES } from '@certhub/gateway/dist/openapi';
import { validationIssues } from '@certhub/gateway/dist/schemas';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from './hub-app';

/** The published success schema of an operation (what GET /openapi.json promises). */
function publishedSchema(operationId: string, status: number) {
  const schema = ROUTES.find((r) => r.operationId === operationId)?.responses[status]?.schema;
  assert.ok(schema, `${operationId} publishes a ${status} schema`);
  return schema;
}

describe('responses match the published OpenAPI schemas', function () {
  this.timeout(60_000);
  let hub: HubApp;

  before(async () => {
    hub = await openHubApp();
  });
  after(async () => {
    await hub.dispose();
  });

  const conforms = (operationId: string, status: number, res: request.Response) => {
    assert.equal(res.status, status, `${operationId}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(validationIssues(publishedSchema(operationId, status), res.body), [], operationId);
  };

  it('for every implemented JSON route', async () => {
    const clerk = bearer('dev-wuhan-clerk');
    conforms('getMe', 200, await request(hub.app).get('/v1/me').set(clerk));
    conforms('listLicenseTypes', 200, await request(hub.app).get('/v1/license-types').set(clerk));
    const issued = await request(hub.app).post('/v1/licenses').set(clerk).send(businessLicenseRequest());
    conforms('issueLicense', 201, issued);
    const { licenseId } = issued.body as { licenseId: string };
    conforms('getLicense', 200, await request(hub.app).get(`/v1/licenses/${licenseId}`).set(clerk));
    conforms('getLicenseDocument', 200, await request(hub.app).get(`/v1/licenses/${licenseId}/document`).set(clerk));
    conforms(
      'verify',
      200,
      await request(hub.app).post('/v1/verify').set(bearer('dev-guangde-verifier')).send({ licenseId }),
    );
    conforms(
      'suspendLicense',
      200,
      await request(hub.app).post(`/v1/licenses/${licenseId}/suspend`).set(clerk).send({ reason: 'audit' }),
    );
    conforms('getLicenseHistory', 200, await request(hub.app).get(`/v1/licenses/${licenseId}/history`).set(clerk));
    conforms('verify', 200, await request(hub.app).post('/v1/verify').send({ document: { licenseId } }));
  });
});
