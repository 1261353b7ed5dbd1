// The certhub chaincode: fabric-chaincode-node loads `contracts` (also what the embedded ledger runs in-process).
import { RegistryContract } from './contracts/registry';
import { LicenseContract } from './contracts/license';
import { RecognitionContract } from './contracts/recognition';
import { CreditContract } from './contracts/credit';
import { ConsentContract } from './contracts/consent';
import { AuditContract } from './contracts/audit';

export const contracts = [
  RegistryContract,
  LicenseContract,
  RecognitionContract,
  CreditContract,
  ConsentContract,
  AuditContract,
];

export { RegistryContract, LicenseContract, RecognitionContract, CreditContract, ConsentContract, AuditContract };
export { ChaincodeRuleError, type ChaincodeErrorCode } from './errors';
export { LicenseStatus } from './rules/status';
export { Role } from './rules/access';
export { DOCUMENT_TRANSIENT_KEY, batchSigningBytes } from './model/anchor-request';
export type { LicenseAnchor, LicenseChange, BatchAnchor, Page, LicenseAction } from './model/license';
export type { Region, LicenseType, Issuer, IssuerCertificate, HubConfig, Stamp } from './model/registry';
export type { RecognitionAgreement, RecognitionStatus } from './model/recognition';
export { serialize } from './serialization';
export { creditSigningBytes } from './model/credit';
export type {
  CreditRecord,
  CreditRecordSummary,
  CreditChange,
  CreditCategory,
  CreditStatus,
  Severity,
  PenaltyDomain,
  TaxRating,
  CreditHeader,
} from './model/credit';
export { DEFAULT_CLASS_RULES } from './rules/supervision-class';
export type { ClassRuleSet, ClassRule, ClassReason, SupervisionClass } from './rules/supervision-class';
export { CONSENT_SCOPES, consentSigningBytes } from './model/consent';
export type {
  Consent,
  ConsentScope,
  ConsentStatus,
  ConsentChange,
  ConsentSignature,
  ConsentRecorder,
  ConsentStatement,
} from './model/consent';
export { chinaDateOf, consentStateOn, decideConsent, registrationRegionCandidates } from './rules/consent';
export type { ConsentState, ConsentRefusal, ConsentDecision } from './rules/consent';
export type { AuditHead } from './model/audit-head';
