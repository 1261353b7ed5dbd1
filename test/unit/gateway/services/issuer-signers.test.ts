import assert from 'node:assert/strict';
import {
  KeyStore,
  Sm2PrivateKey,
  createRootCertificate,
  issueIssuerCertificate,
  type Sm2Certificate,
} from '@certhub/certs-service';
import {
  CertificateCache,
  IssuerSigners,
  SigningKeyUnavailableError,
  issuerKeyId,
  type IssuerCertificateRecord,
  type IssuerRecord,
} from '@certhub/gateway/dist/services';
import { makeTempDir } from '../../certs-service/store/temp-dir';

const USCC = '114201000111350663';
const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-11-21T10:00:00.000Z');

interface Pair {
  readonly key: Sm2PrivateKey;
  readonly certificate: Sm2Certificate;
}

/** The registry's entry for a certificate, registered at `registeredAt`, retired at `retiredAt` (or not). */
const entry = (pair: Pair, registeredAt: Date, retiredAt: Date | null = null): IssuerCertificateRecord => ({
  fingerprint: pair.certificate.fingerprint(),
  pem: pair.certificate.pem,
  notBefore: pair.certificate.notBefore.toISOString(),
  notAfter: pair.certificate.notAfter.toISOString(),
  registeredAt: registeredAt.toISOString(),
  retiredAt: retiredAt === null ? null : retiredAt.toISOString(),
  retirementReason: retiredAt === null ? null : 'rotated',
});
const issuer = (...certificates: IssuerCertificateRecord[]): IssuerRecord => ({
  uscc: USCC,
  name: '武汉市市场监督管理局',
  region: '420100',
  licenseTypes: ['11100000000013338W032'],
  certificates,
});

describe('issuer signers', () => {
  const dir = makeTempDir('issuer-signers');
  let keys: KeyStore;
  let signers: IssuerSigners;
  /** first: stored as the issuer's first key (development seed); second, third: stored under their fingerprints. */
  let first: Pair;
  let second: Pair;
  let third: Pair;
  /** A registered certificate whose key this gateway never held (the issuer brought it). */
  let brought: Pair;
  let expired: Pair;

  before(async () => {
    keys = await KeyStore.open(dir.path, new Uint8Array(32).fill(7));
    signers = new IssuerSigners(keys, new CertificateCache());
    const rootKey = Sm2PrivateKey.generate();
    const root = await createRootCertificate({
      subject: 'CN=Root,C=CN',
      key: rootKey,
      notBefore: new Date(NOW.getTime() - 400 * DAY),
    });
    const pair = async (notBefore: Date, validityDays = 1000): Promise<Pair> => {
      const key = Sm2PrivateKey.generate();
      const certificate = await issueIssuerCertificate({
        caKey: rootKey,
        caCertificate: root,
        publicKey: key.publicKey,
        subject: 'CN=Issuer,C=CN',
        uscc: USCC,
        notBefore,
        validityDays,
      });
      return { key, certificate };
    };
    const start = new Date(NOW.getTime() - 100 * DAY);
    [first, second, third, brought] = await Promise.all([pair(start), pair(start), pair(start), pair(start)]);
    expired = await pair(new Date(NOW.getTime() - 300 * DAY), 10);
    await keys.putKey(issuerKeyId(USCC), first.key);
    await keys.putKey(issuerKeyId(USCC, second.certificate.fingerprint()), second.key);
    await keys.putKey(issuerKeyId(USCC, third.certificate.fingerprint()), third.key);
    await keys.putKey(issuerKeyId(USCC, expired.certificate.fingerprint()), expired.key);
  });
  after(async () => {
    await keys.close();
    dir.remove();
  });

  const day = (n: number): Date => new Date(NOW.getTime() - n * DAY);
  const signedBy = async (record: IssuerRecord, at = NOW): Promise<string> =>
    (await signers.signerFor(record, at)).certificate.fingerprint();

  it('signs with the newest registered certificate, by registration time, not list order', async () => {
    assert.equal(
      await signedBy(issuer(entry(first, day(50)), entry(second, day(10)))),
      second.certificate.fingerprint(),
    );
    assert.equal(
      await signedBy(issuer(entry(second, day(10)), entry(first, day(50)))),
      second.certificate.fingerprint(),
    );
    // Registered in the same block: the later entry is the newer one.
    assert.equal(await signedBy(issuer(entry(second, day(5)), entry(third, day(5)))), third.certificate.fingerprint());
  });

  it('pairs each certificate with its own key: the first key for the seed’s, the fingerprint’s key otherwise', async () => {
    const signer = await signers.signerFor(issuer(entry(first, day(50))), NOW);
    assert.ok(signer.key.publicKey.equals(first.certificate.publicKey));
    const rotated = await signers.signerFor(issuer(entry(first, day(50)), entry(third, day(1))), NOW);
    assert.ok(rotated.key.publicKey.equals(third.certificate.publicKey));
  });

  it('skips certificates retired by the signing time, expired ones, and ones whose key it does not hold', async () => {
    const record = issuer(
      entry(first, day(50)),
      entry(second, day(20), day(2)),
      entry(expired, day(10)),
      entry(brought, day(1)),
    );
    assert.equal(await signedBy(record), first.certificate.fingerprint());
    // Before its retirement the second key still signs (a retirement scheduled for later does not stop it yet).
    assert.equal(await signedBy(record, day(3)), second.certificate.fingerprint());
  });

  it('keeps a key once found: the same key object signs again, and a retirement still moves signing at once', async () => {
    const record = issuer(entry(first, day(50)), entry(third, day(1)));
    const once = await signers.signerFor(record, NOW);
    const again = await signers.signerFor(record, NOW);
    assert.equal(again.key, once.key, 'read, decrypted and rebuilt once');
    const retired = issuer(entry(first, day(50)), entry(third, day(1), day(0)));
    assert.equal(await signedBy(retired), first.certificate.fingerprint());
  });

  it('refuses, saying why, when no certificate is current or none has a key here', async () => {
    await assert.rejects(
      signers.signerFor(issuer(entry(first, day(50), day(1)), entry(expired, day(10))), NOW),
      (error: unknown) =>
        error instanceof SigningKeyUnavailableError && /no registered certificate that is current/.test(error.message),
    );
    await assert.rejects(
      signers.signerFor(issuer(entry(brought, day(1))), NOW),
      (error: unknown) => error instanceof SigningKeyUnavailableError && /holds no signing key/.test(error.message),
    );
    await assert.rejects(signers.signerFor(issuer(), NOW), SigningKeyUnavailableError);
  });
});
