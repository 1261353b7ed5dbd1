// The one way this area loads @peculiar/x509: its dependency injection (tsyringe) needs the reflect-metadata
// polyfill in place before the library module runs, whatever order callers import CertHub's modules in.
import 'reflect-metadata';

export * from '@peculiar/x509';
