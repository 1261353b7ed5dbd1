import { Router } from 'express';
import { findCaller, type TokenLookup } from '../auth';
import type { VerifyRequest } from '../schemas';
import type { Verifier } from '../verification/verifier';
import { sendJson } from '../http/send-json';
import { mountDeclared } from './declared-route';

/** POST /v1/verify: open to anyone; a signed-in caller also learns whether its region recognises the license. */
export function verifyRouter(users: TokenLookup, verifier: Verifier): Router {
  const router = Router();
  mountDeclared(router, users, 'verify', async (req, res) => {
    // The busiest route: sendJson's one-write answer, not res.json's (see send-json.ts).
    sendJson(res, await verifier.verify(findCaller(res), req.body as VerifyRequest));
  });
  return router;
}
