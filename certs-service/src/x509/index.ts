// X.509 with SM2: certificates, the region CA, chain validation, and Fabric (ECDSA P-256) identities.
export { Sm2Certificate } from './certificate';
export {
  createRootCertificate,
  issueIssuerCertificate,
  DEFAULT_ISSUER_VALIDITY_DAYS,
  DEFAULT_ROOT_VALIDITY_DAYS,
  type IssuerCertificateOptions,
  type RootCertificateOptions,
} from './certificate-authority';
export { verifyCertificateChain, type ChainValidationOptions } from './chain';
export {
  CertificateChainError,
  CertificateFormatError,
  CertificateIssuanceError,
  FabricIdentityError,
  type CertificateChainFailure,
  type CertificateIssuanceFailure,
} from './errors';
export {
  createFabricCa,
  fabricAttributesOf,
  issueFabricIdentity,
  type FabricCa,
  type FabricIdentity,
  type FabricIdentityOptions,
  type FabricNodeOu,
} from './fabric-identity';
export { OID_FABRIC_ATTRIBUTES, OID_ORGANIZATION_IDENTIFIER, OID_SM2_CURVE, OID_SM2_WITH_SM3 } from './oids';
export { CERTIFICATE_SIGNATURE_ID } from './sm2-crypto';
