import assert from 'node:assert/strict';
import {
  CertificateChainError,
  createRootCertificate,
  issueIssuerCertificate,
  Sm2Certificate,
  Sm2PrivateKey,
  verifyCertificateChain,
  type CertificateChainFailure,
} from '@certhub/certs-service';
import { KeyUsageFlags, KeyUsagesExtension, X509CertificateGenerator } from '@certhub/certs-service/dist/x509/peculiar';
import { Sm2CryptoKey } from '@certhub/certs-service/dist/x509/sm2-crypto';
import { craftCertificate, DAY } from './craft';

const T0 = new Date('2026-01-01T00:00:00Z');
const at = (days: number): Date => new Date(T0.getTime() + days * DAY);

function chainFailure(reason: CertificateChainFailure, subject?: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof CertificateChainError, `expected CertificateChainError, got ${String(error)}`);
    assert.equal(error.code, 'CERTIFICATE_CHAIN_INVALID');
    assert.equal(error.context.reason, reason);
    if (subject !== undefined) {
      assert.equal(error.context.subject, subject);
    }
    return true;
  };
}

/** A copy of `certificate` with one byte flipped at `offset` (counted from the end when negative). */
function tampered(certificate: Sm2Certificate, offset: number): Sm2Certificate {
  const der = certificate.der.slice();
  const index = offset < 0 ? der.length + offset : offset;
  der[index] = (der[index] ?? 0) ^ 0x01;
  return Sm2Certificate.fromDer(der);
}

describe('x509 / verifyCertificateChain', () => {
  const rootKey = Sm2PrivateKey.generate();
  const issuerKey = Sm2PrivateKey.generate();
  let root: Sm2Certificate;
  let issuer: Sm2Certificate;

  before(async () => {
    // Root valid for 10 years from T0; issuer certificate valid from day 10 to day 40.
    root = await createRootCertificate({ subject: 'CN=Wuhan Root CA, C=CN', key: rootKey, notBefore: T0 });
    issuer = await issueIssuerCertificate({
      caKey: rootKey,
      caCertificate: root,
      publicKey: issuerKey.publicKey,
      subject: 'CN=Wuhan AMR, C=CN',
      uscc: '914403001922038216',
      notBefore: at(10),
      validityDays: 30,
    });
  });

  it('accepts root → issuer inside both validity windows, with both ends inclusive', async () => {
    await verifyCertificateChain(issuer, { roots: [root], at: at(20) });
    await verifyCertificateChain(issuer, { roots: [root], at: issuer.notBefore });
    await verifyCertificateChain(issuer, { roots: [root], at: issuer.notAfter });
  });

  it('refuses an Invalid Date instead of letting it pass every validity window', async () => {
    await assert.rejects(verifyCertificateChain(issuer, { roots: [root], at: new Date('not a date') }), TypeError);
  });

  it('finds the right root among several', async () => {
    const other = await createRootCertificate({
      subject: 'CN=Huangshi Root CA, C=CN',
      key: Sm2PrivateKey.generate(),
      notBefore: T0,
    });
    await verifyCertificateChain(issuer, { roots: [other, root], at: at(20) });
  });

  it('NOT_YET_VALID before notBefore, EXPIRED after notAfter', async () => {
    await assert.rejects(
      verifyCertificateChain(issuer, { roots: [root], at: new Date(issuer.notBefore.getTime() - 1000) }),
      chainFailure('NOT_YET_VALID', issuer.subject),
    );
    await assert.rejects(
      verifyCertificateChain(issuer, { roots: [root], at: new Date(issuer.notAfter.getTime() + 1000) }),
      chainFailure('EXPIRED', issuer.subject),
    );
  });

  it('EXPIRED when the root has expired even though the leaf has not', async () => {
    const shortRoot = await createRootCertificate({
      subject: 'CN=Short Root',
      key: rootKey,
      notBefore: T0,
      validityDays: 30,
    });
    const longLeaf = await craftCertificate({
      subject: 'CN=Long Leaf',
      publicKey: issuerKey.publicKey,
      issuer: shortRoot,
      signingKey: rootKey,
      notBefore: T0,
      notAfter: at(365),
      ca: false,
      keyUsage: KeyUsageFlags.digitalSignature,
    });
    await assert.rejects(
      verifyCertificateChain(longLeaf, { roots: [shortRoot], at: at(100) }),
      chainFailure('EXPIRED', 'CN=Short Root'),
    );
  });

  it('UNKNOWN_ISSUER with the wrong root, or a root with the same name but another key', async () => {
    const wrong = await createRootCertificate({
      subject: 'CN=Guangde Root CA, C=CN',
      key: Sm2PrivateKey.generate(),
      notBefore: T0,
    });
    await assert.rejects(
      verifyCertificateChain(issuer, { roots: [wrong], at: at(20) }),
      chainFailure('UNKNOWN_ISSUER', issuer.subject),
    );
    const impostor = await createRootCertificate({
      subject: root.subject,
      key: Sm2PrivateKey.generate(),
      notBefore: T0,
    });
    await assert.rejects(
      verifyCertificateChain(issuer, { roots: [impostor], at: at(20) }),
      chainFailure('UNKNOWN_ISSUER'),
    );
    await assert.rejects(verifyCertificateChain(issuer, { roots: [], at: at(20) }), chainFailure('UNKNOWN_ISSUER'));
  });

  it('BAD_SIGNATURE when a byte of the signature value changes', async () => {
    // The last byte of the certificate is the last byte of s: still well-formed DER, no longer a valid signature.
    await assert.rejects(
      verifyCertificateChain(tampered(issuer, -1), { roots: [root], at: at(20) }),
      chainFailure('BAD_SIGNATURE'),
    );
  });

  it('BAD_SIGNATURE when a byte of the signed TBS part changes', async () => {
    // Flip a byte inside the subject's CN text ("Wuhan AMR"): the certificate still parses, the name reads differently.
    const hex = Buffer.from(issuer.der).toString('hex');
    const offset = hex.indexOf(Buffer.from('Wuhan AMR').toString('hex')) / 2;
    assert.ok(offset > 0);
    const changed = tampered(issuer, offset);
    assert.notEqual(changed.subject, issuer.subject);
    await assert.rejects(verifyCertificateChain(changed, { roots: [root], at: at(20) }), chainFailure('BAD_SIGNATURE'));
  });

  it('BAD_SIGNATURE when the signature was made with another ID than 1234567812345678', async () => {
    const x509 = await X509CertificateGenerator.create({
      subject: 'CN=Other ID',
      issuer: root.x509.subjectName,
      notBefore: T0,
      notAfter: at(30),
      publicKey: issuerKey.publicKey.toSpkiDer(),
      signingKey: Sm2CryptoKey.forSigning(rootKey),
      signingAlgorithm: { name: 'SM2', hash: 'SM3', id: '' },
      extensions: [new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true)],
    });
    const otherId = Sm2Certificate.fromDer(new Uint8Array(x509.rawData));
    await assert.rejects(verifyCertificateChain(otherId, { roots: [root], at: at(20) }), chainFailure('BAD_SIGNATURE'));
  });

  it('NOT_A_CA when a leaf certificate is used as a CA', async () => {
    const child = await craftCertificate({
      subject: 'CN=Signed By A Leaf',
      publicKey: Sm2PrivateKey.generate().publicKey,
      issuer,
      signingKey: issuerKey,
      notBefore: at(10),
      notAfter: at(20),
      ca: false,
      keyUsage: KeyUsageFlags.digitalSignature,
    });
    await assert.rejects(
      verifyCertificateChain(child, { roots: [root], intermediates: [issuer], at: at(15) }),
      chainFailure('NOT_A_CA', issuer.subject),
    );
    // Same when the leaf is (wrongly) configured as a trust anchor.
    await assert.rejects(
      verifyCertificateChain(child, { roots: [issuer], at: at(15) }),
      chainFailure('NOT_A_CA', issuer.subject),
    );
  });

  describe('with an intermediate CA', () => {
    const intermediateKey = Sm2PrivateKey.generate();
    const leafKey = Sm2PrivateKey.generate();
    let intermediate: Sm2Certificate;
    let leaf: Sm2Certificate;
    before(async () => {
      intermediate = await craftCertificate({
        subject: 'CN=Wuhan Issuing CA',
        publicKey: intermediateKey.publicKey,
        issuer: root,
        signingKey: rootKey,
        notBefore: T0,
        notAfter: at(365),
        ca: true,
        keyUsage: KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign,
      });
      leaf = await issueIssuerCertificate({
        caKey: intermediateKey,
        caCertificate: intermediate,
        publicKey: leafKey.publicKey,
        subject: 'CN=Leaf',
        notBefore: T0,
        validityDays: 60,
      });
    });

    it('accepts root → intermediate → leaf', async () => {
      await verifyCertificateChain(leaf, { roots: [root], intermediates: [intermediate], at: at(30) });
    });

    it('UNKNOWN_ISSUER when the intermediate is not supplied', async () => {
      await assert.rejects(
        verifyCertificateChain(leaf, { roots: [root], at: at(30) }),
        chainFailure('UNKNOWN_ISSUER', 'CN=Leaf'),
      );
    });

    it('EXPIRED when the intermediate has expired', async () => {
      const shortIntermediate = await craftCertificate({
        subject: 'CN=Wuhan Issuing CA',
        publicKey: intermediateKey.publicKey,
        issuer: root,
        signingKey: rootKey,
        notBefore: T0,
        notAfter: at(20),
        ca: true,
        keyUsage: KeyUsageFlags.keyCertSign,
      });
      await assert.rejects(
        verifyCertificateChain(leaf, { roots: [root], intermediates: [shortIntermediate], at: at(30) }),
        chainFailure('EXPIRED', 'CN=Wuhan Issuing CA'),
      );
    });

    it('KEY_USAGE when a CA certificate lacks keyCertSign or keyUsage altogether', async () => {
      for (const keyUsage of [KeyUsageFlags.cRLSign | KeyUsageFlags.digitalSignature, undefined] as (
        KeyUsageFlags | undefined
      )[]) {
        const weak = await craftCertificate({
          subject: 'CN=Wuhan Issuing CA',
          publicKey: intermediateKey.publicKey,
          issuer: root,
          signingKey: rootKey,
          notBefore: T0,
          notAfter: at(365),
          ca: true,
          keyUsage,
        });
        await assert.rejects(
          verifyCertificateChain(leaf, { roots: [root], intermediates: [weak], at: at(30) }),
          chainFailure('KEY_USAGE', 'CN=Wuhan Issuing CA'),
        );
      }
    });
  });

  it('KEY_USAGE when the leaf is not for digital signatures (a root presented as the leaf, or no keyUsage)', async () => {
    await assert.rejects(
      verifyCertificateChain(root, { roots: [root], at: at(20) }),
      chainFailure('KEY_USAGE', root.subject),
    );
    const noUsage = await craftCertificate({
      subject: 'CN=No Usage',
      publicKey: issuerKey.publicKey,
      issuer: root,
      signingKey: rootKey,
      notBefore: T0,
      notAfter: at(30),
      ca: false,
    });
    await assert.rejects(
      verifyCertificateChain(noUsage, { roots: [root], at: at(20) }),
      chainFailure('KEY_USAGE', 'CN=No Usage'),
    );
  });
});
