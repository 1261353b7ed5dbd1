import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { sendJson } from '@certhub/gateway/dist/http/send-json';

describe('sendJson', () => {
  const app = express();
  app.get('/ok', (_req, res) => {
    sendJson(res, { verdict: 'VALID', holder: '武汉测试有限公司', n: [1, 2] });
  });
  app.get('/created', (_req, res) => {
    sendJson(res, { id: 'x' }, 201);
  });

  it('answers the value as UTF-8 JSON with its byte length and no ETag', async () => {
    const response = await request(app).get('/ok');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
    const text = JSON.stringify({ verdict: 'VALID', holder: '武汉测试有限公司', n: [1, 2] });
    assert.equal(response.headers['content-length'], String(Buffer.byteLength(text)));
    assert.notEqual(Buffer.byteLength(text), text.length, 'the body has multi-byte characters');
    assert.equal(response.headers.etag, undefined);
    assert.equal(response.text, text);
  });

  it('uses the status it is given', async () => {
    const response = await request(app).get('/created');
    assert.equal(response.status, 201);
    assert.deepEqual(response.body, { id: 'x' });
  });
});
