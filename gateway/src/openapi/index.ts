// The OpenAPI 3.1 description of the gateway (from the same schemas the edge validates with) and its docs routes.
export * from './routes';
export * from './document';
export * from './docs-router';
