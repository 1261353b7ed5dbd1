import { Router } from 'express';
import { findCaller, getCaller, type TokenLookup } from '../auth';
import type { RegistryService } from '../services/registry-service';
import { mountDeclared } from './declared-route';

/** GET /v1/me and GET /v1/license-types. */
export function accountRouter(users: TokenLookup, registry: RegistryService): Router {
  const router = Router();
  mountDeclared(router, users, 'getMe', async (_req, res) => {
    res.json(await registry.profile(getCaller(res)));
  });
  mountDeclared(router, users, 'listLicenseTypes', async (_req, res) => {
    res.json(await registry.licenseTypes(findCaller(res)));
  });
  return router;
}
