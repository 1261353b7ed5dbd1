import type { User } from '../auth/user';
import type { Ledger } from '../ledger';
import { AccessDeniedError } from './errors';
import type { LedgerIdentities } from './identities';
import { evaluateJson } from './ledger-json';
import type { LicenseAnchorRecord, PageRecord } from './ledger-records';

export const DEFAULT_ENTERPRISE_PAGE_SIZE = 50;

/** One page of an enterprise's licenses; `bookmark` continues the listing, null after the last page. */
export interface EnterpriseLicensePage {
  readonly uscc: string;
  readonly licenses: LicenseAnchorRecord[];
  readonly bookmark: string | null;
}

/**
 * The chaincode's bookmark is the next composite key (with U+0000 separators): handed to clients as opaque base64url
 * so it travels in a query string unchanged.
 */
const encodeBookmark = (bookmark: string): string | null =>
  bookmark === '' ? null : Buffer.from(bookmark, 'utf8').toString('base64url');
const decodeBookmark = (bookmark: string | undefined): string =>
  bookmark === undefined ? '' : Buffer.from(bookmark, 'base64url').toString('utf8');

/**
 * Licenses an enterprise holds (DESIGN.md §5 GET /v1/enterprises/{uscc}/licenses), each anchor with its current status.
 * An enterprise is on chain by its USCC as holderRef (services/holder-ref.ts, DESIGN.md §4), so the chaincode's
 * holder index answers directly; licenses of persons never appear here (their holderRef is an HMAC, not a USCC).
 */
export class EnterpriseLicenses {
  constructor(
    private readonly ledger: Ledger,
    private readonly identities: LedgerIdentities,
  ) {}

  async list(
    caller: User,
    uscc: string,
    page: { readonly pageSize?: string; readonly bookmark?: string },
  ): Promise<EnterpriseLicensePage> {
    // Banks and verifiers look any enterprise up; an enterprise user only itself.
    if (caller.role === 'enterprise' && caller.enterprise !== uscc) {
      throw new AccessDeniedError(`enterprise user ${caller.id} may list only its own enterprise's licenses`, {
        userId: caller.id,
      });
    }
    const result = (await evaluateJson(this.ledger, this.identities.forUser(caller), 'license', 'listByHolder', [
      uscc,
      page.pageSize ?? String(DEFAULT_ENTERPRISE_PAGE_SIZE),
      decodeBookmark(page.bookmark),
    ])) as PageRecord<LicenseAnchorRecord>;
    return { uscc, licenses: [...result.items], bookmark: encodeBookmark(result.bookmark) };
  }
}
