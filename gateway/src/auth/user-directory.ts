import { UsersFileError } from './errors';
import { tokenHash, tokenHashesEqual } from './token-hash';
import type { User } from './user';

/** A user and the SM3 hash of its bearer token, as the users file and the development seed provide them. */
export interface UserEntry {
  readonly tokenHash: string;
  readonly user: User;
}

/** What authentication needs: a token in, a user (or nothing) out. Tests and other stores implement it too. */
export interface TokenLookup {
  findByToken(token: string): User | undefined;
}

/**
 * All users, found by token. The map is keyed by the token's SM3 hash: how long the lookup takes depends only on a
 * digest an attacker cannot steer toward a stored one, and the final match is confirmed with a constant-time compare.
 */
export class UserDirectory implements TokenLookup {
  readonly #byHash: ReadonlyMap<string, UserEntry>;
  readonly #byId: ReadonlyMap<string, User>;

  private constructor(byHash: Map<string, UserEntry>, byId: Map<string, User>) {
    this.#byHash = byHash;
    this.#byId = byId;
  }

  /**
   * @param source named in errors (a file path, "development users")
   * @throws UsersFileError on a duplicate user id or token hash
   */
  static fromEntries(entries: readonly UserEntry[], source = 'users'): UserDirectory {
    const byHash = new Map<string, UserEntry>();
    const byId = new Map<string, User>();
    entries.forEach((entry, index) => {
      if (byId.has(entry.user.id)) {
        throw new UsersFileError(`${source}: users[${index}] repeats the id "${entry.user.id}"`, {
          file: source,
          entry: index,
          userId: entry.user.id,
        });
      }
      if (byHash.has(entry.tokenHash)) {
        // Two users with one token would make the caller ambiguous; never pick one silently.
        throw new UsersFileError(`${source}: users[${index}] ("${entry.user.id}") shares its token with another user`, {
          file: source,
          entry: index,
          userId: entry.user.id,
        });
      }
      byHash.set(
        entry.tokenHash,
        Object.freeze({ tokenHash: entry.tokenHash, user: Object.freeze({ ...entry.user }) }),
      );
      byId.set(entry.user.id, entry.user);
    });
    return new UserDirectory(byHash, byId);
  }

  findByToken(token: string): User | undefined {
    const hash = tokenHash(token);
    const entry = this.#byHash.get(hash);
    return entry !== undefined && tokenHashesEqual(entry.tokenHash, hash) ? entry.user : undefined;
  }

  findById(id: string): User | undefined {
    return this.#byId.get(id);
  }

  get users(): readonly User[] {
    return [...this.#byHash.values()].map((entry) => entry.user);
  }

  get size(): number {
    return this.#byHash.size;
  }
}
