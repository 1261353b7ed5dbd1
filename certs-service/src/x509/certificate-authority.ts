// An SM2 certificate authority: a region's self-signed root and the signing certificates it issues to issuers
// (departments that sign e-licenses). Certificates are signed with SM2-with-SM3 and the ID 1234567812345678.
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
  type Extension,
  type Name,
} from './peculiar';
import { validateUscc } from '../identifiers';
import type { Sm2PrivateKey, Sm2PublicKey } from '../sm/sm2';
import { Sm2Certificate } from './certificate';
import { CertificateIssuanceError } from './errors';
import { parseDistinguishedName, withOrganizationIdentifier } from './names';
import { ensureSm2Registered } from './register';
import { randomSerialNumber } from './serial-number';
import { SM2_ALGORITHM_NAME, SM3_HASH_NAME, type Sm2SignatureAlgorithm } from './sm2-algorithm';
import { Sm2CryptoKey } from './sm2-crypto';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A region root lives ten years; an issuer's signing certificate three. */
export const DEFAULT_ROOT_VALIDITY_DAYS = 3650;
export const DEFAULT_ISSUER_VALIDITY_DAYS = 1095;

const SIGNING_ALGORITHM: Sm2SignatureAlgorithm = { name: SM2_ALGORITHM_NAME, hash: SM3_HASH_NAME };

export interface RootCertificateOptions {
  subject: string;
  key: Sm2PrivateKey;
  notBefore?: Date;
  validityDays?: number;
}

export interface IssuerCertificateOptions {
  caKey: Sm2PrivateKey;
  caCertificate: Sm2Certificate;
  publicKey: Sm2PublicKey;
  subject: string;
  /** The issuer's unified social credit code, written as organizationIdentifier (2.5.4.97) in the subject. */
  uscc?: string;
  notBefore?: Date;
  validityDays?: number;
}

function validityWindow(notBefore: Date | undefined, validityDays: number): { notBefore: Date; notAfter: Date } {
  if (!Number.isFinite(validityDays) || validityDays <= 0) {
    throw new CertificateIssuanceError('INVALID_VALIDITY', 'validityDays must be a positive number', { validityDays });
  }
  // X.509 times carry whole seconds; dropping milliseconds here keeps the returned dates equal to the encoded ones.
  const start = new Date(Math.floor((notBefore ?? new Date()).getTime() / 1000) * 1000);
  if (Number.isNaN(start.getTime())) {
    throw new CertificateIssuanceError('INVALID_VALIDITY', 'notBefore is not a valid date');
  }
  return { notBefore: start, notAfter: new Date(start.getTime() + Math.round(validityDays * DAY_MS)) };
}

async function sign(
  subject: Name,
  issuer: Name,
  subjectKey: Sm2PublicKey,
  signingKey: Sm2PrivateKey,
  window: { notBefore: Date; notAfter: Date },
  extensions: Extension[],
): Promise<Sm2Certificate> {
  const x509 = await X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject,
    issuer,
    notBefore: window.notBefore,
    notAfter: window.notAfter,
    publicKey: subjectKey.toSpkiDer(),
    signingKey: Sm2CryptoKey.forSigning(signingKey),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions,
  });
  return Sm2Certificate.fromDer(new Uint8Array(x509.rawData));
}

/**
 * A self-signed SM2 root: basicConstraints CA:TRUE (critical), keyUsage keyCertSign + cRLSign (critical), and a
 * subject key identifier that is also its authority key identifier.
 */
export async function createRootCertificate(options: RootCertificateOptions): Promise<Sm2Certificate> {
  ensureSm2Registered();
  const name = parseDistinguishedName(options.subject);
  const window = validityWindow(options.notBefore, options.validityDays ?? DEFAULT_ROOT_VALIDITY_DAYS);
  const spki = options.key.publicKey.toSpkiDer();
  const ski = await SubjectKeyIdentifierExtension.create(spki);
  return sign(name, name, options.key.publicKey, options.key, window, [
    new BasicConstraintsExtension(true, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
    ski,
    new AuthorityKeyIdentifierExtension(ski.keyId),
  ]);
}

/**
 * An issuer's SM2 signing certificate: keyUsage digitalSignature + nonRepudiation (critical), basicConstraints
 * CA:FALSE (critical), the USCC (validated, GB 32100) as organizationIdentifier, and key identifiers linking it to the CA. Refuses to issue
 * with a key that does not match the CA certificate, from a non-CA, or beyond the CA's own notAfter.
 */
export async function issueIssuerCertificate(options: IssuerCertificateOptions): Promise<Sm2Certificate> {
  ensureSm2Registered();
  const ca = options.caCertificate;
  if (!options.caKey.publicKey.equals(ca.publicKey)) {
    throw new CertificateIssuanceError('CA_KEY_MISMATCH', 'the CA key does not belong to the CA certificate', {
      ca: ca.subject,
    });
  }
  const usage = ca.keyUsage;
  if (!ca.isCa || (usage !== undefined && (usage & KeyUsageFlags.keyCertSign) === 0)) {
    throw new CertificateIssuanceError('NOT_A_CA', 'the CA certificate may not sign certificates', { ca: ca.subject });
  }
  const window = validityWindow(options.notBefore, options.validityDays ?? DEFAULT_ISSUER_VALIDITY_DAYS);
  if (window.notAfter > ca.notAfter || window.notBefore < ca.notBefore) {
    throw new CertificateIssuanceError('OUTLIVES_CA', 'the certificate would outlive (or predate) its CA', {
      notBefore: window.notBefore.toISOString(),
      notAfter: window.notAfter.toISOString(),
      caNotBefore: ca.notBefore.toISOString(),
      caNotAfter: ca.notAfter.toISOString(),
    });
  }
  let subject = parseDistinguishedName(options.subject);
  if (options.uscc !== undefined) {
    // A USCC with a wrong check character would put an unverifiable organisation into every signed document.
    validateUscc(options.uscc);
    subject = withOrganizationIdentifier(subject, options.uscc);
  }
  const issuer = ca.x509.subjectName;
  const aki =
    ca.subjectKeyId !== undefined
      ? new AuthorityKeyIdentifierExtension(ca.subjectKeyId)
      : await AuthorityKeyIdentifierExtension.create(ca.publicKey.toSpkiDer());
  return sign(subject, issuer, options.publicKey, options.caKey, window, [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation, true),
    await SubjectKeyIdentifierExtension.create(options.publicKey.toSpkiDer()),
    aki,
  ]);
}
