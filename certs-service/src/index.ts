// Public surface of certs-service: everything the chaincode, the gateway and the CLI import.
export * from './errors';
