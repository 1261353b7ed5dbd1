export * from './errors';
export * from './router';
