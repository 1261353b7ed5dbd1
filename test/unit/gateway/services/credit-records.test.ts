import assert from 'node:assert/strict';
import { canonicalBytes, sm3Hex } from '@certhub/certs-service';
import { addDays, addMonths } from '@certhub/chaincode/dist/rules/publicity';
import { DEVELOPMENT_USERS } from '@certhub/gateway/dist/auth';
import { LedgerError, type Ledger } from '@certhub/gateway/dist/ledger';
import { RequestValidationError, type CreditRecordRequest } from '@certhub/gateway/dist/schemas';
import { AccessDeniedError } from '@certhub/gateway/dist/services';
import { CreditRepairTooEarlyError } from '@certhub/gateway/dist/services/credit-errors';
import {
  CreditRecords,
  buildFullCreditRecord,
  type CreditRecordsDeps,
} from '@certhub/gateway/dist/services/credit-records';
import { ConnectionLosingLedger } from '../../../support/connection-losing-ledger';
import { licenceRequest, penaltyRequest } from '../../../support/credit-requests';
import { openHubApp, type HubApp } from '../routes/hub-app';

const source = DEVELOPMENT_USERS.find((u) => u.token === 'dev-wuhan-credit')!.user;
const asRequest = (body: Record<string, unknown>): CreditRecordRequest => body as unknown as CreditRecordRequest;

describe('credit records service', function () {
  this.timeout(60_000);
  const today = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);
  let now = new Date(`${today}T04:00:00Z`);
  let hub: HubApp;
  const anchorsSince = async (height: number): Promise<number> =>
    (await hub.hub.ledger.history({ startBlock: height })).filter((tx) => tx.fn === 'anchorRecord').length;
  const service = (ledger: Ledger): CreditRecords => {
    const deps = (hub.hub.api.creditRecords as unknown as { deps: CreditRecordsDeps }).deps;
    return new CreditRecords({ ...deps, ledger, clock: () => now });
  };

  before(async () => {
    hub = await openHubApp({ clock: () => now });
  });
  after(async () => {
    await hub.dispose();
  });
  beforeEach(() => {
    now = new Date(`${today}T04:00:00Z`);
  });

  describe('buildFullCreditRecord', () => {
    it('keeps the request as sent and fills a penalty’s publicity end by the longest period of its types', () => {
      const body = penaltyRequest('2026-01-31', { domains: ['OTHER', 'FIRE'], severity: 'MINOR', note: 'x' });
      const full = buildFullCreditRecord(asRequest(body), today);
      assert.deepEqual(full, { ...body, content: { ...(body.content as object), publicityEndDate: '2027-01-31' } });
      const serious = buildFullCreditRecord(asRequest(penaltyRequest('2026-08-31', { severity: 'SERIOUS' })), today);
      assert.equal((serious['content'] as Record<string, unknown>)['publicityEndDate'], '2029-08-31');
      const licence = licenceRequest('2026-02-01');
      assert.deepEqual(buildFullCreditRecord(asRequest(licence), today), licence, 'nothing added to a licence');
    });

    it('refuses, naming every field, a decision after today and end dates before the decision', () => {
      try {
        buildFullCreditRecord(asRequest(penaltyRequest(addDays(today, 1), {}, { validUntil: today })), today);
        assert.fail('expected a RequestValidationError');
      } catch (error) {
        assert.ok(error instanceof RequestValidationError);
        assert.deepEqual(error.issues, [
          { pointer: '/decisionDate', message: `must not be after today (${today}, China time)` },
          { pointer: '/content/validUntil', message: `must not be before decisionDate (${addDays(today, 1)})` },
        ]);
      }
      assert.throws(
        () =>
          buildFullCreditRecord(
            asRequest(licenceRequest(today, {}, { validFrom: '2020-01-01', validUntil: '2021-01-01' })),
            today,
          ),
        (error: unknown) =>
          error instanceof RequestValidationError && error.issues[0]?.pointer === '/content/validUntil',
      );
    });
  });

  it('completes an idempotent record whose anchor committed but whose answer was lost, anchoring once', async () => {
    const losing = new ConnectionLosingLedger(hub.hub.ledger).loseNext('anchorRecord', 'after-commit');
    const records = service(losing);
    const body = asRequest(penaltyRequest(addDays(today, -5), { subject: '91420100MA4K00001U' }));
    const height = hub.hub.ledger.height;
    await assert.rejects(records.create(source, body, 'resume-after-commit'), LedgerError);
    assert.equal(await anchorsSince(height), 1, 'the first attempt did commit');
    const retried = await records.create(source, body, 'resume-after-commit');
    assert.equal(await anchorsSince(height), 1, 'the retry found the first anchor instead of anchoring again');
    const anchored = await records.get(undefined, retried.recordId);
    assert.equal(anchored.recordHash, retried.recordHash);
    assert.equal(anchored.anchored.txId, retried.txId);
    assert.deepEqual(await records.create(source, body, 'resume-after-commit'), retried);
  });

  it('completes an idempotent record whose anchor never reached the ledger', async () => {
    const records = service(new ConnectionLosingLedger(hub.hub.ledger).loseNext('anchorRecord', 'before-commit'));
    const body = asRequest(penaltyRequest(addDays(today, -6), { subject: '91420100MA4K00001U' }));
    const height = hub.hub.ledger.height;
    await assert.rejects(records.create(source, body, 'resume-before-commit'), LedgerError);
    assert.equal(await anchorsSince(height), 0);
    const created = await records.create(source, body, 'resume-before-commit');
    assert.equal(await anchorsSince(height), 1);
    const full = buildFullCreditRecord(body, today);
    assert.equal(created.recordHash, sm3Hex(canonicalBytes(full)));
  });

  it('lets only the record’s own authority change it, before asking the ledger', async () => {
    const records = service(hub.hub.ledger);
    const created = await records.create(source, asRequest(penaltyRequest(addDays(today, -7))));
    const otherAuthority = { ...source, authority: { code: '113418820031587274', name: '广德市市场监督管理局' } };
    const height = hub.hub.ledger.height;
    await assert.rejects(
      records.change(otherAuthority, created.recordId, 'withdraw', '误录'),
      (error: unknown) =>
        error instanceof AccessDeniedError &&
        /writes credit records for 113418820031587274, not for 114201000111350663/.test(error.message),
    );
    await assert.rejects(
      records.create(otherAuthority, asRequest(penaltyRequest(addDays(today, -7)))),
      AccessDeniedError,
    );
    assert.equal(hub.hub.ledger.height, height);
  });

  it('dates a repair by the China calendar day: at 00:30 in Beijing on the first allowed day it is recorded', async () => {
    const records = service(hub.hub.ledger);
    const decided = addDays(today, -3);
    const created = await records.create(source, asRequest(penaltyRequest(decided)));
    const minimum = addMonths(decided, 3);
    // 00:30 on the first allowed day in Beijing is still the minimum's last day in UTC.
    now = new Date(`${minimum}T16:30:00Z`);
    const repaired = await records.change(source, created.recordId, 'repair', '已整改');
    assert.deepEqual([repaired.status, repaired.effective], ['REPAIRED', addDays(minimum, 1)]);
  });

  it('reports the chain’s refusal of an early repair as REPAIR_TOO_EARLY with the day, when the clocks disagree', async () => {
    const decided = addDays(today, -4);
    const created = await service(hub.hub.ledger).create(source, asRequest(penaltyRequest(decided)));
    const minimum = addMonths(decided, 3);
    // The ledger's transactions are dated on the minimum's last day; this gateway's clock is a day ahead.
    now = new Date(`${minimum}T04:00:00Z`);
    const deps = (hub.hub.api.creditRecords as unknown as { deps: CreditRecordsDeps }).deps;
    const ahead = new CreditRecords({ ...deps, clock: () => new Date(`${addDays(minimum, 1)}T04:00:00Z`) });
    await assert.rejects(
      ahead.change(source, created.recordId, 'repair', '已整改'),
      (error: unknown) =>
        error instanceof CreditRepairTooEarlyError &&
        error.context.extensions.repairAllowedFrom === addDays(minimum, 1) &&
        error.context.minimumUntil === minimum,
    );
  });
});
