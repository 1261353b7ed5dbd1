import { KeyNotFoundError, type KeyStore, type Sm2Certificate, type Sm2PrivateKey } from '@certhub/certs-service';
import type { CertificateCache } from './certificate-cache';
import type { IssuerCertificateRecord, IssuerRecord } from './ledger-records';
import { SigningKeyUnavailableError } from './errors';
import { LruMap } from '../lru-map';

/** Signing keys kept in memory, by issuer and certificate: every issuer key a busy gateway signs with. */
const KEPT_SIGNING_KEYS = 256;

/**
 * Where an issuer's SM2 private key lives in the KeyStore: `issuer:<uscc>:<fingerprint>` for a key made for one
 * certificate (registration or rotation through the gateway), and `issuer:<uscc>` for an issuer's first key as the
 * development seed stores it. A key stored under the certificate's fingerprint can never be paired with another
 * certificate by mistake, so rotation keeps every key an issuer ever had under its own ID.
 */
export const issuerKeyId = (uscc: string, fingerprint?: string): string =>
  fingerprint === undefined ? `issuer:${uscc}` : `issuer:${uscc}:${fingerprint}`;

export interface IssuerSigner {
  readonly key: Sm2PrivateKey;
  readonly certificate: Sm2Certificate;
}

/** Newest registration first; among equal times the later array entry (added later in the same block) first. */
function newestFirst(certificates: readonly IssuerCertificateRecord[]): IssuerCertificateRecord[] {
  return certificates
    .map((certificate, index) => ({ certificate, index }))
    .sort((a, b) => b.certificate.registeredAt.localeCompare(a.certificate.registeredAt) || b.index - a.index)
    .map(({ certificate }) => certificate);
}

/**
 * An issuer's SM2 signing key (from the sealed KeyStore) with the registered certificate of that key (from the ledger's
 * issuer record). Looked up per issuance so a rotation or retirement takes effect at once: the newest registered
 * certificate that is neither retired nor outside its validity at signing time, and whose key this gateway holds, signs.
 */
export class IssuerSigners {
  /**
   * The key found for a certificate, by issuer and fingerprint. A certificate's private key never changes, so once
   * found (and checked against the certificate) it is kept: each issuance used to read it from level, decrypt it and
   * rebuild its SM2 state (the public point, the native signer), most of an issuance's CPU. Which certificate signs is
   * still decided per issuance from the ledger, so rotation and retirement take effect at once.
   */
  readonly #found = new LruMap<string, Sm2PrivateKey>(KEPT_SIGNING_KEYS);

  constructor(
    private readonly keys: KeyStore,
    private readonly certificates: CertificateCache,
  ) {}

  async signerFor(issuer: IssuerRecord, at: Date): Promise<IssuerSigner> {
    let usable = 0;
    for (const registered of newestFirst(issuer.certificates)) {
      if (registered.retiredAt !== null && Date.parse(registered.retiredAt) <= at.getTime()) continue;
      const certificate = this.certificates.parse(registered.pem);
      if (!(certificate.notBefore <= at && at < certificate.notAfter)) continue;
      usable += 1;
      const key = await this.keyOf(issuer.uscc, certificate);
      if (key !== undefined) return { key, certificate };
    }
    throw new SigningKeyUnavailableError(
      usable === 0
        ? `issuer ${issuer.uscc} has no registered certificate that is current and not retired`
        : `this gateway holds no signing key for the current certificates of issuer ${issuer.uscc}`,
      { issuer: issuer.uscc },
    );
  }

  /** The stored key of a certificate: under its fingerprint, or the issuer's first key if that is the same key pair. */
  private async keyOf(uscc: string, certificate: Sm2Certificate): Promise<Sm2PrivateKey | undefined> {
    const kept = `${uscc}|${certificate.fingerprint()}`;
    const known = this.#found.get(kept);
    if (known !== undefined) return known;
    for (const keyId of [issuerKeyId(uscc, certificate.fingerprint()), issuerKeyId(uscc)]) {
      const key = await this.find(keyId);
      if (key?.publicKey.equals(certificate.publicKey) === true) {
        this.#found.set(kept, key);
        return key;
      }
    }
    return undefined;
  }

  private async find(keyId: string): Promise<Sm2PrivateKey | undefined> {
    try {
      return await this.keys.getKey(keyId);
    } catch (error) {
      if (error instanceof KeyNotFoundError) return undefined;
      throw error;
    }
  }
}
