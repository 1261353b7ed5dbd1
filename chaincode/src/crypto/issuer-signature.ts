import {
  CertificateChainError,
  Sm2Certificate,
  Sm2SignatureFormatError,
  sm2Verify,
  verifyCertificateChain,
} from '@certhub/certs-service';
import { ChaincodeRuleError } from '../errors';
import type { Issuer, IssuerCertificate, Region } from '../model/registry';

/**
 * The check behind every anchor: the signer certificate is one the issuer registered, not retired at tx time, chains
 * to the region's root and is within its validity at tx time, and its key verifies the SM2 signature (GB/T 32918,
 * ID 1234567812345678) over the exact bytes. Chain results are cached per (certificate, root) because the signature
 * over a certificate never changes; validity windows are re-checked against each transaction's own time.
 */
const parsed = new Map<string, Sm2Certificate>();
const chained = new Set<string>();
const CACHE_LIMIT = 1_000;

export function parseCertificate(pem: string, field: string): Sm2Certificate {
  const cached = parsed.get(pem);
  if (cached !== undefined) return cached;
  let certificate: Sm2Certificate;
  try {
    certificate = Sm2Certificate.fromPem(pem);
  } catch (cause) {
    throw new ChaincodeRuleError(
      'CERTIFICATE_REJECTED',
      `${field} is not an SM2 certificate`,
      { field, reason: 'MALFORMED' },
      { cause },
    );
  }
  if (parsed.size >= CACHE_LIMIT) parsed.clear();
  parsed.set(pem, certificate);
  return certificate;
}

/** Throws CERTIFICATE_REJECTED unless `at` lies within the certificate's validity. */
export function assertValidAt(certificate: Sm2Certificate, at: Date): void {
  if (at < certificate.notBefore || at > certificate.notAfter) {
    throw new ChaincodeRuleError('CERTIFICATE_REJECTED', 'Certificate is not valid at transaction time', {
      reason: at < certificate.notBefore ? 'NOT_YET_VALID' : 'EXPIRED',
      fingerprint: certificate.fingerprint(),
    });
  }
}

/** Checks that `certificate` chains to the region root and is valid at `at`; throws CERTIFICATE_REJECTED otherwise. */
export async function assertChainsToRegion(certificate: Sm2Certificate, region: Region, at: Date): Promise<void> {
  const root = parseCertificate(region.rootCertificatePem, 'region root');
  const cacheKey = `${certificate.fingerprint()}:${region.rootFingerprint}`;
  if (chained.has(cacheKey)) {
    assertValidAt(certificate, at);
    assertValidAt(root, at);
    return;
  }
  try {
    await verifyCertificateChain(certificate, { roots: [root], at });
  } catch (error) {
    if (error instanceof CertificateChainError) {
      throw new ChaincodeRuleError(
        'CERTIFICATE_REJECTED',
        `Certificate does not chain to the root of region ${region.code}`,
        {
          ...error.context,
          region: region.code,
        },
      );
    }
    throw error;
  }
  if (chained.size >= CACHE_LIMIT) chained.clear();
  chained.add(cacheKey);
}

export interface SignedPayload {
  readonly issuer: Issuer;
  readonly region: Region;
  readonly certificatePem: string;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly at: Date;
}

/** Returns the registered certificate that verified the signature. */
export async function verifyIssuerSignature(payload: SignedPayload): Promise<IssuerCertificate> {
  const certificate = parseCertificate(payload.certificatePem, 'certificate');
  const fingerprint = certificate.fingerprint();
  const registered = payload.issuer.certificates.find((c) => c.fingerprint === fingerprint);
  if (registered === undefined) {
    throw new ChaincodeRuleError(
      'CERTIFICATE_REJECTED',
      `Certificate is not registered for issuer ${payload.issuer.uscc}`,
      {
        reason: 'NOT_REGISTERED',
        issuer: payload.issuer.uscc,
        fingerprint,
      },
    );
  }
  if (registered.retiredAt !== null && payload.at.getTime() >= Date.parse(registered.retiredAt)) {
    throw new ChaincodeRuleError('CERTIFICATE_REJECTED', 'The signing key was retired before this transaction', {
      reason: 'RETIRED',
      issuer: payload.issuer.uscc,
      fingerprint,
      retiredAt: registered.retiredAt,
    });
  }
  await assertChainsToRegion(certificate, payload.region, payload.at);
  assertSignatureVerifies(certificate, fingerprint, payload.message, payload.signature);
  return registered;
}

/**
 * The SM2 check (ID 1234567812345678) every signed payload ends with, issuer's or enterprise's: BAD_SIGNATURE with
 * reason MALFORMED (not a DER signature) or MISMATCH (does not verify over these exact bytes).
 */
export function assertSignatureVerifies(
  certificate: Sm2Certificate,
  fingerprint: string,
  message: Uint8Array,
  signature: Uint8Array,
): void {
  let ok: boolean;
  try {
    ok = sm2Verify(certificate.publicKey, message, signature);
  } catch (error) {
    if (error instanceof Sm2SignatureFormatError) {
      throw new ChaincodeRuleError('BAD_SIGNATURE', 'The SM2 signature is malformed', {
        reason: 'MALFORMED',
        fingerprint,
      });
    }
    throw error;
  }
  if (!ok)
    throw new ChaincodeRuleError('BAD_SIGNATURE', 'The SM2 signature does not verify', {
      reason: 'MISMATCH',
      fingerprint,
    });
}
