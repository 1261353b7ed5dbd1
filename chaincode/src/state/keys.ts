/**
 * Every key the chaincode writes, in one place. Records and indexes are composite keys (one per record, never a
 * shared list or counter), so concurrent transactions on different licenses touch disjoint keys (no MVCC hot keys).
 */
export const ObjectType = {
  HUB: 'hub',
  REGION: 'region',
  LICENSE_TYPE: 'licenseType',
  ISSUER: 'issuer',
  REGION_ISSUER: 'region~issuer',
  LICENSE: 'license',
  HOLDER_LICENSE: 'holder~license',
  ISSUER_LICENSE: 'issuer~license',
  BATCH: 'batch',
  RECOGNITION: 'recognition',
  REGION_RECOGNITION: 'region~recognition',
  CREDIT_RECORD: 'credit',
  SUBJECT_CREDIT: 'subject~credit',
  SOURCE_CREDIT: 'source~credit',
  HASH_CREDIT: 'hash~credit',
  CLASS_RULES: 'classRules',
  CONSENT: 'consent',
  ENTERPRISE_CONSENT: 'enterprise~consent',
  BANK_CONSENT: 'bank~consent',
  STATEMENT_CONSENT: 'statement~consent',
  AUDIT_HEAD: 'auditHead',
} as const;

/** Index entries carry no data; Fabric treats an empty value as a delete, so they hold a single 0x00 byte. */
export const INDEX_VALUE = Uint8Array.of(0);
