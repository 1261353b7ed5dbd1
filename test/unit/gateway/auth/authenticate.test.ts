import assert from 'node:assert/strict';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { findCaller, getCaller } from '@certhub/gateway/dist/auth/caller';
import { optionalAuthentication, requireAuthentication } from '@certhub/gateway/dist/auth/authenticate';
import { requireRole } from '@certhub/gateway/dist/auth/require-role';
import { developmentUserDirectory } from '@certhub/gateway/dist/auth/development-users';
import { ForbiddenError, UnauthenticatedError } from '@certhub/gateway/dist/auth/errors';
import { problemFor } from '@certhub/gateway/dist/http/problem';

type Body = Record<string, unknown> & {
  code?: string;
  reason?: string;
  detail?: string;
  caller?: string | null;
  issuer?: { code: string; name: string } | null;
};
const body = (res: request.Response): Body => res.body as Body;

/** A small app wired like the gateway: auth middleware, then the lead's problem+json mapping of typed errors. */
function app(): express.Express {
  const users = developmentUserDirectory();
  const a = express();
  a.get('/me', requireAuthentication(users), (_req, res) => {
    res.json(getCaller(res));
  });
  a.post('/issue', requireAuthentication(users), requireRole('clerk'), (_req, res) => {
    res.status(201).json({ issuer: getCaller(res).issuer });
  });
  a.post('/verify', optionalAuthentication(users), (_req, res) => {
    res.json({ caller: findCaller(res)?.id ?? null });
  });
  a.get('/unguarded', (_req, res) => {
    res.json(getCaller(res));
  });
  a.get('/role-without-auth', requireRole('bank'), (_req, res) => {
    res.json({});
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const problem = problemFor(error);
    const reason = error instanceof UnauthenticatedError ? error.reason : undefined;
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify({ ...problem, reason }));
  };
  a.use(onError);
  return a;
}

describe('auth/authenticate, caller, requireRole', () => {
  const server = app();

  it('sets the caller from a valid bearer token', async () => {
    const res = await request(server).get('/me').set('Authorization', 'Bearer dev-wuhan-clerk').expect(200);
    assert.equal(body(res).id, 'wuhan-clerk');
    assert.equal(body(res).org, 'WuhanMSP');
    assert.equal(body(res).role, 'clerk');
    assert.equal(body(res).region, '420100');
    assert.deepEqual(body(res).issuer, { code: '114201000111350663', name: '武汉市市场监督管理局' });
  });

  it('accepts the scheme name in any case (RFC 9110)', async () => {
    const res = await request(server).get('/me').set('Authorization', 'bearer dev-bank').expect(200);
    assert.equal(body(res).role, 'bank');
  });

  it('rejects a missing token with 401 UNAUTHENTICATED and a Bearer challenge', async () => {
    const res = await request(server).get('/me').expect(401);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(body(res).code, 'UNAUTHENTICATED');
    assert.equal(body(res).reason, 'MISSING_TOKEN');
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="certhub"');
  });

  for (const header of ['Basic ZGV2OmRldg==', 'Bearer', 'Bearer a b', 'Bearer tök', 'dev-wuhan-clerk']) {
    it(`rejects a malformed Authorization header ${JSON.stringify(header)} as MALFORMED_TOKEN`, async () => {
      const res = await request(server).get('/me').set('Authorization', header).expect(401);
      assert.equal(body(res).reason, 'MALFORMED_TOKEN');
      assert.match(String(res.headers['www-authenticate']), /error="invalid_request"/);
    });
  }

  it('rejects an unknown token as UNKNOWN_TOKEN without echoing it', async () => {
    const res = await request(server).get('/me').set('Authorization', 'Bearer not-a-user-token').expect(401);
    assert.equal(body(res).reason, 'UNKNOWN_TOKEN');
    assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
    assert.ok(!JSON.stringify(body(res)).includes('not-a-user-token'));
  });

  it('lets the allowed role through requireRole and answers 403 FORBIDDEN for another role', async () => {
    const ok = await request(server).post('/issue').set('Authorization', 'Bearer dev-guangde-clerk').expect(201);
    assert.equal(body(ok).issuer?.code, '113418820031587274');
    const denied = await request(server).post('/issue').set('Authorization', 'Bearer dev-bank').expect(403);
    assert.equal(body(denied).code, 'FORBIDDEN');
    assert.match(String(body(denied).detail), /role bank may not do this; needs clerk/);
  });

  it('optional authentication: anonymous without a header, the caller with one, 401 for a bad one', async () => {
    assert.equal(body(await request(server).post('/verify').expect(200)).caller, null);
    const signedIn = await request(server).post('/verify').set('Authorization', 'Bearer dev-guangde-verifier');
    assert.equal(body(signedIn).caller, 'guangde-verifier');
    const bad = await request(server).post('/verify').set('Authorization', 'Bearer wrong').expect(401);
    assert.equal(body(bad).reason, 'UNKNOWN_TOKEN');
  });

  it('fails closed when a route reads the caller or guards a role without authenticating', async () => {
    assert.equal(body(await request(server).get('/unguarded').expect(401)).reason, 'NO_CALLER');
    assert.equal(body(await request(server).get('/role-without-auth').expect(401)).reason, 'NO_CALLER');
  });

  it('refuses to build a guard with no roles', () => {
    assert.throws(() => requireRole(), TypeError);
  });

  it('carries stable codes and context on its errors', () => {
    const forbidden = new ForbiddenError('bank', 'bank', ['clerk']);
    assert.equal(forbidden.code, 'FORBIDDEN');
    assert.deepEqual(forbidden.context, { userId: 'bank', role: 'bank', allowed: ['clerk'] });
    assert.equal(new UnauthenticatedError('MISSING_TOKEN', 'x').code, 'UNAUTHENTICATED');
  });
});
