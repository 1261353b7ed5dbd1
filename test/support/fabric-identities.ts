import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { LedgerIdentity } from '@certhub/gateway/dist/ledger';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/**
 * Fabric-style test identities: an ECDSA P-256 CA per organisation and member certificates carrying Fabric CA's
 * attribute extension (OID 1.2.3.4.5.6.7.8.1, value = the raw JSON bytes {"attrs":{…}}), the form fabric-shim's
 * ClientIdentity parses. Stands in for the x509 engineer's createFabricCa/issueFabricIdentity until they land.
 */
export interface TestCa {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly keys: CryptoKeyPair;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const FABRIC_ATTRIBUTE_OID = '1.2.3.4.5.6.7.8.1';
let serial = 1;

function nextSerial(): string {
  serial += 1;
  return serial.toString(16).padStart(8, '0');
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

export async function createTestCa(mspId: string): Promise<TestCa> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=ca.${mspId.toLowerCase()},O=${mspId}`,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 3_650 * 86_400_000),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  return {
    mspId,
    certificatePem: certificate.toString('pem'),
    privateKeyPem: await privateKeyPem(keys.privateKey),
    keys,
  };
}

export async function issueTestIdentity(
  ca: TestCa,
  options: { enrollmentId: string; ou?: string; attrs?: Record<string, string> },
): Promise<LedgerIdentity & { enrollmentId: string }> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const caCertificate = new x509.X509Certificate(ca.certificatePem);
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (options.attrs !== undefined) {
    extensions.push(
      new x509.Extension(FABRIC_ATTRIBUTE_OID, false, Buffer.from(JSON.stringify({ attrs: options.attrs }), 'utf8')),
    );
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${options.enrollmentId},OU=${options.ou ?? 'client'},O=${ca.mspId}`,
    issuer: caCertificate.subject,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions,
  });
  return {
    mspId: ca.mspId,
    enrollmentId: options.enrollmentId,
    certificatePem: certificate.toString('pem'),
    privateKeyPem: await privateKeyPem(keys.privateKey),
  };
}
