import assert from 'node:assert/strict';
import {
  CreditProfileQuery,
  CreditRecordChangeRequest,
  CreditRecordIdParams,
  CreditRecordRequest,
  validationIssues as issues,
} from '@certhub/gateway/dist/schemas';
import { licenceRequest, listingRequest, penaltyRequest, taxRatingRequest } from '../../../support/credit-requests';

const DAY = '2026-03-02';

describe('credit schemas (issue 6)', () => {
  it('accepts a valid record of every category, extra fields included', () => {
    for (const body of [
      penaltyRequest(DAY),
      penaltyRequest(DAY, { domains: ['WORK_SAFETY', 'FIRE'], severity: 'SERIOUS' }),
      licenceRequest(DAY),
      taxRatingRequest(DAY, 'M', { validUntil: '2026-12-31' }),
      listingRequest('ABNORMAL_OPERATION', DAY),
      listingRequest('DISHONEST_DEBTOR', DAY),
      listingRequest('BLACKLIST', DAY, { validUntil: '2029-03-01' }),
      listingRequest('REDLIST', DAY),
      penaltyRequest(DAY, { caseSystemId: 'AMR-2026-0042' }, { enforcementOfficers: ['张三', '李四'] }),
    ]) {
      assert.deepEqual(issues(CreditRecordRequest, body), [], JSON.stringify(body));
    }
  });

  it('checks the subject and authority USCCs by their check character', () => {
    assert.deepEqual(issues(CreditRecordRequest, penaltyRequest(DAY, { subject: '91420100MA4K00001A' })), [
      { pointer: '/subject', message: 'invalid USCC: CHECK_CHARACTER (expected U)' },
    ]);
    assert.deepEqual(
      issues(CreditRecordRequest, penaltyRequest(DAY, { authority: { name: '某局', code: '114201000111350660' } })),
      [{ pointer: '/authority/code', message: 'invalid USCC: CHECK_CHARACTER (expected 3)' }],
    );
  });

  it('names each missing data item of a penalty, a licence and a listing by its pointer', () => {
    const {
      facts: _f,
      legalBasis: _l,
      dataSource: _d,
      ...partial
    } = penaltyRequest(DAY).content as Record<string, unknown>;
    assert.deepEqual(issues(CreditRecordRequest, penaltyRequest(DAY, { content: partial })), [
      { pointer: '/content/facts', message: 'is required' },
      { pointer: '/content/legalBasis', message: 'is required' },
      { pointer: '/content/dataSource', message: 'is required' },
    ]);
    for (const item of ['violationType', 'penaltyCategories', 'penaltyContent', 'fineAmount', 'confiscationAmount']) {
      const content = Object.fromEntries(
        Object.entries(penaltyRequest(DAY).content as Record<string, unknown>).filter(([name]) => name !== item),
      );
      assert.deepEqual(issues(CreditRecordRequest, penaltyRequest(DAY, { content })), [
        { pointer: `/content/${item}`, message: 'is required' },
      ]);
    }
    const licence = { ...(licenceRequest(DAY).content as Record<string, unknown>) };
    delete licence.certificateNumber;
    delete licence.validUntil;
    assert.deepEqual(issues(CreditRecordRequest, licenceRequest(DAY, { content: licence })), [
      { pointer: '/content/certificateNumber', message: 'is required' },
      { pointer: '/content/validUntil', message: 'is required' },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, listingRequest('DISHONEST_DEBTOR', DAY, { content: {} })), [
      { pointer: '/content/caseNumber', message: 'is required' },
      { pointer: '/content/court', message: 'is required' },
      { pointer: '/content/obligation', message: 'is required' },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, listingRequest('REDLIST', DAY, { content: { note: 'x' } })), [
      { pointer: '/content/honour', message: 'is required' },
    ]);
  });

  it('checks the shapes and dates of data items', () => {
    assert.deepEqual(issues(CreditRecordRequest, penaltyRequest(DAY, {}, { fineAmount: -1 })), [
      { pointer: '/content/fineAmount', message: 'must be >= 0' },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, penaltyRequest(DAY, {}, { penaltyCategories: [] })), [
      { pointer: '/content/penaltyCategories', message: 'must NOT have fewer than 1 items' },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, penaltyRequest(DAY, {}, { publicityEndDate: '2027-02-30' })), [
      { pointer: '/content/publicityEndDate', message: 'must be a calendar date YYYY-MM-DD' },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, licenceRequest(DAY, {}, { validUntil: '2026-01-01' })), [
      { pointer: '/content/validUntil', message: `must not be before validFrom (${DAY})` },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, licenceRequest(DAY, {}, { licenceCategory: 'special' })), [
      { pointer: '/content/licenceCategory', message: 'must be one of "普通", "特许", "认可", "核准", "登记", "其他"' },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, listingRequest('BLACKLIST', DAY, { validUntil: '2026-03-01' })), [
      { pointer: '/validUntil', message: `must not be before decisionDate (${DAY})` },
    ]);
  });

  it('takes a rating only (and always) for a tax rating, domains only for a penalty, a term only for listings', () => {
    assert.deepEqual(issues(CreditRecordRequest, taxRatingRequest(DAY, 'E')), [
      { pointer: '/rating', message: 'must be one of "A", "B", "M", "C", "D"' },
    ]);
    const { rating: _rating, ...unrated } = taxRatingRequest(DAY, 'A');
    assert.deepEqual(issues(CreditRecordRequest, unrated), [{ pointer: '/rating', message: 'is required' }]);
    assert.deepEqual(issues(CreditRecordRequest, penaltyRequest(DAY, { rating: 'A' })), [
      { pointer: '/rating', message: 'is not allowed here' },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, licenceRequest(DAY, { domains: ['FIRE'] })), [
      { pointer: '/domains', message: 'is not allowed here' },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, penaltyRequest(DAY, { domains: ['ROADS'] })), [
      { pointer: '/domains/0', message: 'must be one of "OTHER", "WORK_SAFETY", "FIRE", "SPECIAL_EQUIPMENT"' },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, penaltyRequest(DAY, { validUntil: '2027-01-01' })), [
      { pointer: '/validUntil', message: 'is not allowed here' },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, licenceRequest(DAY, { validUntil: '2027-01-01' })), [
      { pointer: '/validUntil', message: 'is not allowed here' },
    ]);
  });

  it('requires the record’s own fields and knows only the issue’s categories and severities', () => {
    const { documentNumber: _n, authority: _a, ...bare } = penaltyRequest(DAY);
    assert.deepEqual(issues(CreditRecordRequest, bare), [
      { pointer: '/documentNumber', message: 'is required' },
      { pointer: '/authority', message: 'is required' },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, penaltyRequest(DAY, { category: 'ADMINISTRATIVE_PENALTY' })), [
      {
        pointer: '/category',
        message:
          'must be one of "ADMIN_LICENSE", "ADMIN_PENALTY", "TAX_RATING", "ABNORMAL_OPERATION", "DISHONEST_DEBTOR", "BLACKLIST", "REDLIST"',
      },
    ]);
    assert.deepEqual(issues(CreditRecordRequest, penaltyRequest(DAY, { severity: 'GRAVE' })), [
      { pointer: '/severity', message: 'must be one of "MINOR", "GENERAL", "SERIOUS"' },
    ]);
  });

  it('checks record IDs, change reasons and the profile query (purpose required with detail)', () => {
    assert.deepEqual(issues(CreditRecordIdParams, { id: 'cr-0a1b2c' }), []);
    assert.equal(issues(CreditRecordIdParams, { id: '../x' }).length, 1);
    assert.deepEqual(issues(CreditRecordChangeRequest, { reason: '已整改' }), []);
    assert.deepEqual(issues(CreditRecordChangeRequest, {}), [{ pointer: '/reason', message: 'is required' }]);
    assert.deepEqual(issues(CreditProfileQuery, { detail: 'true', purpose: '授信审查' }), []);
    assert.deepEqual(issues(CreditProfileQuery, { onDate: '2026-02-29' }), [
      { pointer: '/onDate', message: 'must be a calendar date YYYY-MM-DD' },
    ]);
    assert.deepEqual(issues(CreditProfileQuery, { detail: 'true' }), [{ pointer: '/purpose', message: 'is required' }]);
    assert.deepEqual(issues(CreditProfileQuery, { detail: 'false' }), []);
  });
});
