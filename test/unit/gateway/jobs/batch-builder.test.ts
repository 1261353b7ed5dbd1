import assert from 'node:assert/strict';
import {
  buildLicenseId,
  documentHash,
  documentSigningBytes,
  sm2Verify,
  verifyLicenseDocumentSignature,
  verifyMerkleProof,
} from '@certhub/certs-service';
import { batchSigningBytes } from '@certhub/chaincode/dist/model/anchor-request';
import { anchorBatchRequest, buildBatch, recordMemberRequest } from '@certhub/gateway/dist/jobs';
import type { LicenseIssueRequest } from '@certhub/gateway/dist/schemas';
import { createHubFixture, BUSINESS_LICENSE, type IssuerFixture } from '../../../support/hub-fixture';
import { licenseRequests } from './job-fixtures';

describe('jobs/batch-builder', function () {
  this.timeout(30_000);
  let fixture: IssuerFixture;
  before(async () => {
    fixture = (await createHubFixture()).wuhan.issuer;
  });

  const issuer = () => ({
    uscc: fixture.uscc,
    name: fixture.name,
    region: fixture.region,
    licenseTypes: [BUSINESS_LICENSE],
    certificates: [],
  });
  const type = { code: BUSINESS_LICENSE, name: '营业执照', holderIdType: '001' as const };
  const signer = () => ({ key: fixture.key, certificate: fixture.certificate });
  const members = (requests: readonly Record<string, unknown>[]) =>
    requests.map((request, position) => ({
      position,
      licenseId: buildLicenseId({
        typeCode: BUSINESS_LICENSE,
        issuerUscc: fixture.uscc,
        serial: `20261121${String(position + 1).padStart(6, '0')}`,
        version: 1,
      }),
      request: request as unknown as LicenseIssueRequest,
      type,
    }));
  const build = (requests: readonly Record<string, unknown>[]) =>
    buildBatch({
      batchId: 'job-1.0',
      issuer: issuer(),
      issuedOn: '2026-11-21',
      signer: signer(),
      created: new Date('2026-11-21T08:00:00.000Z'),
      members: members(requests),
    });

  it('signs every member and gives each the inclusion proof of its docHash under one root', () => {
    for (const count of [1, 2, 5, 8]) {
      const batch = build(licenseRequests(count));
      assert.equal(batch.members.length, count);
      assert.deepEqual(batch.failures, []);
      const root = Buffer.from(batch.root!, 'hex');
      batch.members.forEach((member, leafIndex) => {
        const proof = member.document.proof.batch!;
        assert.deepEqual(
          { batchId: proof.batchId, root: proof.root, leafIndex: proof.leafIndex, leafCount: proof.leafCount },
          { batchId: 'job-1.0', root: batch.root, leafIndex, leafCount: count },
        );
        assert.equal(member.docHash, documentHash(member.document));
        assert.ok(verifyMerkleProof(Buffer.from(member.docHash, 'hex'), proof, root));
        // The proof sits outside the signed bytes: the issuer's signature still verifies.
        assert.ok(verifyLicenseDocumentSignature(member.document).ok);
        assert.equal(member.document.issuedOn, '2026-11-21');
        assert.equal(member.document.proof.created, '2026-11-21T08:00:00.000Z');
      });
    }
  });

  it('gives a batch of one a root that is its own leaf node and an empty path', () => {
    const [only] = build(licenseRequests(1)).members;
    assert.deepEqual(only!.document.proof.batch!.path, []);
  });

  it('fails a member whose face fields have no canonical JSON form, building the others', () => {
    const requests = licenseRequests(3);
    requests[1] = { ...requests[1], fields: { capital: JSON.parse('1e400') as number } };
    const batch = build(requests);
    assert.deepEqual(
      batch.members.map((m) => m.position),
      [0, 2],
    );
    assert.equal(batch.failures.length, 1);
    assert.equal(batch.failures[0]!.position, 1);
    assert.equal(batch.failures[0]!.error.code, 'NOT_CANONICALIZABLE');
    assert.equal(batch.members[1]!.document.proof.batch!.leafCount, 2);
  });

  it('builds no tree when no member could be built', () => {
    const batch = build([{ ...licenseRequests(1)[0], fields: { x: Number.NaN } }]);
    assert.deepEqual([batch.members, batch.root], [[], undefined]);
  });

  it('signs the batch header the chaincode verifies, and records members with their proof and document', () => {
    const batch = build(licenseRequests(3));
    const anchor = anchorBatchRequest({
      batchId: 'job-1.0',
      issuer: fixture.uscc,
      root: batch.root!,
      count: 3,
      signer: signer(),
    });
    assert.deepEqual([anchor.contract, anchor.fn], ['license', 'anchorBatch']);
    const header = JSON.parse(anchor.args![0]!) as Record<string, string | number>;
    assert.equal(header.certificate, fixture.certificate.pem);
    const bytes = batchSigningBytes({ batchId: 'job-1.0', issuer: fixture.uscc, root: batch.root!, count: 3 });
    assert.ok(sm2Verify(fixture.certificate.publicKey, bytes, Buffer.from(String(header.signature), 'base64')));

    const member = batch.members[2]!;
    const record = recordMemberRequest(member.document, 'holder-ref');
    assert.deepEqual([record.contract, record.fn], ['license', 'recordBatchMember']);
    assert.deepEqual(JSON.parse(record.args![0]!), {
      batchId: 'job-1.0',
      holderRef: 'holder-ref',
      proof: { leafIndex: 2, leafCount: 3, path: member.document.proof.batch!.path },
      signedAt: '2026-11-21T08:00:00.000Z',
    });
    assert.deepEqual(record.transient?.document, documentSigningBytes(member.document));
    // The bytes kept from signing are the same ones, so the anchoring request need not canonicalise again.
    assert.deepEqual(member.signingBytes, documentSigningBytes(member.document));
    assert.deepEqual(recordMemberRequest(member.document, 'holder-ref', member.signingBytes), record);
  });
});
