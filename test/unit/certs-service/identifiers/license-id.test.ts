import assert from 'node:assert/strict';
import {
  buildLicenseId,
  InvalidIdentifierError,
  isValidLicenseId,
  isValidLicenseTypeCode,
  licenseIdCheckChar,
  parseLicenseId,
  validateLicenseTypeCode,
} from '@certhub/certs-service';
import { invalidIdentifier } from './assert-invalid';

// A real national e-license identifier (DESIGN.md §1).
const REAL_ID = '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F';
const REAL_PARTS = {
  typeCode: '11100000000013338W032',
  issuerUscc: '11220000013544541J',
  serial: '2430599',
  version: 1,
};

describe('license type codes', () => {
  it('accepts a ministry USCC followed by 3 digits', () => {
    assert.doesNotThrow(() => {
      validateLicenseTypeCode('11100000000013338W032');
    });
    assert.equal(isValidLicenseTypeCode('914403001922038216001'), true);
  });

  it('rejects a bad ministry USCC (as PART, with the USCC error as cause), a non-digit suffix and wrong lengths', () => {
    assert.throws(
      () => {
        validateLicenseTypeCode('11100000000013338I032');
      },
      (error: unknown) =>
        invalidIdentifier('LICENSE_TYPE', 'PART')(error) &&
        error instanceof Error &&
        invalidIdentifier('USCC', 'ALPHABET')(error.cause),
    );
    assert.throws(
      () => {
        validateLicenseTypeCode('11100000000013338W03A');
      },
      invalidIdentifier('LICENSE_TYPE', 'FORMAT'),
    );
    assert.throws(
      () => {
        validateLicenseTypeCode('11100000000013338W03');
      },
      invalidIdentifier('LICENSE_TYPE', 'LENGTH'),
    );
    assert.equal(isValidLicenseTypeCode('11100000000013338W0320'), false);
  });
});

describe('license IDs (ISO/IEC 7064 MOD 37,36)', () => {
  it('validates and parses the real example', () => {
    assert.deepEqual(parseLicenseId(REAL_ID), { ...REAL_PARTS, check: 'F' });
    assert.equal(isValidLicenseId(REAL_ID), true);
    assert.equal(licenseIdCheckChar('11100000000013338W03211220000013544541J2430599001'), 'F');
  });

  it('builds the real example from its parts', () => {
    assert.equal(buildLicenseId(REAL_PARTS), REAL_ID);
  });

  it('builds and parses back other versions and serials', () => {
    for (const version of [2, 10, 999]) {
      for (const serial of ['1', 'A0B1', '2026000000000001']) {
        const parts = { typeCode: '914403001922038216001', issuerUscc: '914403001922038216', serial, version };
        const id = buildLicenseId(parts);
        assert.match(id, new RegExp(`\\.${String(version).padStart(3, '0')}\\.[0-9A-Z]$`));
        const parsed = parseLicenseId(id);
        assert.deepEqual({ ...parsed, check: undefined }, { ...parts, check: undefined });
      }
    }
  });

  it('detects every single-character substitution in the body', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const body = '11100000000013338W03211220000013544541J2430599001';
    const check = licenseIdCheckChar(body);
    for (let index = 0; index < body.length; index += 1) {
      for (const char of alphabet) {
        if (char === body.charAt(index)) continue;
        const changed = body.slice(0, index) + char + body.slice(index + 1);
        assert.notEqual(licenseIdCheckChar(changed), check, changed);
      }
    }
  });

  it('rejects a wrong check character', () => {
    const wrong = REAL_ID.replace(/F$/, 'G');
    assert.throws(() => parseLicenseId(wrong), invalidIdentifier('LICENSE_ID', 'CHECK_CHARACTER', wrong));
    assert.equal(isValidLicenseId(REAL_ID.replace('2430599', '2430598')), false);
  });

  it('rejects lower case, a wrong root, missing or extra parts, and a version that is not 3 digits', () => {
    assert.throws(() => parseLicenseId(REAL_ID.replace(/F$/, 'f')), invalidIdentifier('LICENSE_ID', 'CHECK_CHARACTER'));
    assert.throws(() => parseLicenseId(REAL_ID.replace('2430599', 'ab12')), invalidIdentifier('LICENSE_ID', 'FORMAT'));
    assert.throws(
      () => parseLicenseId(REAL_ID.replace('1.2.156.3005.2.', '1.2.156.3005.3.')),
      invalidIdentifier('LICENSE_ID', 'FORMAT'),
    );
    assert.throws(() => parseLicenseId(REAL_ID.replace('.001.', '.01.')), invalidIdentifier('LICENSE_ID', 'FORMAT'));
    assert.throws(() => parseLicenseId(REAL_ID.replace('.001.', '.000.')), invalidIdentifier('LICENSE_ID', 'FORMAT'));
    assert.throws(() => parseLicenseId(REAL_ID.replace('.2430599', '')), invalidIdentifier('LICENSE_ID', 'FORMAT'));
    assert.throws(() => parseLicenseId(`${REAL_ID}.F`), invalidIdentifier('LICENSE_ID', 'FORMAT'));
    assert.throws(() => parseLicenseId(''), invalidIdentifier('LICENSE_ID', 'FORMAT'));
  });

  it('rejects an ID whose issuer USCC or type code has a bad check character, even with a matching MOD 37,36 check', () => {
    const badIssuer = { ...REAL_PARTS, issuerUscc: '11220000013544541K' };
    const body = `${badIssuer.typeCode}${badIssuer.issuerUscc}${badIssuer.serial}001`;
    const id = `1.2.156.3005.2.${badIssuer.typeCode}.${badIssuer.issuerUscc}.2430599.001.${licenseIdCheckChar(body)}`;
    assert.throws(() => parseLicenseId(id), invalidIdentifier('LICENSE_ID', 'PART', id));
    assert.throws(() => buildLicenseId(badIssuer), invalidIdentifier('LICENSE_ID', 'PART'));
    assert.throws(
      () => buildLicenseId({ ...REAL_PARTS, typeCode: '11100000000013338W' }),
      invalidIdentifier('LICENSE_ID', 'PART'),
    );
  });

  it('refuses to build with a bad serial or version', () => {
    for (const serial of ['', 'a1', '12.3', '1'.repeat(33)]) {
      assert.throws(() => buildLicenseId({ ...REAL_PARTS, serial }), invalidIdentifier('LICENSE_ID', 'FORMAT'));
    }
    for (const version of [0, 1000, 1.5, -1, Number.NaN]) {
      assert.throws(() => buildLicenseId({ ...REAL_PARTS, version }), invalidIdentifier('LICENSE_ID', 'FORMAT'));
    }
  });

  it('refuses a check-character body that is empty or outside 0-9A-Z', () => {
    for (const body of ['', 'abc', '12.3', 'ÄB']) {
      assert.throws(() => licenseIdCheckChar(body), InvalidIdentifierError);
    }
  });
  it('answers the same frozen parse for an ID parsed before, and refuses a bad one every time', () => {
    const first = parseLicenseId(REAL_ID);
    assert.equal(parseLicenseId(REAL_ID), first);
    assert.ok(Object.isFrozen(first));
    const wrong = REAL_ID.replace(/F$/, 'G');
    for (let i = 0; i < 2; i++) {
      assert.throws(() => parseLicenseId(wrong), invalidIdentifier('LICENSE_ID', 'CHECK_CHARACTER', wrong));
    }
  });
});
