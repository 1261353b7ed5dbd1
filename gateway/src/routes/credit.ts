import { Router } from 'express';
import { findCaller, getCaller, type TokenLookup } from '../auth';
import {
  IdempotencyKey,
  validate,
  type CreditProfileQuery,
  type CreditRecordChangeRequest,
  type CreditRecordRequest,
} from '../schemas';
import type { CreditDetailAccess } from '../services/credit-detail-access';
import { CreditProfileJson } from '../services/credit-profile-json';
import type { CreditProfiles } from '../services/credit-profiles';
import type { CreditChangeAction, CreditRecords } from '../services/credit-records';
import { mountDeclared } from './declared-route';

/** Path parameters, already checked against their schemas by the declared route's validation. */
const param = (params: Record<string, string | string[] | undefined>, name: string): string => String(params[name]);

const CHANGES: readonly CreditChangeAction[] = ['repair', 'withdraw'];

export interface CreditRouteDeps {
  readonly records: CreditRecords;
  readonly profiles: CreditProfiles;
  /** Decides (and logs) every detailed query of a bank: consent and the audit log. */
  readonly access: CreditDetailAccess;
}

/** /v1/credit-records… and GET /v1/enterprises/{uscc}/credit (issue 6). */
export function creditRouter(users: TokenLookup, { records, profiles, access }: CreditRouteDeps): Router {
  const router = Router();
  const profileJson = new CreditProfileJson();

  mountDeclared(router, users, 'createCreditRecord', async (req, res) => {
    const header = req.get('idempotency-key');
    const key = header === undefined ? undefined : validate(IdempotencyKey, header, 'headers');
    const created = await records.create(getCaller(res), req.body as CreditRecordRequest, key);
    // No Location: records are read through profiles (and the ledger), there is no GET /v1/credit-records/{id}.
    res.status(201).json(created);
  });

  for (const action of CHANGES) {
    mountDeclared(router, users, `${action}CreditRecord`, async (req, res) => {
      const { reason } = req.body as CreditRecordChangeRequest;
      res.json(await records.change(getCaller(res), param(req.params, 'id'), action, reason));
    });
  }

  mountDeclared(router, users, 'getCreditProfile', async (req, res) => {
    const query = req.query as CreditProfileQuery;
    const profile = await profiles.profile(findCaller(res), param(req.params, 'uscc'), {
      ...(query.onDate === undefined ? {} : { onDate: query.onDate }),
      ...(query.detail === 'true' && query.purpose !== undefined ? { detail: { purpose: query.purpose, access } } : {}),
    });
    // The bytes res.json would send (JSON.stringify, UTF-8), written without re-writing unchanged records.
    res.type('application/json; charset=utf-8').send(profileJson.bytes(profile));
  });
  return router;
}
