import assert from 'node:assert/strict';
import request from 'supertest';
import type { LicenseDocument } from '@certhub/certs-service';
import { bearer, businessLicenseRequest, openHubApp, type HubApp } from '../routes/hub-app';
import { licenseRequests, type JobBody } from './job-fixtures';

const CLERK = bearer('dev-wuhan-clerk');
const VERIFIER = bearer('dev-guangde-verifier');

interface Report {
  verdict: 'VALID' | 'INVALID' | 'UNKNOWN';
  checks: { step: string; ok: boolean | null; detail: string }[];
}

/** Replaces the character at `index` of a hex string by another hex digit: still well-formed, one byte changed. */
function flipHex(hex: string, index = 0): string {
  const c = hex.charAt(index);
  return hex.slice(0, index) + (c === '0' ? '1' : '0') + hex.slice(index + 1);
}

/**
 * A batch-imported license is a license like any other: it verifies VALID through POST /v1/verify by document, by ID
 * and by QR payload, reads and changes status through the usual routes, and its inclusion proof is checked by the
 * `anchor` step, so any change to the proof fails there.
 */
describe('a batch-imported license', function () {
  this.timeout(120_000);
  let hub: HubApp;
  let licenseId: string;
  let docHash: string;
  let document: LicenseDocument;
  let other: LicenseDocument;

  before(async () => {
    hub = await openHubApp({ imports: { batchSize: 5 } });
    const res = await request(hub.app).post('/v1/licenses/batch').set(CLERK).send(licenseRequests(5, 'verify'));
    assert.equal(res.status, 202);
    await hub.hub.api.jobs.idle();
    const job = (await request(hub.app).get(res.get('location')!).set(CLERK).expect(200)).body as JobBody;
    assert.equal(job.succeeded, 5);
    const item = job.items[2]!;
    licenseId = item.licenseId!;
    docHash = item.docHash!;
    document = (await request(hub.app).get(`/v1/licenses/${licenseId}/document`).set(CLERK).expect(200))
      .body as LicenseDocument;
    other = (await request(hub.app).get(`/v1/licenses/${job.items[3]!.licenseId!}/document`).set(CLERK).expect(200))
      .body as LicenseDocument;
  });
  after(async () => {
    await hub.dispose();
  });

  const verify = async (body: Record<string, unknown>): Promise<Report> =>
    (await request(hub.app).post('/v1/verify').set(VERIFIER).send(body).expect(200)).body as Report;
  const step = (report: Report, name: string) => report.checks.find((c) => c.step === name)!;
  /** The verdict is INVALID and `anchor` is the one step that failed. */
  function failsAtAnchor(report: Report, detail: RegExp): void {
    assert.equal(report.verdict, 'INVALID', JSON.stringify(report.checks));
    for (const name of ['format', 'hash', 'signature', 'issuer']) assert.equal(step(report, name).ok, true, name);
    assert.equal(step(report, 'anchor').ok, false);
    assert.match(step(report, 'anchor').detail, detail);
  }

  it('verifies VALID by document, by license ID and by QR payload, the anchor step naming its batch', async () => {
    for (const body of [
      { document },
      { licenseId },
      { licenseId, docHash },
      { qr: `certhub:1:${licenseId}:${docHash}` },
    ]) {
      const report = await verify(body);
      assert.equal(report.verdict, 'VALID', JSON.stringify(report.checks));
      assert.match(step(report, 'anchor').detail, /Merkle proof \(leaf 2 of 5\) reaches the root of batch/);
    }
  });

  it('reads like any license: anchor with its batch, history from its batch-member record', async () => {
    const anchor = (await request(hub.app).get(`/v1/licenses/${licenseId}`).set(VERIFIER).expect(200)).body as {
      docHash: string;
      batchId: string;
      status: string;
    };
    assert.deepEqual([anchor.docHash, anchor.batchId, anchor.status], [docHash, document.proof.batch!.batchId, '01']);
    const history = (await request(hub.app).get(`/v1/licenses/${licenseId}/history`).set(VERIFIER).expect(200))
      .body as { entries: { action: string; docHash: string }[] };
    assert.deepEqual(
      history.entries.map((e) => [e.action, e.docHash]),
      [['batch-member', docHash]],
    );
  });

  describe('fails at `anchor` when its inclusion proof is changed', () => {
    const withBatch = (change: Partial<NonNullable<LicenseDocument['proof']['batch']>>): LicenseDocument => ({
      ...document,
      proof: { ...document.proof, batch: { ...document.proof.batch!, ...change } },
    });

    it('one hex digit of a path hash', async () => {
      const path = [...document.proof.batch!.path];
      assert.ok(path.length > 0);
      path[0] = flipHex(path[0]!, 17);
      failsAtAnchor(await verify({ document: withBatch({ path }) }), /does not reach/);
    });

    it('one hex digit of the root', async () => {
      const root = flipHex(document.proof.batch!.root, 63);
      failsAtAnchor(await verify({ document: withBatch({ root }) }), /is not batch .*'s root/);
    });

    it('the leaf index or the leaf count', async () => {
      failsAtAnchor(await verify({ document: withBatch({ leafIndex: 3 }) }), /does not reach/);
      failsAtAnchor(await verify({ document: withBatch({ leafCount: 6 }) }), /tree of 6 leaves/);
    });

    it('the batch ID', async () => {
      const batchId = document.proof.batch!.batchId.replace(/\.0$/, '.1');
      failsAtAnchor(
        await verify({ document: withBatch({ batchId }) }),
        /claims batch .*\.1, but the license was anchored in batch/,
      );
    });

    it('the whole proof removed, or another member’s proof put in', async () => {
      const { batch: _batch, ...bare } = document.proof;
      failsAtAnchor(await verify({ document: { ...document, proof: bare } }), /carries no inclusion proof/);
      failsAtAnchor(await verify({ document: withBatch(other.proof.batch!) }), /does not reach/);
    });

    it('a batch proof grafted onto a license anchored on its own', async () => {
      const single = (await request(hub.app).post('/v1/licenses').set(CLERK).send(businessLicenseRequest()).expect(201))
        .body as { document: LicenseDocument };
      const grafted = { ...single.document, proof: { ...single.document.proof, batch: document.proof.batch } };
      failsAtAnchor(await verify({ document: grafted }), /anchored on its own/);
    });

    it('while a change to the signed body still fails at hash/anchor and signature', async () => {
      const report = await verify({ document: { ...document, number: `${document.number}x` } });
      assert.equal(report.verdict, 'INVALID');
      assert.equal(step(report, 'signature').ok, false);
      assert.equal(step(report, 'anchor').ok, false);
    });
  });

  it('is suspended, reinstated and revoked per license: revoked → INVALID at status', async () => {
    const change = (action: string) =>
      request(hub.app)
        .post(`/v1/licenses/${licenseId}/${action}`)
        .set(CLERK)
        .send({ reason: `test ${action}` });
    assert.equal(((await change('suspend').expect(200)).body as { status: string }).status, '02');
    let report = await verify({ licenseId });
    assert.equal(report.verdict, 'INVALID');
    assert.equal(step(report, 'status').ok, false);
    await change('reinstate').expect(200);
    assert.equal((await verify({ document })).verdict, 'VALID');
    assert.equal(((await change('revoke').expect(200)).body as { status: string }).status, '07');
    report = await verify({ document });
    assert.equal(report.verdict, 'INVALID');
    assert.equal(step(report, 'anchor').ok, true);
    assert.equal(step(report, 'status').ok, false);
    assert.match(step(report, 'status').detail, /07 \(revoked\)/);
    // Its batch siblings are untouched: status changes are stored per license.
    assert.equal((await verify({ document: other })).verdict, 'VALID');
    const history = (await request(hub.app).get(`/v1/licenses/${licenseId}/history`).set(CLERK).expect(200)).body as {
      entries: { action: string }[];
    };
    assert.deepEqual(
      history.entries.map((e) => e.action),
      ['batch-member', 'suspend', 'reinstate', 'revoke'],
    );
  });
});
