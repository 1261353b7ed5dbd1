import { Router } from 'express';
import { getCaller, type TokenLookup } from '../auth';
import type { EnterpriseLicensesQuery } from '../schemas';
import type { EnterpriseLicenses } from '../services/enterprise-licenses';
import { mountDeclared } from './declared-route';

/** GET /v1/enterprises/{uscc}/licenses: the licenses an enterprise holds, a page at a time. */
export function enterprisesRouter(users: TokenLookup, enterprises: EnterpriseLicenses): Router {
  const router = Router();
  mountDeclared(router, users, 'getEnterpriseLicenses', async (req, res) => {
    const uscc = String(req.params.uscc);
    // Checked against EnterpriseLicensesQuery by the declared route's validation.
    const page: EnterpriseLicensesQuery = req.query;
    res.json(await enterprises.list(getCaller(res), uscc, page));
  });
  return router;
}
