import assert from 'node:assert/strict';
import {
  CertificateChainError,
  Sm2PrivateKey,
  createRootCertificate,
  issueIssuerCertificate,
  type Sm2Certificate,
} from '@certhub/certs-service';
import { CertificateCache } from '@certhub/gateway/dist/services';

describe('certificate cache', () => {
  let root: Sm2Certificate;
  let otherRoot: Sm2Certificate;
  let leaf: Sm2Certificate;

  before(async () => {
    const rootKey = Sm2PrivateKey.generate();
    root = await createRootCertificate({ subject: 'CN=Test Root,C=CN', key: rootKey });
    otherRoot = await createRootCertificate({ subject: 'CN=Other Root,C=CN', key: Sm2PrivateKey.generate() });
    leaf = await issueIssuerCertificate({
      caKey: rootKey,
      caCertificate: root,
      publicKey: Sm2PrivateKey.generate().publicKey,
      subject: 'CN=Test Issuer,C=CN',
      uscc: '114201000111350663',
    });
  });

  it('parses each distinct PEM once and still refuses a malformed one every time', () => {
    const cache = new CertificateCache();
    const first = cache.parse(leaf.pem);
    assert.equal(cache.parse(leaf.pem), first);
    assert.equal(first.fingerprint(), leaf.fingerprint());
    assert.throws(() => cache.parse('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'));
    assert.throws(() => cache.parse('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'));
  });

  it('answers chain checks like verifyCertificateChain, remembering failures by leaf, root and time', async () => {
    const cache = new CertificateCache();
    const now = new Date();
    await cache.verifyChain(leaf, root, now);
    const wrongRoot = cache.verifyChain(leaf, otherRoot, now);
    await assert.rejects(wrongRoot, (error: unknown) => {
      assert.ok(error instanceof CertificateChainError);
      assert.equal(error.context.reason, 'UNKNOWN_ISSUER');
      return true;
    });
    assert.equal(cache.verifyChain(leaf, otherRoot, now), wrongRoot, 'the same answer, not a new check');
    const beforeValidity = new Date(leaf.notBefore.getTime() - 86_400_000);
    await assert.rejects(cache.verifyChain(leaf, root, beforeValidity), (error: unknown) => {
      assert.ok(error instanceof CertificateChainError);
      assert.equal(error.context.reason, 'NOT_YET_VALID');
      return true;
    });
  });

  it('forgets the oldest entries beyond its capacity', () => {
    const cache = new CertificateCache(1);
    const first = cache.parse(leaf.pem);
    cache.parse(root.pem);
    assert.notEqual(cache.parse(leaf.pem), first, 'parsed again after eviction');
  });
});
