import type { Static } from '@sinclair/typebox';
import type { Job, JobItem } from '../schemas';
import type { ImportFormat } from './import-file';
import { formatCount } from './progress';

/** Failed items listed in the text summary; `--json` has every one. */
export const LISTED_FAILURES = 50;

/** One part of an import (one job) once it has finished, with every failed item gathered from all pages. */
export interface FinishedPart {
  /** File position of the job's item index 0. */
  readonly firstIndex: number;
  /** Where the part is in the file, e.g. `lines 2,001–4,000`. */
  readonly where: string;
  readonly job: Static<typeof Job>;
  readonly failedItems: readonly Static<typeof JobItem>[];
}

/**
 * What a finished import tells the clerk: each job's outcome, the totals when there were several, then each failed
 * item by its position in the file (and line, for NDJSON, which is how people find it) with the gateway's error.
 */
export function formatImportSummary(parts: readonly FinishedPart[], format: ImportFormat): string {
  const lines: string[] = [];
  const several = parts.length > 1;
  for (const { job, where } of parts) {
    lines.push(
      `job ${job.jobId}: ${job.status}, ${formatCount(job.succeeded)} issued, ${formatCount(job.failed)} failed, ` +
        `${formatCount(job.total)} items${several ? ` (${where})` : ''}`,
    );
    if (job.error !== undefined) lines.push(`  stopped: ${job.error.code}: ${job.error.detail}`);
  }
  const sum = (pick: (job: Static<typeof Job>) => number): number => parts.reduce((n, p) => n + pick(p.job), 0);
  if (several) {
    lines.push(
      `total: ${formatCount(sum((j) => j.succeeded))} issued, ${formatCount(sum((j) => j.failed))} failed, ` +
        `${formatCount(sum((j) => j.total))} items in ${parts.length} jobs`,
    );
  }
  const failed = parts.flatMap((part) =>
    part.failedItems.map((item) => ({ position: part.firstIndex + item.index, error: item.error })),
  );
  if (failed.length > 0) {
    lines.push('failed items:');
    for (const { position, error } of failed.slice(0, LISTED_FAILURES)) {
      const where = format === 'ndjson' ? `#${position} (line ${position + 1})` : `#${position}`;
      lines.push(`  ${where}: ${error === undefined ? 'no error given' : `${error.code}: ${error.detail}`}`);
    }
    if (failed.length > LISTED_FAILURES) {
      lines.push(`  … and ${formatCount(failed.length - LISTED_FAILURES)} more (--json lists every item)`);
    }
  }
  const counted = sum((j) => j.failed);
  if (counted > failed.length) {
    lines.push(`(the gateway counts ${formatCount(counted)} failed items but listed ${formatCount(failed.length)})`);
  }
  return lines.join('\n') + '\n';
}
