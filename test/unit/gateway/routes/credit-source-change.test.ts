import assert from 'node:assert/strict';
import request from 'supertest';
import type { CreditRecord } from '@certhub/chaincode';
import { addDays } from '@certhub/chaincode/dist/rules/publicity';
import { GATEWAY_SERVICE_USER } from '@certhub/gateway/dist/seed';
import { CREDIT_SUBJECT, WUHAN_AMR, penaltyRequest } from '../../../support/credit-requests';
import { bearer, openHubApp, type HubApp } from './hub-app';

interface Check {
  step: string;
  ok: boolean | null;
  detail: string;
}

/*
 * A credit profile remembers each record's checks for the exact (frozen) listing, anchor and registry entries it
 * judged them with. A change to the source's registry entry alone, with the record and its listing unchanged, must
 * still be judged afresh.
 */
describe('credit profile checks after a change to the source’s registry entry', function () {
  this.timeout(120_000);
  let hub: HubApp;
  before(async () => {
    hub = await openHubApp();
  });
  after(async () => {
    await hub.dispose();
  });

  const signatureCheck = async (recordId: string): Promise<Check | undefined> => {
    const res = await request(hub.app).get(`/v1/enterprises/${CREDIT_SUBJECT}/credit`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const record = (res.body as { records: { recordId: string; checks: Check[] }[] }).records.find(
      (r) => r.recordId === recordId,
    );
    return record?.checks.find((c) => c.step === 'signature');
  };

  it('fails the signature check once the signing key is retired from before the anchoring', async () => {
    const decided = addDays(new Date().toISOString().slice(0, 10), -10);
    const created = await request(hub.app)
      .post('/v1/credit-records')
      .set(bearer('dev-wuhan-credit'))
      .send(penaltyRequest(decided, { subject: CREDIT_SUBJECT }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { recordId } = created.body as { recordId: string };
    assert.equal((await signatureCheck(recordId))?.ok, true);
    assert.equal((await signatureCheck(recordId))?.ok, true, 'asked again, unchanged');

    const service = hub.hub.world.identities[GATEWAY_SERVICE_USER];
    assert.ok(service);
    const anchor = JSON.parse(
      Buffer.from(
        await hub.hub.ledger.evaluate(service, { contract: 'credit', fn: 'get', args: [recordId] }),
      ).toString(),
    ) as CreditRecord;
    const retiredAt = new Date(Date.parse(anchor.anchored.timestamp) - 1).toISOString();
    const retired = await request(hub.app)
      .post(`/v1/issuers/${WUHAN_AMR.code}/certificates/${anchor.signerFingerprint}/retire`)
      .set(bearer('dev-wuhan-admin'))
      .send({ retiredAt, reason: '密钥泄露 (key compromised)' });
    assert.equal(retired.status, 200, JSON.stringify(retired.body));

    const after = await signatureCheck(recordId);
    assert.equal(after?.ok, false);
    assert.match(after.detail, /retired/);
  });
});
