import type { User } from '../auth/user';
import type { LedgerIdentity } from '../ledger';
import { AccessDeniedError } from './errors';

/**
 * Which Fabric identity acts on the ledger for whom: each user its own (so the ledger records who acted), and the
 * gateway's service identity for anonymous queries (POST /v1/verify without a token).
 */
export class LedgerIdentities {
  constructor(
    private readonly byUserId: Readonly<Record<string, LedgerIdentity>>,
    private readonly service: LedgerIdentity,
  ) {}

  forUser(user: User): LedgerIdentity {
    const identity = this.byUserId[user.id];
    if (identity === undefined) {
      throw new AccessDeniedError(`user ${user.id} has no ledger identity`, { userId: user.id });
    }
    return identity;
  }

  /** The caller's identity, or the gateway's for an anonymous caller. */
  forCaller(user: User | undefined): LedgerIdentity {
    return user === undefined ? this.service : this.forUser(user);
  }
}
