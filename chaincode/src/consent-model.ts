/*
 * The consent contract's vocabulary and rules that the gateway shares (issue 6), without the contracts (loading
 * `index.ts` registers every contract with fabric-contract-api): the signed bytes the gateway or an enterprise signs,
 * and the rules by which the gateway shows a consent's state, so the gateway and the chain never disagree.
 */
export {
  CONSENT_SCOPES,
  consentSigningBytes,
  type Consent,
  type ConsentChange,
  type ConsentScope,
  type ConsentStatement,
} from './model/consent';
export {
  chinaDateOf,
  consentStateOn,
  registrationRegionCandidates,
  type ConsentDecision,
  type ConsentRefusal,
  type ConsentState,
} from './rules/consent';
export type { AuditHead } from './model/audit-head';
