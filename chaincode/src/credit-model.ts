/*
 * The credit contract's vocabulary and rules that the gateway shares (issue 6), without the contracts: loading
 * `index.ts` registers every contract with fabric-contract-api, which logs each decorator to stdout, and the gateway's
 * schemas are also loaded by the CLI. The gateway validates requests against the chain's own lists and dates a
 * penalty's publicity end in the full record it hashes by the chain's own rule.
 */
export {
  CREDIT_CATEGORIES,
  PENALTY_DOMAINS,
  SEVERITIES,
  TAX_RATINGS,
  creditSigningBytes,
  type CreditCategory,
  type CreditHeader,
  type CreditRecord,
  type CreditRecordSummary,
  type CreditStatus,
  type PenaltyDomain,
  type Severity,
  type TaxRating,
} from './model/credit';
export { addDays, isPublicOn, publicityWindow, type PublicityWindow } from './rules/publicity';
export { SUPERVISION_CLASSES, type ClassReason, type SupervisionClass } from './rules/supervision-class';
