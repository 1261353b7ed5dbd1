import {
  KeyNotFoundError,
  Sm2PrivateKey,
  issueIssuerCertificate,
  verifyCertificateChain,
  type KeyStore,
  type Sm2Certificate,
} from '@certhub/certs-service';
import type { CertificateCache } from './certificate-cache';
import { IssuerCertificateRefusedError, RegionRootKeyUnavailableError } from './errors';
import type { RegionRecord } from './ledger-records';

/** Where a region's SM2 root key lives in the KeyStore, when this gateway is that region's CA (development mode). */
export const regionRootKeyId = (region: string): string => `region-root:${region}`;

/** An issuer signing certificate lives three years, and never past its root. */
const ISSUER_VALIDITY_DAYS = 1095;
const DAY_MS = 24 * 60 * 60 * 1000;

/** RFC 4514 specials would split or mangle the subject; the USCC, not the CN, identifies the issuer. */
const commonName = (name: string): string =>
  name
    .replace(/[\\,+"<>;=#]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export interface NewIssuerKey {
  readonly key: Sm2PrivateKey;
  readonly certificate: Sm2Certificate;
}

/**
 * The SM2 certificates of issuers, before the ledger sees them: checks one an issuer brings (parsed, not a CA, names
 * the issuer's USCC, chains to the region's registered root now) so a bad one is refused before anything is written,
 * and makes a new key certified by the region's root when the gateway holds that root's key.
 */
export class IssuerCertificates {
  constructor(
    private readonly keys: KeyStore,
    private readonly certificates: CertificateCache,
  ) {}

  /**
   * @throws CertificateFormatError (400) if the PEM is not an SM2 certificate; IssuerCertificateRefusedError (422)
   *   for a CA or a certificate that does not name `uscc`; CertificateChainError (422) if it does not chain to the
   *   region's root at `at`
   */
  async check(pem: string, uscc: string, region: RegionRecord, at: Date): Promise<Sm2Certificate> {
    const certificate = this.certificates.parse(pem);
    if (certificate.isCa) {
      throw new IssuerCertificateRefusedError('an issuer signing certificate must not be a CA certificate', {
        reason: 'IS_CA',
      });
    }
    // Verification's `issuer` step requires the certificate to name the issuer: one without a USCC could sign
    // documents no verifier would accept.
    if (certificate.uscc !== uscc) {
      throw new IssuerCertificateRefusedError(
        `the certificate names USCC ${certificate.uscc ?? '(none)'} as its organisation, not the issuer ${uscc}`,
        { reason: 'OTHER_ORGANISATION', uscc, certificateUscc: certificate.uscc ?? null },
      );
    }
    await verifyCertificateChain(certificate, { roots: [this.certificates.parse(region.rootCertificatePem)], at });
    return certificate;
  }

  /**
   * A fresh SM2 key for the issuer and its certificate from the region's root, valid from `at`. The key is returned,
   * not stored: the caller stores it once it knows the certificate's fingerprint and is about to register it.
   * @throws RegionRootKeyUnavailableError if this gateway does not hold the region's root key
   */
  async certifyNewKey(issuer: { uscc: string; name: string }, region: RegionRecord, at: Date): Promise<NewIssuerKey> {
    const rootKey = await this.rootKey(region.code);
    const root = this.certificates.parse(region.rootCertificatePem);
    if (!rootKey.publicKey.equals(root.publicKey)) {
      throw new RegionRootKeyUnavailableError(
        `the root key this gateway holds for region ${region.code} is not the key of its registered root`,
        { region: region.code },
      );
    }
    const notBefore = new Date(Math.floor(at.getTime() / 1000) * 1000);
    const daysLeft = Math.floor((root.notAfter.getTime() - notBefore.getTime()) / DAY_MS);
    if (daysLeft < 1) {
      throw new RegionRootKeyUnavailableError(`the root of region ${region.code} expires within a day`, {
        region: region.code,
        rootNotAfter: root.notAfter.toISOString(),
      });
    }
    const key = Sm2PrivateKey.generate();
    const certificate = await issueIssuerCertificate({
      caKey: rootKey,
      caCertificate: root,
      publicKey: key.publicKey,
      subject: `CN=${commonName(issuer.name)},C=CN`,
      uscc: issuer.uscc,
      notBefore,
      validityDays: Math.min(ISSUER_VALIDITY_DAYS, daysLeft),
    });
    return { key, certificate };
  }

  private async rootKey(region: string): Promise<Sm2PrivateKey> {
    try {
      return await this.keys.getKey(regionRootKeyId(region));
    } catch (error) {
      if (error instanceof KeyNotFoundError) {
        throw new RegionRootKeyUnavailableError(
          `this gateway does not hold the SM2 root key of region ${region}: register the issuer with a certificate from the region's CA`,
          { region },
        );
      }
      throw error;
    }
  }
}
