// Builds SM2 certificates the public CA API deliberately refuses to make (intermediate CAs, CAs without keyCertSign,
// certificates signed by a leaf, leaves without keyUsage), so chain validation can be tested against each rule.
// It signs through the same registered SM2 provider as the product code.
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  KeyUsagesExtension,
  type KeyUsageFlags,
  SubjectKeyIdentifierExtension,
  X509CertificateGenerator,
  type Extension,
} from '@certhub/certs-service/dist/x509/peculiar';
import { ensureSm2Registered } from '@certhub/certs-service/dist/x509/register';
import { Sm2CryptoKey } from '@certhub/certs-service/dist/x509/sm2-crypto';
import { Sm2Certificate, type Sm2PrivateKey, type Sm2PublicKey } from '@certhub/certs-service';

export const DAY = 24 * 60 * 60 * 1000;

export interface CraftOptions {
  subject: string;
  publicKey: Sm2PublicKey;
  /** The signer; omit for a self-signed certificate (then `signingKey` must be the subject's key). */
  issuer?: Sm2Certificate;
  signingKey: Sm2PrivateKey;
  notBefore: Date;
  notAfter: Date;
  /** basicConstraints cA; omit for no basicConstraints extension at all. */
  ca?: boolean;
  /** keyUsage bits; omit for no keyUsage extension at all. */
  keyUsage?: KeyUsageFlags;
}

export async function craftCertificate(options: CraftOptions): Promise<Sm2Certificate> {
  ensureSm2Registered();
  const extensions: Extension[] = [];
  if (options.ca !== undefined) {
    extensions.push(new BasicConstraintsExtension(options.ca, undefined, true));
  }
  if (options.keyUsage !== undefined) {
    extensions.push(new KeyUsagesExtension(options.keyUsage, true));
  }
  const ski = await SubjectKeyIdentifierExtension.create(options.publicKey.toSpkiDer());
  extensions.push(ski);
  const issuerKeyId = options.issuer ? options.issuer.subjectKeyId : ski.keyId;
  if (issuerKeyId !== undefined) {
    extensions.push(new AuthorityKeyIdentifierExtension(issuerKeyId));
  }
  const x509 = await X509CertificateGenerator.create({
    subject: options.subject,
    issuer: options.issuer ? options.issuer.x509.subjectName : options.subject,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    publicKey: options.publicKey.toSpkiDer(),
    signingKey: Sm2CryptoKey.forSigning(options.signingKey),
    signingAlgorithm: { name: 'SM2', hash: 'SM3' },
    extensions,
  });
  return Sm2Certificate.fromDer(new Uint8Array(x509.rawData));
}
