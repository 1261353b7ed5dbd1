import { sm3Hex } from '@certhub/certs-service';
import type { User } from '@certhub/gateway/dist/auth/user';
import {
  ConsentRequiredError,
  type CreditDetailAccess,
  type DetailGrant,
} from '@certhub/gateway/dist/services/credit-detail-access';

/** A consent the table grants, or the reason it refuses. */
export type TableEntry = { readonly consentId: string; readonly expiresOn: string } | { readonly refuse: string };

export interface LoggedQuery {
  readonly userId: string;
  readonly enterprise: string;
  readonly purpose: string;
  readonly what: string;
}

/**
 * A hand-written CreditDetailAccess for tests (DESIGN.md §8: a fake per narrow interface, not a mock library): grants
 * or refuses per `<user id> <enterprise USCC>` from a table, and keeps the queries it let through, each with a hash
 * chained to the one before, the way the real audit log numbers and chains its entries.
 */
export class TableCreditDetailAccess implements CreditDetailAccess {
  readonly logged: LoggedQuery[] = [];
  readonly asked: LoggedQuery[] = [];
  #head = '0'.repeat(64);

  constructor(private readonly table: Record<string, TableEntry> = {}) {}

  /** Grants (or refuses) `userId` for `enterprise` from now on. */
  set(userId: string, enterprise: string, entry: TableEntry): void {
    this.table[`${userId} ${enterprise}`] = entry;
  }

  openDetail(caller: User, enterprise: string, purpose: string, what: string): Promise<DetailGrant> {
    const query = { userId: caller.id, enterprise, purpose, what };
    this.asked.push(query);
    const entry = this.table[`${caller.id} ${enterprise}`];
    if (entry === undefined || 'refuse' in entry) {
      const reason = entry?.refuse ?? `${enterprise} has given ${caller.org} no consent`;
      return Promise.reject(new ConsentRequiredError(reason, { bank: caller.org, enterprise }));
    }
    this.logged.push(query);
    this.#head = sm3Hex(`${this.#head}${JSON.stringify(query)}`);
    return Promise.resolve({
      consentId: entry.consentId,
      scope: ['credit-detail'],
      expiresOn: entry.expiresOn,
      audit: { seq: this.logged.length, entryHash: this.#head },
    });
  }
}
