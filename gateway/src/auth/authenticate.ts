import type { Request, RequestHandler, Response } from 'express';
import { setCaller } from './caller';
import { UnauthenticatedError } from './errors';
import { isWellFormedToken } from './token-hash';
import type { TokenLookup } from './user-directory';

/*
 * Bearer authentication (RFC 6750). The scheme name is case-insensitive (RFC 9110 §11.1); the token is not. A 401
 * carries WWW-Authenticate as RFC 6750 §3 asks, with error="invalid_token" when a token was sent but is unusable.
 */

const REALM = 'certhub';
const BEARER = /^Bearer +(\S+) *$/i;

function challenge(res: Response, error?: 'invalid_request' | 'invalid_token'): void {
  res.set('WWW-Authenticate', `Bearer realm="${REALM}"${error === undefined ? '' : `, error="${error}"`}`);
}

/** The token of `Authorization: Bearer <token>`, undefined without the header. */
function bearerToken(req: Request, res: Response): string | undefined {
  const header = req.get('authorization');
  if (header === undefined) return undefined;
  const match = BEARER.exec(header);
  const token = match?.[1];
  if (token === undefined || !isWellFormedToken(token)) {
    challenge(res, 'invalid_request');
    throw new UnauthenticatedError('MALFORMED_TOKEN', 'the Authorization header must be "Bearer <token>"');
  }
  return token;
}

function identify(users: TokenLookup, req: Request, res: Response, required: boolean): void {
  const token = bearerToken(req, res);
  if (token === undefined) {
    if (!required) return;
    challenge(res);
    throw new UnauthenticatedError('MISSING_TOKEN', 'this route requires an Authorization: Bearer token');
  }
  const user = users.findByToken(token);
  if (user === undefined) {
    challenge(res, 'invalid_token');
    throw new UnauthenticatedError('UNKNOWN_TOKEN', 'the bearer token is not valid');
  }
  setCaller(res, user);
}

/** Requires a valid bearer token and sets the caller; 401 (UNAUTHENTICATED) otherwise. */
export function requireAuthentication(users: TokenLookup): RequestHandler {
  return (req, res, next) => {
    identify(users, req, res, true);
    next();
  };
}

/**
 * For routes open to anonymous callers (POST /v1/verify): no header means anonymous, but a header that is present
 * must be valid — a client that meant to sign in is told, rather than silently treated as anonymous.
 */
export function optionalAuthentication(users: TokenLookup): RequestHandler {
  return (req, res, next) => {
    identify(users, req, res, false);
    next();
  };
}
