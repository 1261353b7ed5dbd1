import assert from 'node:assert/strict';
import { isValidResidentId, residentIdCheckChar, validateResidentId } from '@certhub/certs-service';
import { invalidIdentifier } from './assert-invalid';

// The DESIGN.md §1 example (check value 10 → X) and the long-published sample 440524188001010014.
const VALID = ['11010519491231002X', '440524188001010014'];

describe('resident ID (GB 11643-1999, ISO 7064 MOD 11-2)', () => {
  it('accepts valid IDs and computes their check characters', () => {
    for (const id of VALID) {
      assert.doesNotThrow(() => {
        validateResidentId(id);
      }, id);
      assert.equal(isValidResidentId(id), true, id);
      assert.equal(residentIdCheckChar(id.slice(0, 17)), id.charAt(17), id);
    }
  });

  it('rejects a wrong check character, including a digit where X belongs', () => {
    assert.throws(
      () => {
        validateResidentId('110105194912310021');
      },
      invalidIdentifier('RESIDENT_ID', 'CHECK_CHARACTER', '110105194912310021'),
    );
    assert.equal(isValidResidentId('44052418800101001X'), false);
  });

  it('rejects a lower-case x and other non-digits', () => {
    assert.throws(
      () => {
        validateResidentId('11010519491231002x');
      },
      invalidIdentifier('RESIDENT_ID', 'ALPHABET'),
    );
    assert.throws(
      () => {
        validateResidentId('1101051949123100AX');
      },
      invalidIdentifier('RESIDENT_ID', 'ALPHABET'),
    );
    assert.throws(() => residentIdCheckChar('1101051949123100X'), invalidIdentifier('RESIDENT_ID', 'ALPHABET'));
  });

  it('rejects birth dates that are not calendar dates', () => {
    for (const date of ['19490230', '19491301', '19490000', '20230229']) {
      const first17 = `110105${date}002`;
      const id = first17 + residentIdCheckChar(first17);
      assert.throws(
        () => {
          validateResidentId(id);
        },
        invalidIdentifier('RESIDENT_ID', 'BIRTH_DATE', id),
      );
    }
    const leapDay = '11010520240229002';
    assert.equal(isValidResidentId(leapDay + residentIdCheckChar(leapDay)), true);
  });

  it('rejects wrong lengths, including the old 15-digit form', () => {
    for (const id of ['', '110105491231002', '11010519491231002', '11010519491231002X0']) {
      assert.throws(
        () => {
          validateResidentId(id);
        },
        invalidIdentifier('RESIDENT_ID', 'LENGTH', id),
      );
    }
    assert.throws(() => residentIdCheckChar('1101051949123100'), invalidIdentifier('RESIDENT_ID', 'LENGTH'));
  });
});
