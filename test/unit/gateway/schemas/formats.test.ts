import assert from 'node:assert/strict';
import { explainFormatFailure, isCalendarDate, isDateTime } from '@certhub/gateway/dist/schemas/formats';

describe('schemas/formats', () => {
  it('accepts only real calendar days as YYYY-MM-DD', () => {
    assert.ok(isCalendarDate('2026-11-21'));
    assert.ok(isCalendarDate('2024-02-29'));
    assert.ok(!isCalendarDate('2026-02-29'));
    assert.ok(!isCalendarDate('2100-02-29'));
    assert.ok(isCalendarDate('2000-02-29'));
    assert.ok(!isCalendarDate('2026-13-01'));
    assert.ok(!isCalendarDate('2026-1-01'));
    assert.ok(!isCalendarDate('2026-11-21T00:00:00Z'));
  });

  it('accepts RFC 3339 date-times with an offset', () => {
    assert.ok(isDateTime('2026-11-21T10:00:00Z'));
    assert.ok(isDateTime('2026-11-21T10:00:00.123+08:00'));
    assert.ok(!isDateTime('2026-11-21T10:00:00'));
    assert.ok(!isDateTime('2026-11-21T24:00:00Z'));
    assert.ok(!isDateTime('2026-02-30T10:00:00Z'));
  });

  it('explains identifier failures with the reason, never repeating the value', () => {
    assert.equal(explainFormatFailure('uscc', '914403001922038217'), 'invalid USCC: CHECK_CHARACTER (expected 6)');
    const personal = explainFormatFailure('resident-id', '110105194912310021');
    assert.match(personal, /^invalid RESIDENT_ID: CHECK_CHARACTER/);
    assert.ok(!personal.includes('110105194912310021'));
    assert.equal(explainFormatFailure('uscc', 42), 'must be a string in format uscc');
  });
});
