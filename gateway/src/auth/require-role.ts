import type { RequestHandler } from 'express';
import { getCaller } from './caller';
import { ForbiddenError } from './errors';
import type { Role } from './user';

/**
 * Lets the request through only if the caller has one of `roles`: 401 when no caller was authenticated, 403
 * (FORBIDDEN) for another role. Finer rules (own issuer, own region) belong to the service and the chaincode.
 */
export function requireRole(...roles: readonly Role[]): RequestHandler {
  if (roles.length === 0) throw new TypeError('requireRole needs at least one role');
  const allowed: ReadonlySet<Role> = new Set(roles);
  return (_req, res, next) => {
    const caller = getCaller(res);
    if (!allowed.has(caller.role)) throw new ForbiddenError(caller.id, caller.role, roles);
    next();
  };
}
