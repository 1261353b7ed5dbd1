import assert from 'node:assert/strict';
import request from 'supertest';
import { parseLicenseId } from '@certhub/certs-service';
import { DEVELOPMENT_ISSUERS } from '@certhub/gateway/dist/auth';
import type { Problem } from '@certhub/gateway/dist/http/problem';
import { ROUTES } from '@certhub/gateway/dist/openapi';
import { validationIssues } from '@certhub/gateway/dist/schemas';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from './hub-app';
import { licenseRequests, ndjsonOf, storedJobCount, transactionsByFn, type JobBody } from '../jobs/job-fixtures';

const WUHAN_CLERK = bearer('dev-wuhan-clerk');
const GUANGDE_CLERK = bearer('dev-guangde-clerk');
const problem = (res: request.Response): Problem => res.body as Problem;

/** Small limits so each one can be crossed cheaply; 3 MiB of body is still more than the 1 MiB JSON body limit. */
const LIMITS = { maxItems: 20, maxBytes: 3 * 1_048_576, maxItemBytes: 64 * 1024 };
const BATCH_SIZE = 4;

function publishedSchema(operationId: string, status: number) {
  const schema = ROUTES.find((r) => r.operationId === operationId)?.responses[status]?.schema;
  assert.ok(schema, `${operationId} publishes a ${status} schema`);
  return schema;
}

describe('bulk import routes: POST /v1/licenses/batch and GET /v1/jobs/{jobId}', function () {
  this.timeout(120_000);
  let hub: HubApp;

  before(async () => {
    hub = await openHubApp({ imports: { limits: LIMITS, batchSize: BATCH_SIZE } });
  });
  after(async () => {
    await hub.dispose();
  });

  const postJson = (body: unknown, headers: Record<string, string> = WUHAN_CLERK) =>
    request(hub.app)
      .post('/v1/licenses/batch')
      .set(headers)
      .send(body as object);
  const postNdjson = (text: string, headers: Record<string, string> = WUHAN_CLERK) =>
    request(hub.app).post('/v1/licenses/batch').set(headers).set('Content-Type', 'application/x-ndjson').send(text);
  const postRaw = (text: string, contentType = 'application/json', headers = WUHAN_CLERK) =>
    request(hub.app).post('/v1/licenses/batch').set(headers).set('Content-Type', contentType).send(text);
  const getJob = (jobId: string, query = '', headers = WUHAN_CLERK) =>
    request(hub.app).get(`/v1/jobs/${jobId}${query}`).set(headers);

  /** Waits for the runner, then reads the job as its clerk. */
  async function finished(res: request.Response, headers = WUHAN_CLERK): Promise<JobBody> {
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await hub.hub.api.jobs.idle();
    const job = await getJob((res.body as { jobId: string }).jobId, '?limit=1000', headers);
    assert.equal(job.status, 200, JSON.stringify(job.body));
    return job.body as JobBody;
  }

  /** Runs `act` and asserts it wrote nothing: no job stored, no transaction on the ledger. */
  async function writesNothing(act: () => Promise<unknown>): Promise<void> {
    await hub.hub.api.jobs.idle();
    const height = hub.hub.ledger.height;
    const jobs = await storedJobCount(hub.hub);
    await act();
    await hub.hub.api.jobs.idle();
    assert.equal(await storedJobCount(hub.hub), jobs, 'no job stored');
    assert.equal(hub.hub.ledger.height, height, 'nothing on the ledger');
  }

  describe('happy paths', () => {
    it('imports a JSON array: 202 with Location, every item issued in Merkle batches, readable as licenses', async () => {
      const height = hub.hub.ledger.height;
      const items = licenseRequests(10, 'json');
      const res = await postJson(items);
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const accepted = res.body as { jobId: string; total: number };
      assert.equal(accepted.total, 10);
      assert.equal(res.get('location'), `/v1/jobs/${accepted.jobId}`);
      assert.deepEqual(validationIssues(publishedSchema('issueLicenseBatch', 202), res.body), []);

      const job = await finished(res);
      assert.deepEqual(validationIssues(publishedSchema('getJob', 200), job), []);
      assert.equal(job.status, 'COMPLETED');
      assert.deepEqual([job.total, job.processed, job.succeeded, job.failed], [10, 10, 10, 0]);
      assert.deepEqual(
        job.items.map((i) => [i.index, i.status]),
        items.map((_, i) => [i, 'ISSUED']),
      );
      // One root per batch of 4 (10 items → 3 batches), each license then recorded as its own anchor.
      const txs = await transactionsByFn(hub.hub, height);
      assert.equal(txs.anchorBatch, 3);
      assert.equal(txs.recordBatchMember, 10);
      assert.equal(txs.anchor, undefined);
      assert.equal(new Set(job.items.map((i) => i.batchId)).size, 3);

      const first = job.items[0]!;
      const id = parseLicenseId(first.licenseId!);
      assert.equal(id.issuerUscc, '114201000111350663');
      assert.equal(id.version, 1);
      const anchor = (await request(hub.app).get(`/v1/licenses/${first.licenseId!}`).set(WUHAN_CLERK).expect(200))
        .body as { docHash: string; status: string; batchId: string };
      assert.equal(anchor.docHash, first.docHash);
      assert.equal(anchor.status, '01');
      assert.equal(anchor.batchId, first.batchId);
      const document = (
        await request(hub.app).get(`/v1/licenses/${first.licenseId!}/document`).set(WUHAN_CLERK).expect(200)
      ).body as { number: string; proof: { batch: { batchId: string; leafIndex: number } } };
      assert.equal(document.number, items[0]!.number);
      assert.equal(document.proof.batch.batchId, first.batchId);
      assert.equal(document.proof.batch.leafIndex, 0);
    });

    it('imports an NDJSON stream; item indexes are line numbers − 1 and blank lines are skipped', async () => {
      const items = licenseRequests(3, 'nd');
      const text = `${JSON.stringify(items[0])}\n\n${JSON.stringify(items[1])}\r\n${JSON.stringify(items[2])}`;
      const job = await finished(await postNdjson(text));
      assert.equal(job.status, 'COMPLETED');
      assert.deepEqual(
        job.items.map((i) => [i.index, i.status]),
        [
          [0, 'ISSUED'],
          [2, 'ISSUED'],
          [3, 'ISSUED'],
        ],
      );
    });

    it('reads a batch body larger than the 1 MiB JSON body limit of other routes', async () => {
      const filler = 'x'.repeat(60_000);
      const items = licenseRequests(18, 'big').map((item) => ({ ...item, fields: { note: filler } }));
      assert.ok(JSON.stringify(items).length > 1_048_576);
      const job = await finished(await postJson(items));
      assert.equal(job.succeeded, 18);
    });
  });

  describe('items that fail', () => {
    it('issues the valid items and reports each invalid one as FAILED with a code and the failing field', async () => {
      const valid = licenseRequests(3, 'mixed');
      const items = [
        valid[0],
        businessLicenseRequest({ holder: { name: 'x', idType: '001', id: '91420100303217469A' } }),
        businessLicenseRequest({ surprise: true }),
        valid[1],
        businessLicenseRequest({ typeCode: '11100000000013338W099' }),
        businessLicenseRequest({ holder: { name: '张三', idType: '111', id: '11010519491231002X' } }),
        42,
        valid[2],
      ];
      const job = await finished(await postJson(items));
      assert.equal(job.status, 'COMPLETED');
      assert.deepEqual([job.total, job.succeeded, job.failed], [8, 3, 5]);
      const byIndex = new Map(job.items.map((i) => [i.index, i]));
      for (const index of [0, 3, 7]) assert.equal(byIndex.get(index)?.status, 'ISSUED');
      const failure = (index: number) => {
        const item = byIndex.get(index);
        assert.equal(item?.status, 'FAILED', JSON.stringify(item));
        assert.equal(item.licenseId, undefined, 'a failed item has no license');
        return item.error!;
      };
      assert.equal(failure(1).code, 'VALIDATION_FAILED');
      assert.match(failure(1).detail, /\/holder\/id: .*CHECK_CHARACTER/);
      assert.match(failure(2).detail, /\/surprise: is not a known field/);
      assert.equal(failure(4).code, 'ISSUER_NOT_AUTHORISED');
      assert.match(failure(4).detail, /11100000000013338W099 is not registered/);
      assert.equal(failure(5).code, 'ISSUER_NOT_AUTHORISED');
      assert.match(failure(5).detail, /holders of ID type 001/);
      assert.match(failure(6).detail, /\(root\): must be object/);
    });

    it('completes a job in which every item fails, anchoring nothing', async () => {
      const height = hub.hub.ledger.height;
      const job = await finished(await postJson([{}, { typeCode: 1 }]));
      assert.equal(job.status, 'COMPLETED');
      assert.deepEqual([job.succeeded, job.failed], [0, 2]);
      assert.equal(hub.hub.ledger.height, height);
    });
  });

  describe('access', () => {
    it('refuses anonymous callers (401) and non-clerks (403) before reading the body, writing nothing', async () => {
      await writesNothing(async () => {
        const items = licenseRequests(1);
        assert.equal((await request(hub.app).post('/v1/licenses/batch').send(items)).status, 401);
        for (const token of ['dev-bank', 'dev-wuhan-admin', 'dev-guangde-verifier', 'dev-hub-admin']) {
          const res = await postJson(items, bearer(token));
          assert.equal(res.status, 403, token);
          assert.equal(problem(res).code, 'FORBIDDEN');
        }
        assert.equal((await postJson(items, bearer('not-a-token'))).status, 401);
      });
    });

    it('shows a job only to clerks of its issuer: 404 for another issuer’s clerk, 403/401 for others', async () => {
      const { jobId } = await finished(await postJson(licenseRequests(1, 'access')));
      const other = await getJob(jobId, '', GUANGDE_CLERK);
      assert.equal(other.status, 404);
      assert.equal(problem(other).code, 'JOB_NOT_FOUND');
      // The same answer as for a job that does not exist: IDs do not leak.
      const unknown = await getJob('00000000-0000-4000-8000-000000000000');
      assert.equal(unknown.status, 404);
      assert.equal(problem(unknown).code, 'JOB_NOT_FOUND');
      assert.equal((await getJob(jobId, '', bearer('dev-bank'))).status, 403);
      assert.equal((await request(hub.app).get(`/v1/jobs/${jobId}`)).status, 401);
    });

    it('imports for the caller’s own issuer', async () => {
      const job = await finished(await postJson(licenseRequests(1, 'gd'), GUANGDE_CLERK), GUANGDE_CLERK);
      assert.equal(job.status, 'COMPLETED');
      assert.equal(parseLicenseId(job.items[0]!.licenseId!).issuerUscc, DEVELOPMENT_ISSUERS.GUANGDE_AMR.code);
    });
  });

  describe('malformed and oversized bodies: 4xx naming the problem, nothing written', () => {
    it('malformed JSON → 400 MALFORMED_JSON naming the line', async () => {
      await writesNothing(async () => {
        const good = JSON.stringify(licenseRequests(1)[0]);
        const res = await postRaw(`[\n${good},\n{"typeCode": ,}\n]`);
        assert.equal(res.status, 400);
        assert.equal(problem(res).code, 'MALFORMED_JSON');
        assert.equal(problem(res).line, 3);
        assert.match(problem(res).detail, /item 1 \(line 3\)/);
      });
    });

    it('a malformed NDJSON line → 400 MALFORMED_NDJSON naming the line, even after valid lines', async () => {
      await writesNothing(async () => {
        const res = await postNdjson(`${ndjsonOf(licenseRequests(2))}{"typeCode":\n`);
        assert.equal(res.status, 400);
        assert.equal(problem(res).code, 'MALFORMED_NDJSON');
        assert.equal(problem(res).line, 3);
      });
    });

    it('a JSON body that is not an array, or an empty batch → 400', async () => {
      await writesNothing(async () => {
        const object = await postJson(licenseRequests(1)[0]);
        assert.equal(object.status, 400);
        assert.equal(problem(object).code, 'MALFORMED_JSON');
        assert.match(problem(object).detail, /must be a JSON array/);
        for (const res of [await postJson([]), await postNdjson('\n\n')]) {
          assert.equal(res.status, 400);
          assert.equal(problem(res).code, 'VALIDATION_FAILED');
          assert.match(problem(res).detail, /at least 1 issue request/);
        }
      });
    });

    it('another media type or a compressed body → 415', async () => {
      await writesNothing(async () => {
        const text = JSON.stringify(licenseRequests(1));
        for (const type of ['text/plain', 'application/x-ndjson; charset=iso-8859-1']) {
          const res = await postRaw(text, type);
          assert.equal(res.status, 415, type);
          assert.equal(problem(res).code, 'UNSUPPORTED_MEDIA_TYPE');
        }
        const gzip = await request(hub.app)
          .post('/v1/licenses/batch')
          .set(WUHAN_CLERK)
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'gzip')
          .send(text);
        assert.equal(gzip.status, 415);
      });
    });

    it('more items than the limit → 413 BATCH_TOO_LARGE, as JSON and as NDJSON', async () => {
      await writesNothing(async () => {
        const items = licenseRequests(LIMITS.maxItems + 1);
        const json = await postJson(items);
        assert.equal(json.status, 413);
        assert.equal(problem(json).code, 'BATCH_TOO_LARGE');
        assert.match(problem(json).detail, /more than 20 items/);
        const ndjson = await postNdjson(ndjsonOf(items));
        assert.equal(ndjson.status, 413);
        assert.equal(problem(ndjson).code, 'BATCH_TOO_LARGE');
        assert.equal(problem(ndjson).line, 21);
      });
    });

    it('more bytes than the limit → 413 PAYLOAD_TOO_LARGE, declared up front or streamed', async () => {
      await writesNothing(async () => {
        const padded = `[${' '.repeat(LIMITS.maxBytes)}]`;
        const declared = await postRaw(padded);
        assert.equal(declared.status, 413);
        assert.equal(problem(declared).code, 'PAYLOAD_TOO_LARGE');
        // Without Content-Length (chunked), the limit is counted while reading.
        const chunked = await new Promise<request.Response>((resolve, reject) => {
          const req = request(hub.app)
            .post('/v1/licenses/batch')
            .set(WUHAN_CLERK)
            .set('Content-Type', 'application/x-ndjson')
            .set('Transfer-Encoding', 'chunked');
          // Blank lines: no items to count, so only the byte limit can stop this body.
          const line = `${' '.repeat(60_000)}\n`;
          for (let sent = 0; sent <= LIMITS.maxBytes; sent += line.length) req.write(line);
          req.end((error: unknown, res?: request.Response) => {
            if (res === undefined) reject(error instanceof Error ? error : new Error(String(error)));
            else resolve(res);
          });
        });
        assert.equal(chunked.status, 413);
        assert.equal(problem(chunked).code, 'PAYLOAD_TOO_LARGE');
      });
    });

    it('an item larger than any document may be → 413 BATCH_ITEM_TOO_LARGE naming the line', async () => {
      await writesNothing(async () => {
        const huge = { ...licenseRequests(1)[0], fields: { note: 'x'.repeat(LIMITS.maxItemBytes) } };
        const res = await postNdjson(ndjsonOf([licenseRequests(1)[0], huge]));
        assert.equal(res.status, 413);
        assert.equal(problem(res).code, 'BATCH_ITEM_TOO_LARGE');
        assert.equal(problem(res).line, 2);
      });
    });

    it('a malformed Idempotency-Key → 400', async () => {
      await writesNothing(async () => {
        const res = await postJson(licenseRequests(1), { ...WUHAN_CLERK, 'Idempotency-Key': 'has space' });
        assert.equal(res.status, 400);
        assert.equal(problem(res).code, 'VALIDATION_FAILED');
      });
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the same job for the same key and items (JSON or NDJSON), one job and one set of licenses', async () => {
      const items = licenseRequests(5, 'idem');
      const key = { ...WUHAN_CLERK, 'Idempotency-Key': 'batch-idem-1' };
      const jobs = await storedJobCount(hub.hub);
      const [a, b] = await Promise.all([postJson(items, key), postJson(items, key)]);
      const first = await finished(a);
      const c = await postNdjson(ndjsonOf(items), key);
      for (const res of [b, c]) {
        assert.equal(res.status, 202);
        assert.equal((res.body as { jobId: string }).jobId, first.jobId);
        assert.equal(res.get('location'), `/v1/jobs/${first.jobId}`);
      }
      await hub.hub.api.jobs.idle();
      assert.equal(await storedJobCount(hub.hub), jobs + 1);
      assert.equal(((await getJob(first.jobId)).body as JobBody).succeeded, 5);
    });

    it('refuses the key with other items: 422 IDEMPOTENCY_KEY_REUSED, nothing written', async () => {
      const key = { ...WUHAN_CLERK, 'Idempotency-Key': 'batch-idem-2' };
      await finished(await postJson(licenseRequests(2, 'idem2'), key));
      await writesNothing(async () => {
        const res = await postJson(licenseRequests(3, 'idem2'), key);
        assert.equal(res.status, 422);
        assert.equal(problem(res).code, 'IDEMPOTENCY_KEY_REUSED');
      });
    });

    it('keeps each user’s keys apart', async () => {
      const items = licenseRequests(1, 'idem3');
      const a = await finished(await postJson(items, { ...WUHAN_CLERK, 'Idempotency-Key': 'shared-key' }));
      const b = await finished(
        await postJson(items, { ...GUANGDE_CLERK, 'Idempotency-Key': 'shared-key' }),
        GUANGDE_CLERK,
      );
      assert.notEqual(a.jobId, b.jobId);
    });
  });

  describe('paging of item results', () => {
    let jobId: string;
    before(async () => {
      const res = await postNdjson(ndjsonOf(licenseRequests(LIMITS.maxItems, 'page')));
      jobId = (await finished(res)).jobId;
    });

    it('pages with offset and limit, default 100 items', async () => {
      const all = (await getJob(jobId)).body as JobBody;
      assert.equal(all.items.length, LIMITS.maxItems);
      assert.deepEqual([all.offset, all.limit], [0, 100]);
      const page = (await getJob(jobId, '?offset=5&limit=3')).body as JobBody;
      assert.deepEqual([page.offset, page.limit], [5, 3]);
      assert.deepEqual(
        page.items.map((i) => i.index),
        [5, 6, 7],
      );
      assert.equal(page.total, LIMITS.maxItems, 'counts are of the whole job');
      assert.deepEqual(((await getJob(jobId, '?offset=19&limit=5')).body as JobBody).items.length, 1);
      assert.deepEqual(((await getJob(jobId, '?offset=50')).body as JobBody).items, []);
    });

    it('refuses bad paging, unknown query parameters and malformed job IDs with 400', async () => {
      for (const query of ['?limit=0', '?limit=1001', '?offset=-1', '?offset=x', '?limit=1.5', '?page=2']) {
        const res = await getJob(jobId, query);
        assert.equal(res.status, 400, query);
        assert.equal(problem(res).code, 'VALIDATION_FAILED');
      }
      assert.equal((await getJob('bad%20id')).status, 400);
    });
  });
});
