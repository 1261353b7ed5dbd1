// Interop is the acceptance test for X.509 with SM2: certificates made here must verify in OpenSSL 3 with the GM/T
// ID 1234567812345678, and OpenSSL-made SM2 roots and leaves must parse and validate here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CertificateChainError,
  createRootCertificate,
  issueIssuerCertificate,
  Sm2Certificate,
  Sm2PrivateKey,
  verifyCertificateChain,
  type CertificateChainFailure,
} from '@certhub/certs-service';

const DISTID = 'distid:1234567812345678';
const USCC = '914403001922038216';
const DAY = 24 * 60 * 60 * 1000;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The element at `offset` of DER: where its contents start and where it ends. */
function tlv(der: Uint8Array, offset: number): { contents: number; end: number } {
  const first = der[offset + 1] ?? 0;
  if (first < 0x80) {
    return { contents: offset + 2, end: offset + 2 + first };
  }
  const octets = first & 0x7f;
  let length = 0;
  for (let i = 0; i < octets; i++) {
    length = length * 256 + (der[offset + 2 + i] ?? 0);
  }
  return { contents: offset + 2 + octets, end: offset + 2 + octets + length };
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }. */
function signedParts(der: Uint8Array): { tbs: Uint8Array; signature: Uint8Array } {
  const outer = tlv(der, 0);
  const tbs = tlv(der, outer.contents);
  const algorithm = tlv(der, tbs.end);
  const bits = tlv(der, algorithm.end);
  // Skip the BIT STRING's unused-bits octet (always 0 for a signature).
  return { tbs: der.slice(outer.contents, tbs.end), signature: der.slice(bits.contents + 1, bits.end) };
}

function chainFailure(reason: CertificateChainFailure): (error: unknown) => boolean {
  return (error) => error instanceof CertificateChainError && error.context.reason === reason;
}

function flipByte(certificate: Sm2Certificate, index: number): Sm2Certificate {
  const der = certificate.der.slice();
  der[index] = (der[index] ?? 0) ^ 0x01;
  return Sm2Certificate.fromDer(der);
}

const CA_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
C = CN
O = Huangshi Municipal Government
CN = Huangshi Root CA
[v3_root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

describe('X.509 with SM2 against OpenSSL 3 (both directions)', function () {
  this.timeout(60_000);
  let dir: string;
  const at = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): Result => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.error) throw r.error;
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (r: Result): Result => {
    assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}${r.stdout}`);
    return r;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'certhub-x509-'));
    writeFileSync(at('ca.cnf'), CA_CONFIG);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('certificates issued here, checked by OpenSSL', () => {
    const rootKey = Sm2PrivateKey.generate();
    const issuerKey = Sm2PrivateKey.generate();
    let root: Sm2Certificate;
    let issuer: Sm2Certificate;
    before(async () => {
      root = await createRootCertificate({
        subject: 'CN=Wuhan Root CA, O=Wuhan Municipal Government, C=CN',
        key: rootKey,
      });
      issuer = await issueIssuerCertificate({
        caKey: rootKey,
        caCertificate: root,
        publicKey: issuerKey.publicKey,
        subject: 'CN=武汉市市场监督管理局, C=CN',
        uscc: USCC,
      });
      writeFileSync(at('root.pem'), root.pem);
      writeFileSync(at('issuer.pem'), issuer.pem);
    });

    it('openssl verify -vfyopt distid:1234567812345678 accepts root → issuer', () => {
      const r = ok(openssl('verify', '-vfyopt', DISTID, '-CAfile', 'root.pem', 'issuer.pem'));
      assert.match(r.stdout, /issuer\.pem: OK/);
    });

    it('the signature really uses the GM/T ID: without it OpenSSL (empty ID) rejects the certificate', () => {
      const r = openssl('verify', '-CAfile', 'root.pem', 'issuer.pem');
      assert.notEqual(r.code, 0);
      assert.match(r.stdout + r.stderr, /certificate signature failure/);
    });

    it('openssl x509 -text shows SM2-with-SM3, the SM2 curve, the USCC and the agreed extensions', () => {
      const text = ok(openssl('x509', '-in', 'issuer.pem', '-noout', '-text')).stdout;
      assert.equal(text.match(/Signature Algorithm: SM2-with-SM3/g)?.length, 2);
      assert.match(text, /ASN1 OID: SM2/);
      assert.match(text, new RegExp(`organizationIdentifier = ${USCC}`));
      assert.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
      assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
      const rootText = ok(openssl('x509', '-in', 'root.pem', '-noout', '-text')).stdout;
      assert.match(rootText, /X509v3 Basic Constraints: critical\s+CA:TRUE/);
      assert.match(rootText, /X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
      assert.match(rootText, /X509v3 Subject Key Identifier/);
    });

    it('openssl dgst -sm3 verifies the root’s self-signature over its TBS with the GM/T ID', () => {
      const { tbs, signature } = signedParts(root.der);
      writeFileSync(at('root-tbs.der'), tbs);
      writeFileSync(at('root-sig.der'), signature);
      writeFileSync(at('root-pub.pem'), rootKey.publicKey.toPem());
      const r = ok(
        openssl(
          'dgst',
          '-sm3',
          '-verify',
          'root-pub.pem',
          '-sigopt',
          DISTID,
          '-signature',
          'root-sig.der',
          'root-tbs.der',
        ),
      );
      assert.match(r.stdout, /Verified OK/);
    });
  });

  describe('certificates made by OpenSSL, parsed and validated here', () => {
    let root: Sm2Certificate;
    let leaf: Sm2Certificate;
    let rootKey: Sm2PrivateKey;
    let leafKey: Sm2PrivateKey;
    before(() => {
      // `req -x509 -newkey ec -pkeyopt ec_paramgen_curve:SM2 -sigopt distid:...` fails in OpenSSL 3.0 ("parameter
      // error distid": a freshly generated key is typed EC, not SM2); a key loaded from PEM is SM2 and takes the ID.
      ok(openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', 'ossl-root-key.pem'));
      ok(
        openssl(
          'req',
          '-x509',
          '-key',
          'ossl-root-key.pem',
          '-sm3',
          '-sigopt',
          DISTID,
          '-days',
          '30',
          '-config',
          'ca.cnf',
          '-extensions',
          'v3_root',
          '-out',
          'ossl-root.pem',
        ),
      );
      ok(openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', 'ossl-leaf-key.pem'));
      ok(
        openssl(
          'req',
          '-new',
          '-key',
          'ossl-leaf-key.pem',
          '-sm3',
          '-sigopt',
          DISTID,
          '-subj',
          `/C=CN/CN=Huangshi Tax Bureau/serialNumber=${USCC}`,
          '-out',
          'ossl-leaf.csr',
        ),
      );
      ok(
        openssl(
          'x509',
          '-req',
          '-in',
          'ossl-leaf.csr',
          '-CA',
          'ossl-root.pem',
          '-CAkey',
          'ossl-root-key.pem',
          '-sm3',
          '-sigopt',
          DISTID,
          '-vfyopt',
          DISTID,
          '-extfile',
          'ca.cnf',
          '-extensions',
          'v3_leaf',
          '-days',
          '10',
          '-set_serial',
          '0x0a1b2c3d4e5f',
          '-out',
          'ossl-leaf.pem',
        ),
      );
      root = Sm2Certificate.fromPem(readFileSync(at('ossl-root.pem'), 'utf8'));
      leaf = Sm2Certificate.fromPem(readFileSync(at('ossl-leaf.pem'), 'utf8'));
      rootKey = Sm2PrivateKey.fromPem(readFileSync(at('ossl-root-key.pem'), 'utf8'));
      leafKey = Sm2PrivateKey.fromPem(readFileSync(at('ossl-leaf-key.pem'), 'utf8'));
    });

    it('parses the OpenSSL root and leaf: names, serial, keys, CA flag, USCC from serialNumber', () => {
      assert.equal(root.subject, 'C=CN, O=Huangshi Municipal Government, CN=Huangshi Root CA');
      assert.equal(root.isCa, true);
      assert.ok(root.publicKey.equals(rootKey.publicKey));
      assert.equal(leaf.subject, `C=CN, CN=Huangshi Tax Bureau, serialNumber=${USCC}`);
      assert.equal(leaf.issuer, root.subject);
      assert.equal(leaf.serialNumber, '0a1b2c3d4e5f');
      assert.equal(leaf.uscc, USCC);
      assert.equal(leaf.isCa, false);
      assert.ok(leaf.publicKey.equals(leafKey.publicKey));
      assert.equal(leaf.authorityKeyId, root.subjectKeyId);
      assert.equal(Math.round((leaf.notAfter.getTime() - leaf.notBefore.getTime()) / DAY), 10);
    });

    it('validates OpenSSL root → OpenSSL leaf now, and rejects it outside its window', async () => {
      await verifyCertificateChain(leaf, { roots: [root], at: new Date() });
      await assert.rejects(
        verifyCertificateChain(leaf, { roots: [root], at: new Date(leaf.notAfter.getTime() + DAY) }),
        chainFailure('EXPIRED'),
      );
      await assert.rejects(
        verifyCertificateChain(leaf, { roots: [root], at: new Date(leaf.notBefore.getTime() - DAY) }),
        chainFailure('NOT_YET_VALID'),
      );
    });

    it('rejects it under the wrong root, or with a signature or TBS byte changed', async () => {
      const wrongRoot = await createRootCertificate({
        subject: 'CN=Wuhan Root CA, C=CN',
        key: Sm2PrivateKey.generate(),
      });
      await assert.rejects(
        verifyCertificateChain(leaf, { roots: [wrongRoot], at: new Date() }),
        chainFailure('UNKNOWN_ISSUER'),
      );
      await assert.rejects(
        verifyCertificateChain(flipByte(leaf, leaf.der.length - 1), { roots: [root], at: new Date() }),
        chainFailure('BAD_SIGNATURE'),
      );
      const cn = Buffer.from(leaf.der).indexOf(Buffer.from('Huangshi Tax Bureau'));
      assert.ok(cn > 0);
      await assert.rejects(
        verifyCertificateChain(flipByte(leaf, cn), { roots: [root], at: new Date() }),
        chainFailure('BAD_SIGNATURE'),
      );
    });

    it('rejects a certificate OpenSSL signed with the empty ID (no distid) as BAD_SIGNATURE', async () => {
      ok(
        openssl(
          'x509',
          '-req',
          '-in',
          'ossl-leaf.csr',
          '-CA',
          'ossl-root.pem',
          '-CAkey',
          'ossl-root-key.pem',
          '-sm3',
          '-vfyopt',
          DISTID,
          '-extfile',
          'ca.cnf',
          '-extensions',
          'v3_leaf',
          '-days',
          '10',
          '-set_serial',
          '0x77',
          '-out',
          'ossl-empty-id.pem',
        ),
      );
      const emptyId = Sm2Certificate.fromPem(readFileSync(at('ossl-empty-id.pem'), 'utf8'));
      await assert.rejects(
        verifyCertificateChain(emptyId, { roots: [root], at: new Date() }),
        chainFailure('BAD_SIGNATURE'),
      );
    });

    it('rejects a certificate signed by the OpenSSL leaf used as a CA (NOT_A_CA)', async () => {
      ok(openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', 'ossl-child-key.pem'));
      ok(
        openssl(
          'req',
          '-new',
          '-key',
          'ossl-child-key.pem',
          '-sm3',
          '-sigopt',
          DISTID,
          '-subj',
          '/CN=Child Of A Leaf',
          '-out',
          'ossl-child.csr',
        ),
      );
      ok(
        openssl(
          'x509',
          '-req',
          '-in',
          'ossl-child.csr',
          '-CA',
          'ossl-leaf.pem',
          '-CAkey',
          'ossl-leaf-key.pem',
          '-sm3',
          '-sigopt',
          DISTID,
          '-vfyopt',
          DISTID,
          '-extfile',
          'ca.cnf',
          '-extensions',
          'v3_leaf',
          '-days',
          '5',
          '-set_serial',
          '0x99',
          '-out',
          'ossl-child.pem',
        ),
      );
      const child = Sm2Certificate.fromPem(readFileSync(at('ossl-child.pem'), 'utf8'));
      await assert.rejects(
        verifyCertificateChain(child, { roots: [root], intermediates: [leaf], at: new Date() }),
        chainFailure('NOT_A_CA'),
      );
    });

    it('issues here under the OpenSSL root key; OpenSSL verifies the result', async () => {
      const issued = await issueIssuerCertificate({
        caKey: rootKey,
        caCertificate: root,
        publicKey: Sm2PrivateKey.generate().publicKey,
        subject: 'CN=Huangshi AMR, C=CN',
        uscc: USCC,
        validityDays: 5,
      });
      writeFileSync(at('mixed.pem'), issued.pem);
      const r = ok(openssl('verify', '-vfyopt', DISTID, '-CAfile', 'ossl-root.pem', 'mixed.pem'));
      assert.match(r.stdout, /mixed\.pem: OK/);
      await verifyCertificateChain(issued, { roots: [root], at: new Date() });
    });
  });
});
