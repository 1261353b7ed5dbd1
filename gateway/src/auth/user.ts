/*
 * Who may call the gateway. Each user belongs to an organisation (its Fabric MSP ID), has one role and, depending on
 * the role, a region, an issuer, a credit authority or an enterprise. The ledger checks the same facts from the user's
 * own Fabric certificate attributes; the gateway checks them first so a refusal is fast and clear.
 */

export const ROLES = ['hub-admin', 'region-admin', 'clerk', 'verifier', 'bank', 'credit-source', 'enterprise'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A department by its USCC: the issuer a clerk acts for, or the authority a credit source writes records for. */
export interface IssuerRef {
  readonly code: string;
  readonly name: string;
}

export interface User {
  /** Stable, non-secret: the enrollment ID of the user's Fabric identity, i.e. the actor the ledger records. */
  readonly id: string;
  readonly name: string;
  /** MSP ID of the organisation, e.g. WuhanMSP. */
  readonly org: string;
  readonly role: Role;
  /** GB/T 2260 region code; null for roles that act across regions (hub admin, bank). */
  readonly region: string | null;
  /** The issuing department a clerk acts for; null for every other role. */
  readonly issuer: IssuerRef | null;
  /** The USCC of the enterprise an enterprise user acts for; null for every other role. */
  readonly enterprise: string | null;
  /**
   * The department a credit source writes credit records for (it signs them with that department's SM2 key); null for
   * every other role. The chaincode checks the same USCC from the `authority` attribute of the user's certificate.
   */
  readonly authority: IssuerRef | null;
}

/** Which attributes each role must have. A role not listed in `regional` has no region. */
const REGIONAL: ReadonlySet<Role> = new Set<Role>(['region-admin', 'clerk', 'verifier', 'credit-source']);
const NEVER_REGIONAL: ReadonlySet<Role> = new Set<Role>(['hub-admin']);

/**
 * Inconsistencies between a user's role and its other attributes, in words; empty when the user is consistent.
 * (Shapes and identifier check characters are the users-file schema's job; this is the part JSON Schema says badly.)
 */
export function roleProblems(user: User): string[] {
  const problems: string[] = [];
  if (REGIONAL.has(user.role) && user.region === null) problems.push(`a ${user.role} needs a region`);
  if (NEVER_REGIONAL.has(user.role) && user.region !== null) problems.push(`a ${user.role} has no region`);
  if (user.role === 'clerk' && user.issuer === null) problems.push('a clerk needs an issuer');
  if (user.role !== 'clerk' && user.issuer !== null) problems.push(`only clerks have an issuer, not a ${user.role}`);
  if (user.role === 'credit-source' && user.authority === null) problems.push('a credit-source needs an authority');
  if (user.role !== 'credit-source' && user.authority !== null) {
    problems.push(`only credit sources have an authority, not a ${user.role}`);
  }
  if (user.role === 'enterprise' && user.enterprise === null) problems.push('an enterprise user needs an enterprise');
  if (user.role !== 'enterprise' && user.enterprise !== null) {
    problems.push(`only enterprise users have an enterprise, not a ${user.role}`);
  }
  return problems;
}
