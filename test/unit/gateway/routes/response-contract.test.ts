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
    const { typeCode: _typeCode, ...face } = businessLicenseRequest();
    conforms(
      'amendLicense',
      201,
      await request(hub.app)
        .post(`/v1/licenses/${licenseId}/amend`)
        .set(clerk)
        .send({ ...face, reason: 'contract test' }),
    );
    conforms('verify', 200, await request(hub.app).post('/v1/verify').send({ document: { licenseId } }));
  });

  it('for the issuer, recognition and enterprise routes', async () => {
    const admin = bearer('dev-wuhan-admin');
    const issuer = '114201000111350663';
    conforms('listIssuers', 200, await request(hub.app).get('/v1/issuers').set(admin));
    conforms('getIssuer', 200, await request(hub.app).get(`/v1/issuers/${issuer}`).set(admin));
    conforms(
      'registerIssuer',
      201,
      await request(hub.app)
        .post('/v1/issuers')
        .set(admin)
        .send({
          code: '11420100MB0000005Q',
          name: '武汉市某局',
          region: '420100',
          licenseTypes: ['11100000000013338W032'],
        }),
    );
    const rotated = await request(hub.app).post(`/v1/issuers/${issuer}/certificates`).set(admin).send({});
    conforms('addIssuerCertificate', 201, rotated);
    const { fingerprint } = rotated.body as { fingerprint: string };
    conforms(
      'retireIssuerCertificate',
      200,
      await request(hub.app)
        .post(`/v1/issuers/${issuer}/certificates/${fingerprint}/retire`)
        .set(admin)
        .send({ reason: 'contract test' }),
    );
    conforms(
      'setIssuerLicenseTypes',
      200,
      await request(hub.app)
        .put(`/v1/issuers/${issuer}/license-types`)
        .set(admin)
        .send({ licenseTypes: ['11100000000013338W032', '11100000000019713D001', '11100000000019713D101'] }),
    );
    const proposed = await request(hub.app)
      .post('/v1/recognitions')
      .set(bearer('dev-guangde-admin'))
      .send({
        acceptingRegion: '341882',
        issuingRegion: '420100',
        licenseTypes: ['11100000000013338W032'],
        validFrom: '2026-01-01',
        validUntil: null,
      });
    conforms('proposeRecognition', 201, proposed);
    const { id } = proposed.body as { id: string };
    conforms('acceptRecognition', 200, await request(hub.app).post(`/v1/recognitions/${id}/accept`).set(admin));
    conforms('listRecognitions', 200, await request(hub.app).get('/v1/recognitions').set(admin));
    conforms(
      'revokeRecognition',
      200,
      await request(hub.app).post(`/v1/recognitions/${id}/revoke`).set(admin).send({ reason: 'contract test' }),
    );
    conforms(
      'getEnterpriseLicenses',
      200,
      await request(hub.app).get('/v1/enterprises/91420100303217469Q/licenses').set(bearer('dev-bank')),
    );
  });
});
