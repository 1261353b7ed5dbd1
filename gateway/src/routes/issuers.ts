import { Router } from 'express';
import { getCaller, type TokenLookup } from '../auth';
import type {
  IssuerCertificateRotation,
  IssuerLicenseTypesUpdate,
  IssuerQuery,
  IssuerRegistration,
  IssuerRetirement,
} from '../schemas';
import type { IssuerAdministration } from '../services/issuer-administration';
import { mountDeclared } from './declared-route';

type Params = Record<string, string | string[] | undefined>;

/** Path parameters, already checked against IssuerParams / IssuerCertificateParams by the declared validation. */
const usccOf = (params: Params): string => String(params.uscc);
const fingerprintOf = (params: Params): string => String(params.fingerprint);

/** /v1/issuers: register issuers, rotate and retire their keys, set their license types, and list them. */
export function issuersRouter(users: TokenLookup, issuers: IssuerAdministration): Router {
  const router = Router();

  mountDeclared(router, users, 'registerIssuer', async (req, res) => {
    const registered = await issuers.register(getCaller(res), req.body as IssuerRegistration);
    res.status(201).location(`/v1/issuers/${registered.uscc}`).json(registered);
  });

  mountDeclared(router, users, 'listIssuers', async (req, res) => {
    res.json(await issuers.list(getCaller(res), (req.query as IssuerQuery).region));
  });

  mountDeclared(router, users, 'getIssuer', async (req, res) => {
    res.json(await issuers.get(getCaller(res), usccOf(req.params)));
  });

  mountDeclared(router, users, 'addIssuerCertificate', async (req, res) => {
    const added = await issuers.addCertificate(
      getCaller(res),
      usccOf(req.params),
      req.body as IssuerCertificateRotation,
    );
    res.status(201).location(`/v1/issuers/${added.uscc}`).json(added);
  });

  mountDeclared(router, users, 'retireIssuerCertificate', async (req, res) => {
    res.json(
      await issuers.retireCertificate(
        getCaller(res),
        usccOf(req.params),
        fingerprintOf(req.params),
        req.body as IssuerRetirement,
      ),
    );
  });

  mountDeclared(router, users, 'setIssuerLicenseTypes', async (req, res) => {
    res.json(await issuers.setLicenseTypes(getCaller(res), usccOf(req.params), req.body as IssuerLicenseTypesUpdate));
  });
  return router;
}
