import { CertHubError } from '@certhub/certs-service';
import { ConfigError } from '../config';
import type { Role } from './user';

/**
 * Why a request carries no usable identity:
 * - `MISSING_TOKEN`: no Authorization header;
 * - `MALFORMED_TOKEN`: not `Bearer <token>` with an RFC 6750 token;
 * - `UNKNOWN_TOKEN`: well-formed but no user has it;
 * - `NO_CALLER`: a handler asked for the caller on a route that did not authenticate (fails closed).
 */
export type UnauthenticatedReason = 'MISSING_TOKEN' | 'MALFORMED_TOKEN' | 'UNKNOWN_TOKEN' | 'NO_CALLER';

/** 401: the request must carry a valid bearer token. The token itself is never part of the error. */
export class UnauthenticatedError extends CertHubError {
  readonly code = 'UNAUTHENTICATED';
  declare readonly context: Readonly<{ reason: UnauthenticatedReason }>;

  constructor(reason: UnauthenticatedReason, message: string) {
    super(message, { reason });
  }

  get reason(): UnauthenticatedReason {
    return this.context.reason;
  }
}

/** 403: the caller is known but its role may not do this. */
export class ForbiddenError extends CertHubError {
  readonly code = 'FORBIDDEN';
  declare readonly context: Readonly<{ userId: string; role: Role; allowed: readonly Role[] }>;

  constructor(userId: string, role: Role, allowed: readonly Role[]) {
    super(`role ${role} may not do this; needs ${allowed.join(' or ')}`, { userId, role, allowed });
  }
}

/**
 * The users file is unreadable, not valid JSON, or an entry is wrong; the gateway must not start with it. A kind of
 * ConfigError (code CONFIG_INVALID), so start-up handles it like any other bad setting; `context.entry` names the
 * offending entry by index and id.
 */
export class UsersFileError extends ConfigError {
  declare readonly context: Readonly<UsersFileErrorContext>;
}

export interface UsersFileErrorContext {
  readonly file: string;
  readonly entry?: number;
  readonly userId?: string;
  readonly problems?: readonly string[];
}
