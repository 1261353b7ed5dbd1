import assert from 'node:assert/strict';
import { X509Certificate as NodeX509 } from 'node:crypto';
import {
  CertificateIssuanceError,
  createRootCertificate,
  DEFAULT_ISSUER_VALIDITY_DAYS,
  DEFAULT_ROOT_VALIDITY_DAYS,
  InvalidIdentifierError,
  issueIssuerCertificate,
  Sm2PrivateKey,
  verifyCertificateChain,
} from '@certhub/certs-service';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
} from '@certhub/certs-service/dist/x509/peculiar';
import { DAY } from './craft';

const SM2_WITH_SM3_DER = '300a06082a811ccf55018375';
const USCC = '914403001922038216'; // DESIGN.md §1 valid example

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** The stable code as clients see it (widened to string, as a client matching on it would). */
function codeOf(error: { code: string }): string {
  return error.code;
}

function issuanceReason(reason: string): (error: unknown) => boolean {
  return (error) =>
    error instanceof CertificateIssuanceError &&
    codeOf(error) === 'CERTIFICATE_ISSUANCE_REFUSED' &&
    error.context.reason === reason;
}

describe('x509 / certificate authority (SM2 root and issuer certificates)', () => {
  const rootKey = Sm2PrivateKey.generate();
  const notBefore = new Date('2026-01-01T00:00:00Z');

  it('creates a self-signed root: CA:TRUE and keyCertSign+cRLSign (both critical), SKI = AKI, SM2-with-SM3 without parameters', async () => {
    const root = await createRootCertificate({
      subject: 'CN=Wuhan Root CA, O=Wuhan Municipal Government, C=CN',
      key: rootKey,
      notBefore,
    });
    assert.equal(root.subject, 'CN=Wuhan Root CA, O=Wuhan Municipal Government, C=CN');
    assert.equal(root.issuer, root.subject);
    assert.equal(root.isCa, true);
    assert.ok(root.publicKey.equals(rootKey.publicKey));
    const basic = root.x509.getExtension(BasicConstraintsExtension);
    assert.equal(basic?.ca, true);
    assert.equal(basic.critical, true);
    const usage = root.x509.getExtension(KeyUsagesExtension);
    assert.equal(usage?.usages, KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign);
    assert.equal(usage.critical, true);
    assert.ok(root.subjectKeyId);
    assert.equal(root.authorityKeyId, root.subjectKeyId);
    // The algorithm appears in the TBS and in the outer certificate, each time exactly as GM/T 0015 writes it.
    assert.equal(occurrences(Buffer.from(root.der).toString('hex'), SM2_WITH_SM3_DER), 2);
    assert.equal(root.notBefore.toISOString(), notBefore.toISOString());
    assert.equal(root.notAfter.getTime() - root.notBefore.getTime(), DEFAULT_ROOT_VALIDITY_DAYS * DAY);
  });

  it('issues an issuer certificate: digitalSignature+nonRepudiation, CA:FALSE, USCC as organizationIdentifier, AKI = root SKI', async () => {
    const root = await createRootCertificate({ subject: 'CN=Wuhan Root CA, C=CN', key: rootKey, notBefore });
    const issuerKey = Sm2PrivateKey.generate();
    const issuer = await issueIssuerCertificate({
      caKey: rootKey,
      caCertificate: root,
      publicKey: issuerKey.publicKey,
      subject: 'CN=武汉市市场监督管理局, O=武汉市人民政府, C=CN',
      uscc: USCC,
      notBefore,
    });
    assert.equal(issuer.subject, `CN=武汉市市场监督管理局, O=武汉市人民政府, C=CN, organizationIdentifier=${USCC}`);
    assert.equal(issuer.issuer, root.subject);
    assert.equal(issuer.uscc, USCC);
    assert.equal(issuer.isCa, false);
    assert.ok(issuer.publicKey.equals(issuerKey.publicKey));
    const basic = issuer.x509.getExtension(BasicConstraintsExtension);
    assert.equal(basic?.ca, false);
    assert.equal(basic.critical, true);
    assert.equal(issuer.keyUsage, KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation);
    assert.equal(issuer.authorityKeyId, root.subjectKeyId);
    assert.notEqual(issuer.subjectKeyId, root.subjectKeyId);
    assert.equal(issuer.notAfter.getTime() - issuer.notBefore.getTime(), DEFAULT_ISSUER_VALIDITY_DAYS * DAY);
    // Node's own X.509 parser agrees on the issuer relation and reads the UTF-8 subject.
    assert.equal(new NodeX509(issuer.der).checkIssued(new NodeX509(root.der)), true);
    assert.match(new NodeX509(issuer.der).subject, /CN=武汉市市场监督管理局/);
    await verifyCertificateChain(issuer, { roots: [root], at: new Date('2026-06-01T00:00:00Z') });
  });

  it('draws random, positive 16-byte serial numbers', async () => {
    const serials = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const root = await createRootCertificate({ subject: 'CN=Serial Test Root', key: rootKey, validityDays: 1 });
      assert.match(root.serialNumber, /^[4-7][0-9a-f]{31}$/);
      serials.add(root.serialNumber);
    }
    assert.equal(serials.size, 5);
  });

  it('keeps a subject that already names the same organizationIdentifier and honours validityDays', async () => {
    const root = await createRootCertificate({ subject: 'CN=Root', key: rootKey, notBefore });
    const issuer = await issueIssuerCertificate({
      caKey: rootKey,
      caCertificate: root,
      publicKey: Sm2PrivateKey.generate().publicKey,
      subject: `CN=Issuer, organizationIdentifier=${USCC}`,
      uscc: USCC,
      notBefore,
      validityDays: 30,
    });
    assert.equal(issuer.subject, `CN=Issuer, organizationIdentifier=${USCC}`);
    assert.equal(issuer.notAfter.toISOString(), '2026-01-31T00:00:00.000Z');
  });

  describe('refuses to issue', () => {
    let root: Awaited<ReturnType<typeof createRootCertificate>>;
    before(async () => {
      root = await createRootCertificate({ subject: 'CN=Refusing Root', key: rootKey, notBefore, validityDays: 365 });
    });
    const base = () => ({
      caKey: rootKey,
      caCertificate: root,
      publicKey: Sm2PrivateKey.generate().publicKey,
      subject: 'CN=Issuer',
      notBefore,
      validityDays: 30,
    });

    it('with a CA key that is not the CA certificate’s', async () => {
      await assert.rejects(
        issueIssuerCertificate({ ...base(), caKey: Sm2PrivateKey.generate() }),
        issuanceReason('CA_KEY_MISMATCH'),
      );
    });

    it('from a certificate that is not a CA', async () => {
      const leafKey = Sm2PrivateKey.generate();
      const leaf = await issueIssuerCertificate({ ...base(), publicKey: leafKey.publicKey });
      await assert.rejects(
        issueIssuerCertificate({ ...base(), caKey: leafKey, caCertificate: leaf }),
        issuanceReason('NOT_A_CA'),
      );
    });

    it('beyond the CA’s validity', async () => {
      await assert.rejects(issueIssuerCertificate({ ...base(), validityDays: 366 }), issuanceReason('OUTLIVES_CA'));
      await assert.rejects(
        issueIssuerCertificate({ ...base(), notBefore: new Date('2025-12-31T00:00:00Z'), validityDays: 1 }),
        issuanceReason('OUTLIVES_CA'),
      );
    });

    it('with a non-positive validity or an invalid date', async () => {
      await assert.rejects(issueIssuerCertificate({ ...base(), validityDays: 0 }), issuanceReason('INVALID_VALIDITY'));
      await assert.rejects(
        createRootCertificate({ subject: 'CN=x', key: rootKey, notBefore: new Date('nonsense') }),
        issuanceReason('INVALID_VALIDITY'),
      );
    });

    it('with a USCC whose check character is wrong', async () => {
      await assert.rejects(
        issueIssuerCertificate({ ...base(), uscc: '914403001922038217' }),
        (error: unknown) => error instanceof InvalidIdentifierError && codeOf(error) === 'INVALID_IDENTIFIER',
      );
    });

    it('with a subject that names another organizationIdentifier, or no subject at all', async () => {
      await assert.rejects(
        issueIssuerCertificate({
          ...base(),
          subject: 'CN=Issuer, organizationIdentifier=91110000802100433B',
          uscc: USCC,
        }),
        issuanceReason('INVALID_NAME'),
      );
      await assert.rejects(createRootCertificate({ subject: '', key: rootKey }), issuanceReason('INVALID_NAME'));
    });
  });
});
