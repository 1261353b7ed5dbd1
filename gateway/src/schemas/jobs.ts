import { Type } from '@sinclair/typebox';
import { DateTime, LicenseId, Sm3Hex, StringEnum } from './common';

/** Bulk import jobs: POST /v1/licenses/batch answers 202 with a job; GET /v1/jobs/{jobId} reports its progress. */

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'] as const;
export const JOB_ITEM_STATUSES = ['PENDING', 'ISSUED', 'FAILED'] as const;

/** Item results per page of GET /v1/jobs/{jobId}: the default, and the most one page holds. */
export const JOB_PAGE_DEFAULT = 100;
export const JOB_PAGE_MAX = 1000;

export const JobIdParams = Type.Object(
  { jobId: Type.String({ pattern: '^[A-Za-z0-9._-]{1,128}$' }) },
  { additionalProperties: false },
);

/** Paging of a job's item results (query strings: whole numbers written in digits). */
export const JobQuery = Type.Object(
  {
    offset: Type.Optional(
      Type.String({
        pattern: '^(0|[1-9][0-9]{0,8})$',
        description: 'First item to return (0-based position); default 0.',
      }),
    ),
    limit: Type.Optional(
      Type.String({
        pattern: '^([1-9][0-9]{0,2}|1000)$',
        description: `Most items to return, 1 to ${JOB_PAGE_MAX}; default ${JOB_PAGE_DEFAULT}.`,
      }),
    ),
  },
  { additionalProperties: false },
);

export const JobAccepted = Type.Object({
  jobId: Type.String(),
  total: Type.Optional(Type.Integer({ minimum: 0 })),
});

const JobError = Type.Object(
  { code: Type.String({ description: 'Stable error code, as in problem details.' }), detail: Type.String() },
  { additionalProperties: false },
);

export const JobItem = Type.Object({
  index: Type.Integer({ minimum: 0, description: '0-based position in the batch (array index or NDJSON line - 1).' }),
  status: StringEnum(JOB_ITEM_STATUSES),
  licenseId: Type.Optional(LicenseId()),
  docHash: Type.Optional(Sm3Hex()),
  batchId: Type.Optional(
    Type.String({ description: 'The batch (one Merkle root on chain) the license is anchored in.' }),
  ),
  error: Type.Optional(JobError),
});

export const Job = Type.Object({
  jobId: Type.String(),
  status: StringEnum(JOB_STATUSES, {
    description:
      'QUEUED → RUNNING → COMPLETED (every item ISSUED or FAILED); FAILED: the job stopped (see error), items still PENDING were not issued.',
  }),
  total: Type.Integer({ minimum: 0 }),
  processed: Type.Integer({ minimum: 0 }),
  succeeded: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  createdAt: DateTime(),
  updatedAt: DateTime(),
  error: Type.Optional(JobError),
  offset: Type.Optional(Type.Integer({ minimum: 0, description: 'Position of the first item in `items`.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, description: 'Most items this page could hold.' })),
  items: Type.Array(JobItem, { description: 'One page of per-item results, in request order (see offset/limit).' }),
});
