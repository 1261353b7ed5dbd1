import assert from 'node:assert/strict';
import {
  addDays,
  addMonths,
  decisionPeriod,
  isCalendarDate,
  isPublicOn,
  mayRepairOn,
  penaltyPeriod,
  publicityWindow,
} from '@certhub/chaincode/dist/rules/publicity';

describe('chaincode rules: credit publicity', () => {
  describe('month arithmetic (Civil Code art. 203: corresponding day, else the month end)', () => {
    it('lands on the corresponding day', () => {
      assert.equal(addMonths('2026-01-15', 3), '2026-04-15');
      assert.equal(addMonths('2026-11-30', 3), '2027-02-28');
      assert.equal(addMonths('2026-10-15', 36), '2029-10-15');
    });
    it('clamps to the month end when there is no corresponding day', () => {
      assert.equal(addMonths('2026-08-31', 3), '2026-11-30');
      assert.equal(addMonths('2026-08-31', 6), '2027-02-28');
      assert.equal(addMonths('2027-08-31', 6), '2028-02-29');
      assert.equal(addMonths('2024-02-29', 12), '2025-02-28');
    });
    it('adds zero months and days across month and year ends', () => {
      assert.equal(addMonths('2026-08-31', 0), '2026-08-31');
      assert.equal(addDays('2026-12-31', 1), '2027-01-01');
      assert.equal(addDays('2026-03-01', -1), '2026-02-28');
    });
    it('tells real calendar days from impossible ones', () => {
      assert.equal(isCalendarDate('2028-02-29'), true);
      assert.equal(isCalendarDate('2026-02-29'), false);
      assert.equal(isCalendarDate('2026-02-30'), false);
      assert.equal(isCalendarDate('2026-04-31'), false);
      assert.equal(isCalendarDate('2026-13-01'), false);
      assert.equal(isCalendarDate('2026-00-10'), false);
      assert.equal(isCalendarDate('2026-12-00'), false);
      assert.equal(isCalendarDate('2026-1-01'), false);
    });
    it('refuses a malformed date', () => {
      assert.throws(() => addMonths('2026-8-31', 1), RangeError);
    });
  });

  describe('penalty periods by severity and domain', () => {
    it('minor: unpublished or up to 3 months; general 3–12; serious 12–36', () => {
      assert.deepEqual(penaltyPeriod('MINOR', 'OTHER'), { minimumMonths: 0, maximumMonths: 3 });
      assert.deepEqual(penaltyPeriod('GENERAL', 'OTHER'), { minimumMonths: 3, maximumMonths: 12 });
      assert.deepEqual(penaltyPeriod('SERIOUS', 'OTHER'), { minimumMonths: 12, maximumMonths: 36 });
    });
    it('work safety, fire and special equipment: at least one year', () => {
      for (const domain of ['WORK_SAFETY', 'FIRE', 'SPECIAL_EQUIPMENT'] as const) {
        assert.deepEqual(penaltyPeriod('MINOR', domain), { minimumMonths: 12, maximumMonths: 12 });
        assert.deepEqual(penaltyPeriod('GENERAL', domain), { minimumMonths: 12, maximumMonths: 12 });
        assert.deepEqual(penaltyPeriod('SERIOUS', domain), { minimumMonths: 12, maximumMonths: 36 });
      }
    });
    it('several penalty types in one decision: the longest', () => {
      assert.deepEqual(decisionPeriod('GENERAL', ['OTHER', 'FIRE']), { minimumMonths: 12, maximumMonths: 12 });
      assert.deepEqual(decisionPeriod('MINOR', ['OTHER']), { minimumMonths: 0, maximumMonths: 3 });
      assert.deepEqual(decisionPeriod('MINOR', []), { minimumMonths: 0, maximumMonths: 3 });
    });
  });

  describe('windows', () => {
    it('a general penalty decided 2026-08-31: minimum until 2026-11-30, public until 2027-08-31', () => {
      assert.deepEqual(publicityWindow('ADMIN_PENALTY', 'GENERAL', ['OTHER'], '2026-08-31', null), {
        minimumUntil: '2026-11-30',
        publicUntil: '2027-08-31',
      });
    });
    it('a serious penalty: 1 to 3 years', () => {
      assert.deepEqual(publicityWindow('ADMIN_PENALTY', 'SERIOUS', ['OTHER'], '2026-02-28', null), {
        minimumUntil: '2027-02-28',
        publicUntil: '2029-02-28',
      });
    });
    it('other categories: no minimum, their own end or none', () => {
      assert.deepEqual(publicityWindow('BLACKLIST', 'SERIOUS', [], '2026-03-01', null), {
        minimumUntil: '2026-02-28',
        publicUntil: null,
      });
      assert.deepEqual(publicityWindow('TAX_RATING', 'GENERAL', [], '2026-04-01', '2027-03-31'), {
        minimumUntil: '2026-03-31',
        publicUntil: '2027-03-31',
      });
    });
  });

  describe('repair after the minimum', () => {
    const general = { ...publicityWindow('ADMIN_PENALTY', 'GENERAL', ['OTHER'], '2026-08-31', null) };
    it('not on the last day of the minimum period or before, from the day after', () => {
      assert.equal(mayRepairOn({ ...general, status: 'ACTIVE' }, '2026-11-29'), false);
      assert.equal(mayRepairOn({ ...general, status: 'ACTIVE' }, '2026-11-30'), false);
      assert.equal(mayRepairOn({ ...general, status: 'ACTIVE' }, '2026-12-01'), true);
    });
    it('a minor penalty may be repaired from the day after the decision', () => {
      const minor = publicityWindow('ADMIN_PENALTY', 'MINOR', ['OTHER'], '2026-05-10', null);
      assert.equal(mayRepairOn({ ...minor, status: 'ACTIVE' }, '2026-05-10'), false);
      assert.equal(mayRepairOn({ ...minor, status: 'ACTIVE' }, '2026-05-11'), true);
    });
    it('a fire penalty, even general, only after one year', () => {
      const fire = publicityWindow('ADMIN_PENALTY', 'GENERAL', ['OTHER', 'FIRE'], '2026-01-31', null);
      assert.equal(mayRepairOn({ ...fire, status: 'ACTIVE' }, '2027-01-31'), false);
      assert.equal(mayRepairOn({ ...fire, status: 'ACTIVE' }, '2027-02-01'), true);
    });
    it('never twice, never after a withdrawal', () => {
      assert.equal(mayRepairOn({ ...general, status: 'REPAIRED' }, '2027-01-01'), false);
      assert.equal(mayRepairOn({ ...general, status: 'WITHDRAWN' }, '2027-01-01'), false);
    });
  });

  describe('public on a date', () => {
    const base = {
      decisionDate: '2026-08-31',
      publicUntil: '2027-08-31',
      repairedOn: null,
      withdrawnOn: null,
    };
    it('from the decision day to publicUntil inclusive', () => {
      assert.equal(isPublicOn(base, '2026-08-30'), false);
      assert.equal(isPublicOn(base, '2026-08-31'), true);
      assert.equal(isPublicOn(base, '2027-08-31'), true);
      assert.equal(isPublicOn(base, '2027-09-01'), false);
    });
    it('until the day before a repair', () => {
      const repaired = { ...base, repairedOn: '2026-12-01' };
      assert.equal(isPublicOn(repaired, '2026-11-30'), true);
      assert.equal(isPublicOn(repaired, '2026-12-01'), false);
      assert.equal(isPublicOn(repaired, '2026-12-02'), false);
    });
    it('until the day before a withdrawal', () => {
      const withdrawn = { ...base, withdrawnOn: '2026-10-01' };
      assert.equal(isPublicOn(withdrawn, '2026-09-30'), true);
      assert.equal(isPublicOn(withdrawn, '2026-10-01'), false);
    });
    it('with no end, until removed', () => {
      const listing = { ...base, publicUntil: null };
      assert.equal(isPublicOn(listing, '2099-12-31'), true);
    });
  });
});
