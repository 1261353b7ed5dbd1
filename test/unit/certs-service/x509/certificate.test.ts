import assert from 'node:assert/strict';
import {
  CertificateFormatError,
  createFabricCa,
  createRootCertificate,
  issueIssuerCertificate,
  Sm2Certificate,
  Sm2PrivateKey,
  sm3Hex,
} from '@certhub/certs-service';
import { craftCertificate, DAY } from './craft';

describe('x509 / Sm2Certificate', () => {
  const key = Sm2PrivateKey.generate();
  const notBefore = new Date('2026-03-01T08:00:00Z');
  let root: Sm2Certificate;
  before(async () => {
    root = await createRootCertificate({ subject: 'CN=Guangde Root CA, C=CN', key, notBefore, validityDays: 100 });
  });

  it('round-trips through PEM and DER with the same fields', () => {
    assert.match(root.pem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/);
    const fromPem = Sm2Certificate.fromPem(root.pem);
    const fromDer = Sm2Certificate.fromDer(root.der);
    for (const parsed of [fromPem, fromDer]) {
      assert.deepEqual(parsed.der, root.der);
      assert.equal(parsed.subject, 'CN=Guangde Root CA, C=CN');
      assert.equal(parsed.serialNumber, root.serialNumber);
      assert.equal(parsed.notBefore.toISOString(), '2026-03-01T08:00:00.000Z');
      assert.equal(parsed.notAfter.getTime(), notBefore.getTime() + 100 * DAY);
      assert.ok(parsed.publicKey.equals(key.publicKey));
      assert.equal(parsed.isCa, true);
      assert.equal(parsed.uscc, undefined);
    }
  });

  it('accepts PEM with surrounding text, as OpenSSL does', () => {
    const parsed = Sm2Certificate.fromPem(`subject=CN = Guangde Root CA\n${root.pem}\ntrailing note\n`);
    assert.equal(parsed.fingerprint(), root.fingerprint());
  });

  it('fingerprints as lower-case SM3 hex of the DER', () => {
    assert.equal(root.fingerprint(), sm3Hex(root.der));
    assert.match(root.fingerprint(), /^[0-9a-f]{64}$/);
  });

  it('reads the USCC from organizationIdentifier, else from serialNumber, dropping an ETSI NTRCN- prefix', async () => {
    const base = {
      caKey: key,
      caCertificate: root,
      publicKey: Sm2PrivateKey.generate().publicKey,
      notBefore,
      validityDays: 10,
    };
    const bySerial = await issueIssuerCertificate({
      ...base,
      subject: 'CN=Huangshi Tax Bureau, serialNumber=11420200MB1234567X',
    });
    assert.equal(bySerial.uscc, '11420200MB1234567X');
    const byOrgId = await issueIssuerCertificate({
      ...base,
      subject: 'CN=Wuhan AMR, organizationIdentifier=NTRCN-914403001922038216',
    });
    assert.equal(byOrgId.uscc, '914403001922038216');
    const both = await issueIssuerCertificate({
      ...base,
      subject: 'CN=Both, serialNumber=SN-1, organizationIdentifier=914403001922038216',
    });
    assert.equal(both.uscc, '914403001922038216');
  });

  it('reports keyUsage as undefined when the extension is absent', async () => {
    const bare = await craftCertificate({
      subject: 'CN=Bare',
      publicKey: key.publicKey,
      signingKey: key,
      notBefore,
      notAfter: new Date(notBefore.getTime() + DAY),
    });
    assert.equal(bare.keyUsage, undefined);
    assert.equal(bare.isCa, false);
  });

  it('rejects input that is not exactly one SM2 certificate with CertificateFormatError (MALFORMED_CERTIFICATE)', async () => {
    const malformed = (error: unknown): boolean =>
      error instanceof CertificateFormatError && (error.code as string) === 'MALFORMED_CERTIFICATE';
    assert.throws(() => Sm2Certificate.fromPem('no certificate here'), malformed);
    assert.throws(() => Sm2Certificate.fromPem(root.pem + root.pem), malformed);
    assert.throws(() => Sm2Certificate.fromDer(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])), malformed);
    assert.throws(() => Sm2Certificate.fromDer(root.der.subarray(0, root.der.length - 1)), malformed);
    const trailing = new Uint8Array(root.der.length + 1);
    trailing.set(root.der);
    assert.throws(() => Sm2Certificate.fromDer(trailing), malformed);
    // A well-formed certificate whose key is ECDSA P-256, not SM2.
    const fabric = await createFabricCa({ mspId: 'WuhanMSP', commonName: 'ca.wuhan' });
    assert.throws(() => Sm2Certificate.fromPem(fabric.certificatePem), malformed);
  });
});
