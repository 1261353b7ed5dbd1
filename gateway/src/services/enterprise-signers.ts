import { KeyNotFoundError, type KeyStore, type Sm2Certificate, type Sm2PrivateKey } from '@certhub/certs-service';
import type { CertificateCache } from './certificate-cache';
import { SigningKeyUnavailableError } from './errors';

/** Where an enterprise's SM2 private key lives in the KeyStore. */
export const enterpriseKeyId = (uscc: string): string => `enterprise:${uscc}`;

export interface EnterpriseSigner {
  readonly key: Sm2PrivateKey;
  readonly certificate: Sm2Certificate;
}

/**
 * The SM2 keys of enterprises that let the gateway sign for them (an enterprise user's consent is then signed with its
 * enterprise's key, held sealed in the KeyStore), each with its certificate from the enterprise's registration region's
 * root. Enterprises holding their own key sign themselves and send the signature instead.
 */
export class EnterpriseSigners {
  constructor(
    private readonly keys: KeyStore,
    /** USCC → PEM of the certificate of the key the KeyStore holds. */
    private readonly certificates: Readonly<Record<string, string>>,
    private readonly cache: CertificateCache,
  ) {}

  async signerFor(uscc: string, at: Date): Promise<EnterpriseSigner> {
    const pem = this.certificates[uscc];
    let key: Sm2PrivateKey | undefined;
    try {
      key = await this.keys.getKey(enterpriseKeyId(uscc));
    } catch (error) {
      if (!(error instanceof KeyNotFoundError)) throw error;
    }
    if (key === undefined || pem === undefined) {
      throw new SigningKeyUnavailableError(
        `this gateway holds no signing key for enterprise ${uscc}; sign the consent with the enterprise's own key and send signature, signedAt and certificate`,
        { enterprise: uscc },
      );
    }
    const certificate = this.cache.parse(pem);
    if (!certificate.publicKey.equals(key.publicKey) || certificate.notBefore > at || certificate.notAfter <= at) {
      throw new SigningKeyUnavailableError(`enterprise ${uscc} has no current certificate for its key`, {
        enterprise: uscc,
      });
    }
    return { key, certificate };
  }
}
