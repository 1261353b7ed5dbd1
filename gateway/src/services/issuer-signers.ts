import { KeyNotFoundError, type KeyStore, type Sm2Certificate, type Sm2PrivateKey } from '@certhub/certs-service';
import type { CertificateCache } from './certificate-cache';
import type { IssuerRecord } from './ledger-records';
import { SigningKeyUnavailableError } from './errors';

export const issuerKeyId = (uscc: string): string => `issuer:${uscc}`;

export interface IssuerSigner {
  readonly key: Sm2PrivateKey;
  readonly certificate: Sm2Certificate;
}

/**
 * An issuer's SM2 signing key (from the sealed KeyStore) with the registered, unretired certificate of that key (from
 * the ledger's issuer record). Looked up per issuance so a retired or rotated certificate takes effect at once.
 */
export class IssuerSigners {
  constructor(
    private readonly keys: KeyStore,
    private readonly certificates: CertificateCache,
  ) {}

  async signerFor(issuer: IssuerRecord, at: Date): Promise<IssuerSigner> {
    let key: Sm2PrivateKey;
    try {
      key = await this.keys.getKey(issuerKeyId(issuer.uscc));
    } catch (error) {
      if (error instanceof KeyNotFoundError) {
        throw new SigningKeyUnavailableError(`this gateway holds no signing key for issuer ${issuer.uscc}`, {
          issuer: issuer.uscc,
        });
      }
      throw error;
    }
    for (const registered of issuer.certificates) {
      if (registered.retiredAt !== null && Date.parse(registered.retiredAt) <= at.getTime()) continue;
      const certificate = this.certificates.parse(registered.pem);
      if (certificate.publicKey.equals(key.publicKey) && certificate.notAfter > at && certificate.notBefore <= at) {
        return { key, certificate };
      }
    }
    throw new SigningKeyUnavailableError(`issuer ${issuer.uscc} has no current registered certificate for its key`, {
      issuer: issuer.uscc,
    });
  }
}
