// Fabric MSP identities (ECDSA P-256, as Fabric's MSPs require): a CA per org and enrollment certificates shaped like
// Fabric CA's — NodeOU in OU, and the attribute extension 1.2.3.4.5.6.7.8.1 whose value is the raw JSON bytes
// {"attrs":{...}}, which fabric-shim's ClientIdentity reads for getAttributeValue().
import { webcrypto } from 'node:crypto';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  PemConverter,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
  type JsonName,
} from './peculiar';
import { FabricIdentityError } from './errors';
import { OID_FABRIC_ATTRIBUTES } from './oids';
import { ensureSm2Registered } from './register';
import { randomSerialNumber } from './serial-number';

export interface FabricCa {
  certificatePem: string;
  /** PKCS#8 PEM, as Fabric's keystore holds it. */
  privateKeyPem: string;
}

export interface FabricIdentity {
  mspId: string;
  enrollmentId: string;
  certificatePem: string;
  privateKeyPem: string;
}

/** Fabric NodeOUs: the OU that classifies an identity for endorsement and admin policies. */
export type FabricNodeOu = 'client' | 'admin' | 'peer' | 'orderer';

export interface FabricIdentityOptions {
  mspId: string;
  enrollmentId: string;
  ou?: FabricNodeOu;
  /** Attributes such as role, region, issuer; the chaincode's access checks read them. */
  attrs?: Record<string, string>;
}

const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALIDITY_DAYS = 3650;
const IDENTITY_VALIDITY_DAYS = 365;
/** Fabric CA reserves the hf. prefix for attributes it sets itself. */
const RESERVED_ATTRIBUTE_PREFIX = 'hf.';

async function generateP256(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(P256, true, ['sign', 'verify']);
}

async function pkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  return PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

function secondsNow(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

function requireText(value: string, field: string): void {
  if (value.trim() === '') {
    throw new FabricIdentityError(`${field} must not be empty`, { field });
  }
}

/** A self-signed ECDSA P-256 CA for one Fabric org: subject CN=<commonName>, O=<mspId>. */
export async function createFabricCa(options: { mspId: string; commonName: string }): Promise<FabricCa> {
  ensureSm2Registered();
  requireText(options.mspId, 'mspId');
  requireText(options.commonName, 'commonName');
  const keys = await generateP256();
  const notBefore = secondsNow();
  const name: JsonName = [{ O: [options.mspId] }, { CN: [options.commonName] }];
  const certificate = await X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name,
    notBefore,
    notAfter: new Date(notBefore.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    keys,
    signingAlgorithm: ECDSA_SHA256,
    extensions: [
      new BasicConstraintsExtension(true, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign | KeyUsageFlags.digitalSignature, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: certificate.toString('pem'), privateKeyPem: await pkcs8Pem(keys.privateKey) };
}

/** The value Fabric CA puts in its attribute extension: hf.* first, then the caller's attributes. */
function attributeJson(options: FabricIdentityOptions): Uint8Array {
  const attrs: Record<string, string> = {
    'hf.EnrollmentID': options.enrollmentId,
    'hf.Type': options.ou ?? 'client',
  };
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (name.startsWith(RESERVED_ATTRIBUTE_PREFIX)) {
      throw new FabricIdentityError(`attribute ${name} is reserved for Fabric CA`, { attribute: name });
    }
    attrs[name] = value;
  }
  return new TextEncoder().encode(JSON.stringify({ attrs }));
}

async function loadCa(ca: FabricCa): Promise<{ certificate: X509Certificate; signingKey: webcrypto.CryptoKey }> {
  try {
    const certificate = new X509Certificate(ca.certificatePem);
    const der = PemConverter.decodeFirst(ca.privateKeyPem);
    const signingKey = await webcrypto.subtle.importKey('pkcs8', der, P256, false, ['sign']);
    return { certificate, signingKey };
  } catch (cause) {
    throw new FabricIdentityError('the Fabric CA certificate or key cannot be read', {}, { cause });
  }
}

/**
 * An enrollment certificate signed by `ca`: subject OU=<ou>, CN=<enrollmentId>; keyUsage digitalSignature and
 * CA:FALSE (both critical, as Fabric CA issues them); the attribute extension with hf.EnrollmentID, hf.Type and
 * `attrs`. The private key is returned as PKCS#8 PEM.
 */
export async function issueFabricIdentity(ca: FabricCa, options: FabricIdentityOptions): Promise<FabricIdentity> {
  ensureSm2Registered();
  requireText(options.mspId, 'mspId');
  requireText(options.enrollmentId, 'enrollmentId');
  const attributes = attributeJson(options);
  const { certificate: caCertificate, signingKey } = await loadCa(ca);
  const keys = await generateP256();
  const notBefore = secondsNow();
  const subject: JsonName = [];
  if (options.ou !== undefined) {
    subject.push({ OU: [options.ou] });
  }
  subject.push({ CN: [options.enrollmentId] });
  const caKeyId = caCertificate.getExtension(SubjectKeyIdentifierExtension)?.keyId;
  const certificate = await X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject,
    issuer: caCertificate.subjectName,
    notBefore,
    notAfter: new Date(notBefore.getTime() + IDENTITY_VALIDITY_DAYS * DAY_MS),
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm: ECDSA_SHA256,
    extensions: [
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
      new BasicConstraintsExtension(false, undefined, true),
      await SubjectKeyIdentifierExtension.create(keys.publicKey),
      caKeyId !== undefined
        ? new AuthorityKeyIdentifierExtension(caKeyId)
        : await AuthorityKeyIdentifierExtension.create(caCertificate.publicKey),
      // Raw JSON as the extnValue contents (no inner DER string), exactly as Fabric CA writes it.
      new Extension(OID_FABRIC_ATTRIBUTES, false, attributes),
    ],
  });
  return {
    mspId: options.mspId,
    enrollmentId: options.enrollmentId,
    certificatePem: certificate.toString('pem'),
    privateKeyPem: await pkcs8Pem(keys.privateKey),
  };
}

/**
 * The attributes (role, region, …) an enrollment certificate carries in Fabric CA's extension, without the hf.* ones
 * Fabric CA sets itself; empty when the certificate has no such extension.
 * @throws FabricIdentityError if the PEM is not a certificate or the extension is not Fabric CA's JSON
 */
export function fabricAttributesOf(certificatePem: string): Record<string, string> {
  let extension: Extension | null;
  try {
    extension = new X509Certificate(certificatePem).getExtension(OID_FABRIC_ATTRIBUTES);
  } catch (cause) {
    throw new FabricIdentityError('not an X.509 certificate', {}, { cause });
  }
  if (extension === null) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(extension.value).toString('utf8'));
  } catch (cause) {
    throw new FabricIdentityError('the Fabric attribute extension is not JSON', {}, { cause });
  }
  const attrs = typeof parsed === 'object' && parsed !== null ? (parsed as { attrs?: unknown }).attrs : undefined;
  if (typeof attrs !== 'object' || attrs === null) {
    throw new FabricIdentityError('the Fabric attribute extension has no attrs object', {});
  }
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs)) {
    if (!name.startsWith(RESERVED_ATTRIBUTE_PREFIX) && typeof value === 'string') result[name] = value;
  }
  return result;
}
