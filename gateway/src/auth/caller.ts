import type { Response } from 'express';
import { UnauthenticatedError } from './errors';
import type { User } from './user';

/*
 * The authenticated caller of a request lives on `res.locals` (per request, never app-wide). res.locals is untyped, so
 * it is only ever read and written here: a value counts as the caller only if setCaller put it there.
 */

const CALLER_KEY = 'certhubCaller';
const callers = new WeakSet<User>();

function isCaller(value: unknown): value is User {
  return typeof value === 'object' && value !== null && callers.has(value as User);
}

export function setCaller(res: Response, user: User): void {
  callers.add(user);
  res.locals[CALLER_KEY] = user;
}

/** The caller, or undefined for an anonymous request on a route where signing in is optional. */
export function findCaller(res: Response): User | undefined {
  const value: unknown = res.locals[CALLER_KEY];
  return isCaller(value) ? value : undefined;
}

/**
 * The caller of a route that requires authentication.
 * @throws UnauthenticatedError (NO_CALLER) if no caller was set: a route wired without authentication fails closed
 */
export function getCaller(res: Response): User {
  const caller = findCaller(res);
  if (caller === undefined) throw new UnauthenticatedError('NO_CALLER', 'this route requires a signed-in caller');
  return caller;
}
