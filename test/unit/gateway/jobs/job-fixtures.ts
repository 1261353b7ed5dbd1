import type { GatewayStores } from '@certhub/gateway/dist/services';
import type { DevelopmentHub } from '@certhub/gateway/dist/seed';
import { businessLicenseRequest } from '../routes/hub-app';

/** Shapes of GET /v1/jobs/{jobId} as the tests read them. */
export interface JobItemBody {
  index: number;
  status: 'PENDING' | 'ISSUED' | 'FAILED';
  licenseId?: string;
  docHash?: string;
  batchId?: string;
  error?: { code: string; detail: string };
}

export interface JobBody {
  jobId: string;
  status: 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  createdAt: string;
  updatedAt: string;
  offset: number;
  limit: number;
  error?: { code: string; detail: string };
  items: JobItemBody[];
}

/** `count` distinct, valid business-license requests (numbers differ, so every document and docHash differs). */
export function licenseRequests(count: number, prefix = 'B'): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) =>
    businessLicenseRequest({ number: `No.${prefix}-${String(i).padStart(5, '0')}` }),
  );
}

export const ndjsonOf = (items: readonly unknown[]): string =>
  items.map((item) => JSON.stringify(item)).join('\n') + '\n';

/** The hub's gateway stores (the development hub hands the whole set to the license service; read them there). */
export function hubStores(hub: DevelopmentHub): GatewayStores {
  return (hub.api.licenses as unknown as { deps: { stores: GatewayStores } }).deps.stores;
}

/** How many import jobs the hub's store holds. */
export async function storedJobCount(hub: DevelopmentHub): Promise<number> {
  return (await hubStores(hub).jobs.range({ gte: 'job/', lt: 'job/~' })).length;
}

/** Committed transactions by chaincode function, from block `fromHeight` on (group commit packs several a block). */
export async function transactionsByFn(hub: DevelopmentHub, fromHeight = 0): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const tx of await hub.ledger.history({ startBlock: fromHeight })) counts[tx.fn] = (counts[tx.fn] ?? 0) + 1;
  return counts;
}
