import { ChaincodeRuleError } from '../errors';
import type { LicenseAction } from '../model/license';

/**
 * License status by the national e-license interface codes: 01 valid, 02 suspended, 03 withdrawn, 04 cancelled,
 * 05 expired, 07 revoked. A version superseded by an amendment or renewal becomes 03 (withdrawn) with `supersededBy`
 * pointing at its successor.
 */
export const LicenseStatus = {
  VALID: '01',
  SUSPENDED: '02',
  WITHDRAWN: '03',
  CANCELLED: '04',
  EXPIRED: '05',
  REVOKED: '07',
} as const;
export type LicenseStatus = (typeof LicenseStatus)[keyof typeof LicenseStatus];

const STATUS_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(LicenseStatus).map(([name, code]) => [code, name.toLowerCase()]),
);

/** The word for a status code (`07` → `revoked`), for reports and people; `unknown` for a code not in the table. */
export function licenseStatusName(code: string): string {
  return STATUS_NAMES.get(code) ?? 'unknown';
}

type TransitionAction = Exclude<LicenseAction, 'issue' | 'batch-member' | 'transfer-in' | 'amend' | 'renew'>;

/** The one table of legal transitions: action → the statuses it may start from → the status it leads to. */
const TRANSITIONS: Readonly<
  Record<TransitionAction, { readonly from: readonly LicenseStatus[]; readonly to: LicenseStatus }>
> = {
  suspend: { from: [LicenseStatus.VALID], to: LicenseStatus.SUSPENDED },
  reinstate: { from: [LicenseStatus.SUSPENDED], to: LicenseStatus.VALID },
  revoke: { from: [LicenseStatus.VALID, LicenseStatus.SUSPENDED], to: LicenseStatus.REVOKED },
  cancel: { from: [LicenseStatus.VALID, LicenseStatus.SUSPENDED], to: LicenseStatus.CANCELLED },
  expire: { from: [LicenseStatus.VALID, LicenseStatus.SUSPENDED], to: LicenseStatus.EXPIRED },
  // An amendment supersedes a valid or suspended version; a renewal may also follow an expired one.
  supersede: { from: [LicenseStatus.VALID, LicenseStatus.SUSPENDED], to: LicenseStatus.WITHDRAWN },
};

const RENEWABLE: readonly LicenseStatus[] = [LicenseStatus.VALID, LicenseStatus.SUSPENDED, LicenseStatus.EXPIRED];

export function nextStatus(action: TransitionAction, current: LicenseStatus, licenseId: string): LicenseStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(current)) throw illegal(action, current, licenseId);
  return rule.to;
}

/** Which previous statuses allow a new version: amend like supersede, renew also after expiry. */
export function assertCanSucceed(action: 'amend' | 'renew', current: LicenseStatus, licenseId: string): void {
  const allowed = action === 'renew' ? RENEWABLE : TRANSITIONS.supersede.from;
  if (!allowed.includes(current)) throw illegal(action, current, licenseId);
}

function illegal(action: string, current: LicenseStatus, licenseId: string): ChaincodeRuleError {
  return new ChaincodeRuleError(
    'INVALID_STATE_TRANSITION',
    `Cannot ${action} license ${licenseId} in status ${current}`,
    {
      licenseId,
      action,
      status: current,
    },
  );
}
