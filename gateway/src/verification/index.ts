// POST /v1/verify (DESIGN.md §6): the declared steps, the runner that records each one, and the request resolver.
export * from './context';
export * from './errors';
export * from './steps';
export * from './runner';
export * from './verifier';
