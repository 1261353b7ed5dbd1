import { Type } from '@sinclair/typebox';
import { DateTime, LicenseId, Sm3Hex, StringEnum } from './common';

/** Bulk import jobs: POST /v1/licenses/batch answers 202 with a job; GET /v1/jobs/{jobId} reports its progress. */

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'] as const;
export const JOB_ITEM_STATUSES = ['PENDING', 'ISSUED', 'FAILED'] as const;

export const JobIdParams = Type.Object(
  { jobId: Type.String({ pattern: '^[A-Za-z0-9._-]{1,128}$' }) },
  { additionalProperties: false },
);

export const JobAccepted = Type.Object({
  jobId: Type.String(),
  total: Type.Optional(Type.Integer({ minimum: 0 })),
});

export const JobItem = Type.Object({
  index: Type.Integer({ minimum: 0, description: '0-based position in the batch (array index or NDJSON line - 1).' }),
  status: StringEnum(JOB_ITEM_STATUSES),
  licenseId: Type.Optional(LicenseId()),
  docHash: Type.Optional(Sm3Hex()),
  error: Type.Optional(Type.Object({ code: Type.String(), detail: Type.String() })),
});

export const Job = Type.Object({
  jobId: Type.String(),
  status: StringEnum(JOB_STATUSES),
  total: Type.Integer({ minimum: 0 }),
  processed: Type.Integer({ minimum: 0 }),
  succeeded: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  createdAt: DateTime(),
  updatedAt: DateTime(),
  items: Type.Array(JobItem),
});
