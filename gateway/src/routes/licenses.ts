import { Router } from 'express';
import { getCaller, type TokenLookup } from '../auth';
import { qrPayload, renderQrPng, renderQrSvg } from '../qr';
import {
  IdempotencyKey,
  validate,
  type LicenseAmendRequest,
  type LicenseIssueRequest,
  type LicenseStatusChangeRequest,
} from '../schemas';
import type { LicenseService, StatusAction } from '../services/license-service';
import { mountDeclared } from './declared-route';

/** Path parameter `id`, already checked against LicenseIdParams by the declared route's validation. */
const licenseIdOf = (params: Record<string, string | string[] | undefined>): string => String(params.id);

const STATUS_ACTIONS: readonly StatusAction[] = ['suspend', 'reinstate', 'revoke', 'cancel'];

/** /v1/licenses…: issue, read, history, QR codes, status changes and amendments. */
export function licensesRouter(users: TokenLookup, licenses: LicenseService): Router {
  const router = Router();

  mountDeclared(router, users, 'issueLicense', async (req, res) => {
    const header = req.get('idempotency-key');
    const key = header === undefined ? undefined : validate(IdempotencyKey, header, 'headers');
    const issued = await licenses.issue(getCaller(res), req.body as LicenseIssueRequest, key);
    res.status(201).location(`/v1/licenses/${issued.licenseId}`).json(issued);
  });

  mountDeclared(router, users, 'getLicense', async (req, res) => {
    res.json(await licenses.get(getCaller(res), licenseIdOf(req.params)));
  });

  mountDeclared(router, users, 'getLicenseDocument', async (req, res) => {
    res.json(await licenses.document(getCaller(res), licenseIdOf(req.params)));
  });

  mountDeclared(router, users, 'getLicenseHistory', async (req, res) => {
    res.json(await licenses.history(getCaller(res), licenseIdOf(req.params)));
  });

  mountDeclared(router, users, 'getLicenseQrSvg', async (req, res) => {
    const anchor = await licenses.get(undefined, licenseIdOf(req.params));
    res.type('image/svg+xml').send(await renderQrSvg(qrPayload(anchor.licenseId, anchor.docHash)));
  });

  mountDeclared(router, users, 'getLicenseQrPng', async (req, res) => {
    const anchor = await licenses.get(undefined, licenseIdOf(req.params));
    res.type('image/png').send(await renderQrPng(qrPayload(anchor.licenseId, anchor.docHash)));
  });

  mountDeclared(router, users, 'amendLicense', async (req, res) => {
    const header = req.get('idempotency-key');
    const key = header === undefined ? undefined : validate(IdempotencyKey, header, 'headers');
    const amended = await licenses.amend(getCaller(res), licenseIdOf(req.params), req.body as LicenseAmendRequest, key);
    res.status(201).location(`/v1/licenses/${amended.licenseId}`).json(amended);
  });

  for (const action of STATUS_ACTIONS) {
    mountDeclared(router, users, `${action}License`, async (req, res) => {
      const { reason } = req.body as LicenseStatusChangeRequest;
      res.json(await licenses.changeStatus(getCaller(res), licenseIdOf(req.params), action, reason));
    });
  }
  return router;
}
