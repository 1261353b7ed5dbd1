// Bulk import (POST /v1/licenses/batch, GET /v1/jobs/{jobId}): batch bodies, jobs, their store and their runner.
export * from './errors';
export * from './batch-entry';
export * from './ndjson-parser';
export * from './json-array-parser';
export * from './batch-body';
export * from './job-store';
export * from './batch-builder';
export * from './job-runner';
export * from './import-jobs';
