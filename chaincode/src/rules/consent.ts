import type { Consent, ConsentScope } from '../model/consent';

/**
 * The consent rules (issue 6), as pure functions over the stored consents and a China calendar date: whether a
 * consent is in force on a date, and whether a bank may read a scope of an enterprise's data, with the precise reason
 * when it may not. The chaincode's `check` query and the gateway's listing both use these, so the two never disagree.
 */

// Consents are dated and expire in China's calendar; re-exported for the consent model's users.
export { chinaDateOf } from './china-date';

/**
 * The regions whose registration authority may answer for an enterprise, most specific first. Characters 3–8 of a
 * USCC are the GB/T 2260 code of the registering administration (GB 32100-2015 §4.3): a district's enterprises fall
 * under its prefecture, a prefecture's under its province, so the first of these the hub knows is the enterprise's
 * registration region (91420102… → 420102, then 420100 Wuhan, then 420000 Hubei).
 */
export function registrationRegionCandidates(uscc: string): string[] {
  const code = uscc.slice(2, 8);
  const candidates = [code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`];
  return [...new Set(candidates)].filter((c) => /^[1-9]\d{5}$/.test(c));
}

/** A consent's state on a China date: REVOKED from its revocation day, EXPIRED after its last day. */
export type ConsentState = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

export function consentStateOn(consent: Consent, date: string): ConsentState {
  if (consent.status === 'REVOKED' && consent.revokedOn !== null && consent.revokedOn <= date) return 'REVOKED';
  if (consent.expiresOn < date) return 'EXPIRED';
  return 'ACTIVE';
}

/** Why a bank may not read: no consent at all, or the enterprise's latest consent expired, was revoked or lacks the scope. */
export type ConsentRefusal = 'NO_CONSENT' | 'EXPIRED' | 'REVOKED' | 'SCOPE';

export type ConsentDecision =
  | { readonly allowed: true; readonly consent: Consent }
  | {
      readonly allowed: false;
      readonly reason: ConsentRefusal;
      /** The consent the reason is about (the enterprise's latest one for this bank); null for NO_CONSENT. */
      readonly consent: Consent | null;
      /** EXPIRED: the last day it covered; REVOKED: the day it was revoked; otherwise null. */
      readonly since: string | null;
    };

const grantedAt = (consent: Consent): string => consent.granted.timestamp;

/**
 * Decides from all consents of one enterprise for one bank whether the bank may read `scope` on `date`. Allowed with
 * the consent in force that covers the scope and runs longest; otherwise refused for the reason that applies to the
 * enterprise's most recent consent (its latest word), ignoring consents granted after `date`.
 */
export function decideConsent(consents: readonly Consent[], scope: ConsentScope, date: string): ConsentDecision {
  const known = consents.filter((c) => c.grantedOn <= date);
  const usable = known
    .filter((c) => consentStateOn(c, date) === 'ACTIVE' && c.scope.includes(scope))
    .sort((a, b) => b.expiresOn.localeCompare(a.expiresOn) || grantedAt(b).localeCompare(grantedAt(a)));
  const best = usable[0];
  if (best !== undefined) return { allowed: true, consent: best };
  const latest = [...known].sort((a, b) => grantedAt(b).localeCompare(grantedAt(a)))[0];
  if (latest === undefined) return { allowed: false, reason: 'NO_CONSENT', consent: null, since: null };
  switch (consentStateOn(latest, date)) {
    case 'REVOKED':
      return { allowed: false, reason: 'REVOKED', consent: latest, since: latest.revokedOn };
    case 'EXPIRED':
      return { allowed: false, reason: 'EXPIRED', consent: latest, since: latest.expiresOn };
    case 'ACTIVE':
      return { allowed: false, reason: 'SCOPE', consent: latest, since: null };
  }
}
