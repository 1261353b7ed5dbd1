import type { User } from '../auth/user';

/*
 * The Fabric CA attributes each identity the gateway acts with carries. The chaincode decides access from these
 * attributes (rules/access.ts callerOf: role, region, issuer, authority, enterprise), the gateway from its users; both
 * modes derive a user's attributes from its user entry with the one function below, so the two never disagree about
 * who someone is.
 */

/** The enrollment ID of the identity the gateway queries with for anonymous callers (POST /v1/verify). */
export const GATEWAY_SERVICE_USER = 'gateway-service';

/**
 * The enrollment ID of the gateway's audit identity (role audit-anchor): it anchors the heads of the log of banks'
 * detailed credit queries, and nothing else. Not the query identity above: that one acts for anonymous callers.
 */
export const GATEWAY_AUDIT_USER = 'gateway-audit';

/** The gateway's own identities (in the hub MSP), by enrollment ID, with their Fabric CA attributes. */
export const SERVICE_IDENTITY_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [GATEWAY_SERVICE_USER]: { role: 'verifier' },
  [GATEWAY_AUDIT_USER]: { role: 'audit-anchor' },
};

/** Fabric CA attributes of a user: the chaincode decides access from these, not from the gateway's say-so. */
export function fabricAttributes(user: User): Record<string, string> {
  const attrs: Record<string, string> = { role: user.role };
  if (user.region !== null) attrs.region = user.region;
  if (user.issuer !== null) attrs.issuer = user.issuer.code;
  if (user.enterprise !== null) attrs.enterprise = user.enterprise;
  if (user.authority !== null) attrs.authority = user.authority.code;
  return attrs;
}

/** Whether two attribute sets are the same names with the same values. */
export function sameAttributes(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  return (
    Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([name, value]) => b[name] === value)
  );
}

/** The NodeOU an identity gets, as Fabric CA would register it: admins of the hub or a region are `admin`. */
export function nodeOuOf(role: string): 'admin' | 'client' {
  return role.endsWith('admin') ? 'admin' : 'client';
}
