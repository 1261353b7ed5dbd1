import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CertHubError,
  createRootCertificate,
  documentHash,
  documentSigningBytes,
  issueIssuerCertificate,
  type JsonValue,
  type LicenseDocument,
  signLicenseDocument,
  type Sm2Certificate,
  Sm2PrivateKey,
  SignerKeyMismatchError,
  verifyLicenseDocumentSignature,
} from '@certhub/certs-service';
import { makeTempDir } from '../store/temp-dir';
import { sampleUnsignedDocument } from './sample-document';

interface Issuer {
  key: Sm2PrivateKey;
  certificate: Sm2Certificate;
}

async function makeIssuer(root: Issuer, subject: string): Promise<Issuer> {
  const key = Sm2PrivateKey.generate();
  const certificate = await issueIssuerCertificate({
    caKey: root.key,
    caCertificate: root.certificate,
    publicKey: key.publicKey,
    subject,
    uscc: '11220000013544541J',
  });
  return { key, certificate };
}

/** Every leaf of a JSON value with a path, for mutating one at a time. */
function leafPaths(value: JsonValue, path: (string | number)[] = []): (string | number)[][] {
  if (value !== null && typeof value === 'object') {
    const entries: [string | number, JsonValue][] = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value);
    return entries.flatMap(([key, child]) => leafPaths(child, [...path, key]));
  }
  return [path];
}

/** A deep copy of `doc` with the leaf at `path` changed by the smallest step: one character, one unit, one flip. */
function mutate(doc: LicenseDocument, path: (string | number)[]): LicenseDocument {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, JsonValue>;
  let parent: JsonValue = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, JsonValue>)[key] ?? null;
  const container = parent as Record<string | number, JsonValue>;
  const last = path[path.length - 1]!;
  const old = container[last] ?? null;
  if (typeof old === 'string') {
    const code = old.length > 0 ? old.charCodeAt(old.length - 1) : 0x40;
    container[last] = old.slice(0, -1) + String.fromCharCode(code ^ 0x01);
  } else if (typeof old === 'number') {
    container[last] = old + 1;
  } else if (typeof old === 'boolean') {
    container[last] = !old;
  } else {
    container[last] = '';
  }
  return copy as unknown as LicenseDocument;
}

describe('license document signatures', () => {
  let root: Issuer;
  let issuer: Issuer;
  let other: Issuer;
  let signed: LicenseDocument;
  const created = new Date('2026-11-21T08:30:00.000Z');

  before(async () => {
    const rootKey = Sm2PrivateKey.generate();
    root = {
      key: rootKey,
      certificate: await createRootCertificate({ subject: 'CN=Wuhan Root CA,O=CertHub,C=CN', key: rootKey }),
    };
    issuer = await makeIssuer(root, 'CN=武汉市市场监督管理局,O=CertHub,C=CN');
    other = await makeIssuer(root, 'CN=Other Issuer,O=CertHub,C=CN');
    signed = signLicenseDocument(sampleUnsignedDocument(), { ...issuer, created });
  });

  it('builds the proof of DESIGN.md §3 and verifies it', () => {
    assert.equal(signed.proof.type, 'SM2SignatureSM3');
    assert.equal(signed.proof.created, '2026-11-21T08:30:00.000Z');
    assert.equal(signed.proof.certificate, issuer.certificate.pem);
    const der = Buffer.from(signed.proof.signatureValue, 'base64');
    assert.equal(der[0], 0x30, 'a DER SEQUENCE');
    const { proof: _proof, ...body } = signed;
    assert.deepEqual(body, sampleUnsignedDocument());

    const check = verifyLicenseDocumentSignature(signed);
    assert.equal(check.ok, true);
    assert.equal(check.docHash, documentHash(sampleUnsignedDocument()));
    assert.equal(check.certificate.fingerprint(), issuer.certificate.fingerprint());
  });

  it('survives a JSON round trip', () => {
    const copy = JSON.parse(JSON.stringify(signed)) as LicenseDocument;
    assert.equal(verifyLicenseDocumentSignature(copy).ok, true);
  });

  it('is a GM/T SM2 signature OpenSSL accepts with -sigopt distid:1234567812345678', () => {
    const dir = makeTempDir('docsig');
    try {
      const data = join(dir.path, 'doc.json');
      const sig = join(dir.path, 'sig.der');
      const pub = join(dir.path, 'pub.pem');
      writeFileSync(data, documentSigningBytes(signed));
      writeFileSync(sig, Buffer.from(signed.proof.signatureValue, 'base64'));
      writeFileSync(pub, issuer.key.publicKey.toPem());
      const out = execFileSync('openssl', [
        'dgst',
        '-sm3',
        '-verify',
        pub,
        '-sigopt',
        'distid:1234567812345678',
        '-signature',
        sig,
        data,
      ]).toString('utf8');
      assert.match(out, /Verified OK/);
    } finally {
      dir.remove();
    }
  });

  it('fails after a one-character change in any field outside the proof', () => {
    const { proof: _proof, ...body } = signed;
    const paths = leafPaths(body);
    assert.ok(paths.length >= 15, `${paths.length} leaves`);
    for (const path of paths) {
      const changed = mutate(signed, path);
      assert.equal(verifyLicenseDocumentSignature(changed).ok, false, path.join('.'));
      assert.notEqual(verifyLicenseDocumentSignature(changed).docHash, documentHash(signed), path.join('.'));
    }
  });

  it('fails when a member is added or removed', () => {
    assert.equal(verifyLicenseDocumentSignature({ ...signed, extra: 1 } as LicenseDocument).ok, false);
    const { fields: _fields, ...withoutFields } = signed;
    assert.equal(verifyLicenseDocumentSignature(withoutFields as LicenseDocument).ok, false);
  });

  it('fails after any single byte of the DER signature changes (well-formed or not)', () => {
    const der = Buffer.from(signed.proof.signatureValue, 'base64');
    for (let index = 0; index < der.length; index += 1) {
      const changed = Buffer.from(der);
      changed[index] = der[index]! ^ 0x01;
      const doc = { ...signed, proof: { ...signed.proof, signatureValue: changed.toString('base64') } };
      assert.equal(verifyLicenseDocumentSignature(doc).ok, false, `byte ${index}`);
    }
  });

  it('fails for a signature that is not canonical base64, or a proof of another type', () => {
    const value = signed.proof.signatureValue;
    for (const signatureValue of [
      ` ${value}`,
      `${value}\n`, // Unpadded if it was padded, over-padded if it was not (a 72-byte DER signature needs no padding).
      value.endsWith('=') ? value.replace(/=+$/, '') : `${value}=`,
      '',
      '@@@@',
    ]) {
      const doc = { ...signed, proof: { ...signed.proof, signatureValue } };
      assert.equal(verifyLicenseDocumentSignature(doc).ok, false, JSON.stringify(signatureValue));
    }
    const otherType = { ...signed, proof: { ...signed.proof, type: 'Ed25519Signature2020' } };
    assert.equal(verifyLicenseDocumentSignature(otherType as unknown as LicenseDocument).ok, false);
  });

  it('fails with another issuer certificate embedded', () => {
    const doc = { ...signed, proof: { ...signed.proof, certificate: other.certificate.pem } };
    const check = verifyLicenseDocumentSignature(doc);
    assert.equal(check.ok, false);
    assert.equal(check.certificate.fingerprint(), other.certificate.fingerprint());
  });

  it('does not cover proof.created (DESIGN.md §3 signs the document without proof)', () => {
    // Pinned so nobody relies on `created` being authenticated: a verifier must not trust it on its own.
    const doc = { ...signed, proof: { ...signed.proof, created: '2020-01-01T00:00:00.000Z' } };
    assert.equal(verifyLicenseDocumentSignature(doc).ok, true);
  });

  it('refuses to sign with a key that is not the certificate’s', () => {
    assert.throws(
      () => signLicenseDocument(sampleUnsignedDocument(), { key: other.key, certificate: issuer.certificate, created }),
      (error: unknown) =>
        error instanceof CertHubError &&
        error.code === 'SIGNER_KEY_MISMATCH' &&
        error instanceof SignerKeyMismatchError,
    );
  });

  it('replaces a proof already on the input', () => {
    const resigned = signLicenseDocument(signed, { ...other, created });
    assert.equal(resigned.proof.certificate, other.certificate.pem);
    assert.equal(verifyLicenseDocumentSignature(resigned).ok, true);
    assert.equal(documentHash(resigned), documentHash(signed));
  });
});
