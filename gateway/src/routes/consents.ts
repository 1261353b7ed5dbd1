import { Router } from 'express';
import { getCaller, type TokenLookup } from '../auth';
import type { AccessLogQuery, ConsentRequest, ConsentRevokeRequest } from '../schemas';
import { DEFAULT_ACCESS_LOG_LIMIT, type AccessLogService } from '../services/access-log-service';
import type { ConsentService } from '../services/consent-service';
import { mountDeclared } from './declared-route';

/** Path parameters, already checked against EnterpriseParams / ConsentParams by the declared route's validation. */
const param = (params: Record<string, string | string[] | undefined>, name: string): string => String(params[name]);

/** /v1/enterprises/{uscc}/consents… and /access-log: an enterprise's consents for banks and who looked. */
export function consentsRouter(users: TokenLookup, consents: ConsentService, accessLog: AccessLogService): Router {
  const router = Router();

  mountDeclared(router, users, 'grantConsent', async (req, res) => {
    const uscc = param(req.params, 'uscc');
    const granted = await consents.grant(getCaller(res), uscc, req.body as ConsentRequest);
    res.status(201).location(`/v1/enterprises/${uscc}/consents/${granted.id}`).json(granted);
  });

  mountDeclared(router, users, 'revokeConsent', async (req, res) => {
    const { reason } = req.body as ConsentRevokeRequest;
    res.json(await consents.revoke(getCaller(res), param(req.params, 'uscc'), param(req.params, 'id'), reason));
  });

  mountDeclared(router, users, 'listConsents', async (req, res) => {
    res.json(await consents.list(getCaller(res), param(req.params, 'uscc')));
  });

  mountDeclared(router, users, 'getAccessLog', async (req, res) => {
    const { limit } = req.query as AccessLogQuery;
    const view = await accessLog.forEnterprise(
      getCaller(res),
      param(req.params, 'uscc'),
      limit === undefined ? DEFAULT_ACCESS_LOG_LIMIT : Number(limit),
    );
    res.json(view);
  });
  return router;
}
