import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createHttpServer } from '@certhub/gateway/dist/http/http-server';

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createHttpServer', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const open = server;
    server = undefined;
    if (open !== undefined)
      await new Promise<void>((resolve) =>
        open.close(() => {
          resolve();
        }),
      );
  });

  it('builds each request and response with the app’s prototypes, so Express has none to swap', async () => {
    const app = express();
    const seen: { request: boolean; response: boolean; instances: boolean }[] = [];
    app.use(express.json());
    app.post('/echo', (req, res) => {
      seen.push({
        request: Object.getPrototypeOf(req) === app.request,
        response: Object.getPrototypeOf(res) === app.response,
        instances: req instanceof IncomingMessage && res instanceof ServerResponse,
      });
      res
        .status(201)
        .set('X-Seen', req.get('x-probe') ?? '')
        .json({ body: req.body as unknown, path: req.path });
    });
    server = createHttpServer(app);
    const url = await listening(server);
    for (const n of [1, 2, 3]) {
      const response = await fetch(`${url}/echo?x=${n}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-probe': `p${n}` },
        body: JSON.stringify({ n, name: '武汉' }),
      });
      assert.equal(response.status, 201);
      assert.equal(response.headers.get('x-seen'), `p${n}`);
      assert.deepEqual(await response.json(), { body: { n, name: '武汉' }, path: '/echo' });
    }
    assert.deepEqual(seen, Array(3).fill({ request: true, response: true, instances: true }));
  });

  it('keeps Express’s error handling: an unknown route is its 404', async () => {
    server = createHttpServer(express());
    const response = await fetch(`${await listening(server)}/nowhere`);
    assert.equal(response.status, 404);
  });
});
