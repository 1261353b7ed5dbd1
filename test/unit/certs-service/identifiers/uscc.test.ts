import assert from 'node:assert/strict';
import { isValidUscc, usccCheckChar, validateUscc } from '@certhub/certs-service';
import { invalidIdentifier } from './assert-invalid';

// Real codes: the DESIGN.md §1 example, and the issuer and ministry USCCs inside the real license ID example there.
const REAL = ['914403001922038216', '11220000013544541J', '11100000000013338W'];

describe('USCC (GB 32100-2015)', () => {
  it('accepts real codes and computes their check characters', () => {
    for (const code of REAL) {
      assert.doesNotThrow(() => {
        validateUscc(code);
      }, code);
      assert.equal(isValidUscc(code), true, code);
      assert.equal(usccCheckChar(code.slice(0, 17)), code.charAt(17), code);
    }
  });

  it('maps a sum divisible by 31 to check character 0 (31 − 0 wraps)', () => {
    // All zeros: Σ = 0, 31 − 0 = 31 → '0'.
    assert.equal(usccCheckChar('0'.repeat(17)), '0');
    assert.equal(isValidUscc('0'.repeat(18)), true);
  });

  it('rejects a wrong check character', () => {
    assert.throws(
      () => {
        validateUscc('914403001922038217');
      },
      invalidIdentifier('USCC', 'CHECK_CHARACTER', '914403001922038217'),
    );
    assert.equal(isValidUscc('11220000013544541K'), false);
  });

  it('detects every single-character substitution in a real code', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const code = REAL[0] ?? '';
    for (let index = 0; index < code.length; index += 1) {
      for (const char of alphabet) {
        if (char === code.charAt(index)) continue;
        const changed = code.slice(0, index) + char + code.slice(index + 1);
        assert.equal(isValidUscc(changed), false, changed);
      }
    }
  });

  it('rejects letters outside the alphabet (I, O, S, V, Z), lower case and other characters', () => {
    for (const bad of ['I', 'O', 'S', 'V', 'Z', 'a', 'y', '-', ' ', '。']) {
      const code = `91440300192203821${bad}`;
      assert.throws(
        () => {
          validateUscc(code);
        },
        invalidIdentifier('USCC', 'ALPHABET', code),
      );
      assert.throws(() => usccCheckChar(`9144030019220382${bad}`), invalidIdentifier('USCC', 'ALPHABET'));
    }
    assert.equal(isValidUscc('11220000013544541j'), false);
  });

  it('rejects wrong lengths', () => {
    for (const code of ['', '91440300192203821', '9144030019220382166', ' 914403001922038216']) {
      assert.throws(
        () => {
          validateUscc(code);
        },
        invalidIdentifier('USCC', 'LENGTH', code),
      );
    }
    assert.throws(() => usccCheckChar('914403001922038216'), invalidIdentifier('USCC', 'LENGTH'));
  });
});
