import { CertHubError } from '@certhub/certs-service';

/** No such job, or one the caller may not see (another issuer's): both answer 404 so job IDs do not leak. */
export class JobNotFoundError extends CertHubError {
  readonly code = 'JOB_NOT_FOUND';
}

/** A batch with more items than the server accepts in one request. Nothing is written. */
export class BatchTooLargeError extends CertHubError {
  readonly code = 'BATCH_TOO_LARGE';
}

/** One item (a JSON array element or an NDJSON line) larger than any license document can be. Nothing is written. */
export class BatchItemTooLargeError extends CertHubError {
  readonly code = 'BATCH_ITEM_TOO_LARGE';
}

/** A batch body larger than the server accepts in bytes. Nothing is written. */
export class BatchBodyTooLargeError extends CertHubError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** A JSON-array batch body that is not JSON, or not an array; the message names the line. Nothing is written. */
export class MalformedBatchJsonError extends CertHubError {
  readonly code = 'MALFORMED_JSON';
}

/** An NDJSON line that is not JSON; the message and `context.line` name it. Nothing is written. */
export class MalformedNdjsonError extends CertHubError {
  readonly code = 'MALFORMED_NDJSON';
}

/** A batch body that is neither application/json nor application/x-ndjson in UTF-8, or is compressed. */
export class UnsupportedBatchMediaError extends CertHubError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** A batch's persisted plan disagrees with itself or with the ledger (a batch ID on chain with another root). */
export class BatchConflictError extends CertHubError {
  readonly code = 'BATCH_CONFLICT';
}

/**
 * Raised by a runner checkpoint hook to stop the runner where it stands, as if the process had died there: nothing
 * more is written, and the job resumes from what was persisted when a runner next opens the same data. Tests only.
 */
export class RunnerHaltedError extends Error {
  constructor(message = 'runner halted at a checkpoint') {
    super(message);
    this.name = 'RunnerHaltedError';
  }
}
