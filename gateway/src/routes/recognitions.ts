import { Router } from 'express';
import { getCaller, type TokenLookup } from '../auth';
import type { RecognitionProposal, RecognitionQuery, RecognitionRevokeRequest } from '../schemas';
import type { RecognitionService } from '../services/recognition-service';
import { mountDeclared } from './declared-route';

/** Path parameter `id`, already checked against RecognitionIdParams by the declared route's validation. */
const idOf = (params: Record<string, string | string[] | undefined>): string => String(params.id);

/** /v1/recognitions: propose, accept, revoke and list mutual-recognition agreements. */
export function recognitionsRouter(users: TokenLookup, recognitions: RecognitionService): Router {
  const router = Router();

  mountDeclared(router, users, 'proposeRecognition', async (req, res) => {
    const proposed = await recognitions.propose(getCaller(res), req.body as RecognitionProposal);
    res.status(201).location(`/v1/recognitions/${proposed.id}`).json(proposed);
  });

  mountDeclared(router, users, 'acceptRecognition', async (req, res) => {
    res.json(await recognitions.accept(getCaller(res), idOf(req.params)));
  });

  mountDeclared(router, users, 'revokeRecognition', async (req, res) => {
    const { reason } = req.body as RecognitionRevokeRequest;
    res.json(await recognitions.revoke(getCaller(res), idOf(req.params), reason));
  });

  mountDeclared(router, users, 'listRecognitions', async (req, res) => {
    // Checked against RecognitionQuery by the declared route's validation.
    const query: RecognitionQuery = req.query;
    res.json(await recognitions.list(getCaller(res), query));
  });
  return router;
}
