import type { Context } from 'fabric-contract-api';
import { forbidden } from '../errors';
import type { HubConfig, Issuer, Region } from '../model/registry';

/**
 * All access decisions of the chaincode, in one place. A caller is its MSP ID plus the Fabric CA attributes in its
 * certificate: `role` (hub-admin, region-admin, clerk, verifier, bank), `region` (GB/T 2260 code) and, for clerks,
 * `issuer` (USCC). Attributes are only trusted together with the MSP that vouches for them: a region's admins and
 * clerks must come from that region's MSP, hub admins from the hub's MSP. Reads are open to every member of the
 * channel; banks and verifiers never write.
 */
export const Role = {
  HUB_ADMIN: 'hub-admin',
  REGION_ADMIN: 'region-admin',
  CLERK: 'clerk',
  VERIFIER: 'verifier',
  BANK: 'bank',
  CREDIT_SOURCE: 'credit-source',
  ENTERPRISE: 'enterprise',
  /** The gateway identity that anchors the heads of its bank-query audit log, and writes nothing else. */
  AUDIT_ANCHOR: 'audit-anchor',
} as const;

export interface Caller {
  readonly mspId: string;
  readonly id: string;
  readonly role: string | null;
  readonly region: string | null;
  readonly issuer: string | null;
  /** For credit sources: the USCC of the department the caller writes credit records for. */
  readonly authority: string | null;
  /** For enterprise users: the USCC of the enterprise the caller acts for. */
  readonly enterprise: string | null;
}

export function callerOf(ctx: Context): Caller {
  const identity = ctx.clientIdentity;
  return {
    mspId: identity.getMSPID(),
    id: identity.getID(),
    role: identity.getAttributeValue('role'),
    region: identity.getAttributeValue('region'),
    issuer: identity.getAttributeValue('issuer'),
    authority: identity.getAttributeValue('authority'),
    enterprise: identity.getAttributeValue('enterprise'),
  };
}

function deny(caller: Caller, action: string, needed: string): never {
  throw forbidden(`${caller.role ?? 'a caller without a role'} of ${caller.mspId} may not ${action}: needs ${needed}`, {
    action,
    mspId: caller.mspId,
    role: caller.role,
    region: caller.region,
    issuer: caller.issuer,
  });
}

/** Bootstrapping the hub: any hub-admin may do it once; the MSP it comes from becomes the hub MSP. */
export function assertMayInitialiseHub(caller: Caller): void {
  if (caller.role !== Role.HUB_ADMIN) deny(caller, 'initialise the hub', 'role hub-admin');
}

/** Adding regions and license types: a hub admin of the hub MSP. */
export function assertHubAdmin(caller: Caller, hub: HubConfig, action: string): void {
  if (caller.role !== Role.HUB_ADMIN || caller.mspId !== hub.hubMspId)
    deny(caller, action, `role hub-admin of ${hub.hubMspId}`);
}

/** Changing a region's issuers and agreements: that region's admin, from that region's MSP. */
export function isRegionAdmin(caller: Caller, region: Region): boolean {
  return caller.role === Role.REGION_ADMIN && caller.region === region.code && caller.mspId === region.mspId;
}

export function assertRegionAdmin(caller: Caller, region: Region, action: string): void {
  if (!isRegionAdmin(caller, region))
    deny(caller, action, `role region-admin of region ${region.code} (${region.mspId})`);
}

/** Anchoring and changing an issuer's licenses: a clerk of that issuer, in the issuer's region and MSP. */
export function assertClerkOf(caller: Caller, issuer: Issuer, region: Region, action: string): void {
  if (
    caller.role !== Role.CLERK ||
    caller.issuer !== issuer.uscc ||
    caller.region !== issuer.region ||
    caller.mspId !== region.mspId
  ) {
    deny(caller, action, `role clerk of issuer ${issuer.uscc} in region ${issuer.region} (${region.mspId})`);
  }
}

/** Expiring a license (a housekeeping write driven by tx time): its issuer's clerk or its region's admin. */
export function assertClerkOrRegionAdmin(caller: Caller, issuer: Issuer, region: Region, action: string): void {
  if (isRegionAdmin(caller, region)) return;
  assertClerkOf(caller, issuer, region, action);
}

/** Recognition agreements: an admin of one of the two regions; returns the region the caller speaks for. */
export function forbiddenUnlessAny(caller: Caller, regions: readonly Region[], action: string): Region {
  const region = regions.find((r) => isRegionAdmin(caller, r));
  if (region === undefined)
    deny(caller, action, `role region-admin of region ${regions.map((r) => r.code).join(' or ')}`);
  return region;
}

/**
 * Writing credit records: a credit source of that authority (the department registered like an issuer, whose SM2 key
 * signs its records), in the authority's region and from that region's MSP. Banks, clerks and other departments'
 * sources never write credit records.
 */
export function assertCreditSourceOf(caller: Caller, authority: Issuer, region: Region, action: string): void {
  if (
    caller.role !== Role.CREDIT_SOURCE ||
    caller.authority !== authority.uscc ||
    caller.region !== authority.region ||
    caller.mspId !== region.mspId
  ) {
    deny(
      caller,
      action,
      `role credit-source of authority ${authority.uscc} in region ${authority.region} (${region.mspId})`,
    );
  }
}

/**
 * An enterprise acting for itself: role enterprise with its USCC, from the MSP of its registration region (the
 * region's CA enrolled it, so only that MSP vouches for the attribute).
 */
export function isEnterpriseItself(caller: Caller, enterprise: string, registration: Region): boolean {
  return caller.role === Role.ENTERPRISE && caller.enterprise === enterprise && caller.mspId === registration.mspId;
}

/** Granting with the enterprise's own signature: only the enterprise itself submits it (never a bank). */
export function assertEnterpriseItself(caller: Caller, enterprise: string, registration: Region, action: string): void {
  if (!isEnterpriseItself(caller, enterprise, registration))
    deny(caller, action, `role enterprise of ${enterprise} (${registration.mspId})`);
}

/** Revoking a consent: the enterprise itself or its registration authority (the admin of its registration region). */
export function assertEnterpriseOrAuthority(
  caller: Caller,
  enterprise: string,
  registration: Region,
  action: string,
): void {
  if (isEnterpriseItself(caller, enterprise, registration) || isRegionAdmin(caller, registration)) return;
  deny(
    caller,
    action,
    `role enterprise of ${enterprise} or region-admin of its registration region ${registration.code} (${registration.mspId})`,
  );
}

/**
 * Reading consents: which banks an enterprise lets read its data is its business, so only the enterprise, its
 * registration authority and the bank a consent names (a bank caller from that MSP) read it.
 */
export function assertMayReadConsents(
  caller: Caller,
  enterprise: string,
  registration: Region,
  bank: string | null,
  action: string,
): void {
  if (isEnterpriseItself(caller, enterprise, registration) || isRegionAdmin(caller, registration)) return;
  if (bank !== null && caller.role === Role.BANK && caller.mspId === bank) return;
  deny(
    caller,
    action,
    `role enterprise of ${enterprise}, region-admin of ${registration.code}${bank === null ? '' : ` or role bank of ${bank}`}`,
  );
}

/** A bank reading the consents that name it: role bank from that MSP. */
export function assertBankOf(caller: Caller, bank: string, action: string): void {
  if (caller.role !== Role.BANK || caller.mspId !== bank) deny(caller, action, `role bank of ${bank}`);
}

/**
 * Anchoring audit-log heads: the gateway's audit identity (role audit-anchor) from the hub MSP. Not a bank: banks are
 * the audited party. Not the gateway's query identity: it serves anonymous callers and must stay read-only.
 */
export function assertAuditAnchor(caller: Caller, hub: HubConfig, action: string): void {
  if (caller.role !== Role.AUDIT_ANCHOR || caller.mspId !== hub.hubMspId)
    deny(caller, action, `role audit-anchor of ${hub.hubMspId}`);
}
