import assert from 'node:assert/strict';
import { ChaincodeRuleError } from '@certhub/chaincode';
import { LicenseStatus, assertCanSucceed, licenseStatusName, nextStatus } from '@certhub/chaincode/dist/rules/status';

const ALL = Object.values(LicenseStatus);
type Action = Parameters<typeof nextStatus>[0];

/** The national transition table, written out independently of the implementation's table. */
const EXPECTED: Record<Action, Partial<Record<LicenseStatus, LicenseStatus>>> = {
  suspend: { '01': '02' },
  reinstate: { '02': '01' },
  revoke: { '01': '07', '02': '07' },
  cancel: { '01': '04', '02': '04' },
  expire: { '01': '05', '02': '05' },
  supersede: { '01': '03', '02': '03' },
};

describe('chaincode rules: license status transitions', () => {
  it('uses the national status codes', () => {
    assert.deepEqual(LicenseStatus, {
      VALID: '01',
      SUSPENDED: '02',
      WITHDRAWN: '03',
      CANCELLED: '04',
      EXPIRED: '05',
      REVOKED: '07',
    });
  });

  for (const [action, allowed] of Object.entries(EXPECTED) as [
    Action,
    Partial<Record<LicenseStatus, LicenseStatus>>,
  ][]) {
    for (const from of ALL) {
      const to = allowed[from];
      if (to === undefined) {
        it(`refuses ${action} from ${from} with INVALID_STATE_TRANSITION`, () => {
          assert.throws(
            () => nextStatus(action, from, 'L1'),
            (error: unknown) =>
              error instanceof ChaincodeRuleError &&
              error.code === 'INVALID_STATE_TRANSITION' &&
              error.context['status'] === from &&
              error.context['action'] === action,
          );
        });
      } else {
        it(`${action}: ${from} → ${to}`, () => {
          assert.equal(nextStatus(action, from, 'L1'), to);
        });
      }
    }
  }

  it('allows amend from valid or suspended only, and renew also after expiry', () => {
    for (const status of ALL) {
      const amendable = status === '01' || status === '02';
      const renewable = amendable || status === '05';
      if (amendable) assertCanSucceed('amend', status, 'L1');
      else
        assert.throws(
          () => {
            assertCanSucceed('amend', status, 'L1');
          },
          { code: 'INVALID_STATE_TRANSITION' },
        );
      if (renewable) assertCanSucceed('renew', status, 'L1');
      else
        assert.throws(
          () => {
            assertCanSucceed('renew', status, 'L1');
          },
          { code: 'INVALID_STATE_TRANSITION' },
        );
    }
  });

  it('names every national status code in words, and an unknown code as unknown', () => {
    assert.deepEqual(['01', '02', '03', '04', '05', '07'].map(licenseStatusName), [
      'valid',
      'suspended',
      'withdrawn',
      'cancelled',
      'expired',
      'revoked',
    ]);
    assert.equal(licenseStatusName('06'), 'unknown');
  });
});
