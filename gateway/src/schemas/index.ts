// Request and response schemas of every /v1 route (JSON Schema 2020-12 via TypeBox), their validator and formats.
export * from './errors';
export * from './formats';
export * from './keywords';
export * from './common';
export * from './validator';
export * from './license-document';
export * from './licenses';
export * from './verification';
export * from './credit';
export * from './consents';
export * from './recognitions';
export * from './issuers';
export * from './caller';
export * from './jobs';
