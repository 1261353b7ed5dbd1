// An X.509 certificate holding an SM2 public key: what issuers, documents and chain validation pass around.
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  PemConverter,
  SubjectKeyIdentifierExtension,
  X509Certificate,
} from './peculiar';
import { sm3Hex } from '../sm/sm3';
import { Sm2PublicKey } from '../sm/sm2';
import { CertificateFormatError } from './errors';
import { formatName, usccOfName } from './names';
import { ensureSm2Registered } from './register';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g;

/** Total length (header + contents) a DER SEQUENCE declares, or -1 if `der` does not start with one. */
function outerDerLength(der: Uint8Array): number {
  const first = der[1];
  if (der[0] !== 0x30 || first === undefined) {
    return -1;
  }
  if (first < 0x80) {
    return 2 + first;
  }
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4 || der.length < 2 + octets) {
    return -1;
  }
  let length = 0;
  for (let i = 0; i < octets; i++) {
    length = length * 256 + (der[2 + i] ?? 0);
  }
  return 2 + octets + length;
}

export class Sm2Certificate {
  readonly der: Uint8Array;
  readonly pem: string;
  /** RFC 4514-style, e.g. "CN=Wuhan Market Supervision Bureau, organizationIdentifier=11420100..., C=CN". */
  readonly subject: string;
  readonly issuer: string;
  /** Lower-case hex of the serial number's magnitude. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: Sm2PublicKey;
  /** basicConstraints cA = TRUE. */
  readonly isCa: boolean;
  /** The subject's organizationIdentifier (2.5.4.97), else its serialNumber attribute (2.5.4.5). */
  readonly uscc: string | undefined;
  /** The parsed @peculiar/x509 view, for extensions and the signed bytes (chain validation reads these). */
  readonly x509: X509Certificate;

  private constructor(der: Uint8Array) {
    ensureSm2Registered();
    // The ASN.1 parser tolerates a truncated or padded outer SEQUENCE; a certificate must be exactly its DER.
    if (outerDerLength(der) !== der.length) {
      throw new CertificateFormatError('not a single DER SEQUENCE', { length: der.length });
    }
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(der);
    } catch (cause) {
      throw new CertificateFormatError('not a DER X.509 certificate', { length: der.length }, { cause });
    }
    try {
      this.publicKey = Sm2PublicKey.fromSpkiDer(new Uint8Array(x509.publicKey.rawData));
    } catch (cause) {
      throw new CertificateFormatError('the certificate does not hold an SM2 public key', {}, { cause });
    }
    this.x509 = x509;
    this.der = new Uint8Array(der);
    this.pem = PemConverter.encode(this.der.slice().buffer, 'CERTIFICATE');
    this.subject = formatName(x509.subjectName.toArrayBuffer());
    this.issuer = formatName(x509.issuerName.toArrayBuffer());
    this.serialNumber = x509.serialNumber.toLowerCase();
    this.notBefore = x509.notBefore;
    this.notAfter = x509.notAfter;
    this.isCa = x509.getExtension(BasicConstraintsExtension)?.ca === true;
    this.uscc = usccOfName(x509.subjectName.toArrayBuffer());
  }

  static fromDer(der: Uint8Array): Sm2Certificate {
    return new Sm2Certificate(der);
  }

  /** Exactly one "CERTIFICATE" PEM block (text around it is ignored, as OpenSSL does). */
  static fromPem(pem: string): Sm2Certificate {
    const blocks = [...pem.matchAll(PEM_CERTIFICATE)];
    const body = blocks[0]?.[1];
    if (blocks.length !== 1 || body === undefined) {
      throw new CertificateFormatError('expected exactly one CERTIFICATE PEM block', { blocks: blocks.length });
    }
    return new Sm2Certificate(new Uint8Array(Buffer.from(body.replace(/\s+/g, ''), 'base64')));
  }

  #fingerprint: string | undefined;

  /** SM3 of the DER, lower-case hex (computed once: caches key certificates by it on every verification). */
  fingerprint(): string {
    this.#fingerprint ??= sm3Hex(this.der);
    return this.#fingerprint;
  }

  /** keyUsage bits (KeyUsageFlags) or undefined when the certificate has no keyUsage extension. */
  get keyUsage(): KeyUsageFlags | undefined {
    return this.x509.getExtension(KeyUsagesExtension)?.usages;
  }

  /** The subject key identifier in hex, if the certificate carries one. */
  get subjectKeyId(): string | undefined {
    return this.x509.getExtension(SubjectKeyIdentifierExtension)?.keyId;
  }

  /** The authority key identifier (keyIdentifier form) in hex, if the certificate carries one. */
  get authorityKeyId(): string | undefined {
    return this.x509.getExtension(AuthorityKeyIdentifierExtension)?.keyId;
  }
}
