// The gateway's services: what routes call, between the HTTP edge and the ledger and certs-service stores.
export * from './errors';
export * from './china-date';
export * from './gateway-stores';
export * from './holder-ref';
export * from './serial-allocator';
export * from './identities';
export * from './ledger-json';
export * from './ledger-records';
export * from './registry-service';
export * from './certificate-cache';
export * from './issuer-signers';
export * from './license-documents';
export * from './license-service';
export * from './issuer-certificates';
export * from './issuer-administration';
export * from './recognition-service';
export * from './enterprise-licenses';
