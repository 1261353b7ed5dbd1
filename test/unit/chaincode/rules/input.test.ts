import assert from 'node:assert/strict';
import { requireDate } from '@certhub/chaincode/dist/rules/input';

describe('chaincode input: requireDate', () => {
  it('accepts real calendar days, including 29 February of a leap year', () => {
    assert.equal(requireDate({ d: '2026-11-21' }, 'd'), '2026-11-21');
    assert.equal(requireDate({ d: '2028-02-29' }, 'd'), '2028-02-29');
  });
  for (const bad of ['2026-02-30', '2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-1-01', '21/11/2026']) {
    it(`refuses ${bad} with INVALID_ARGUMENT`, () => {
      assert.throws(
        () => requireDate({ validFrom: bad }, 'validFrom'),
        (e: unknown) => e instanceof Error && 'code' in e && e.code === 'INVALID_ARGUMENT',
      );
    });
  }
});
