// Certificate chain validation at a given time (RFC 5280 §6 reduced to what CertHub's SM2 PKI uses): each
// certificate's signature with its issuer's SM2 key and the ID 1234567812345678, every validity window, cA and
// keyCertSign on each issuer, digitalSignature on the leaf, ending at one of the given roots (trust anchors).
import { KeyUsageFlags } from './peculiar';
import type { Sm2Certificate } from './certificate';
import { CertificateChainError, type CertificateChainFailure } from './errors';
import { ensureSm2Registered } from './register';
import { Sm2CryptoKey } from './sm2-crypto';

export interface ChainValidationOptions {
  /** Trust anchors: the chain must end at one of these. */
  roots: Sm2Certificate[];
  /** Certificates that may sit between the leaf and a root, in any order. */
  intermediates?: Sm2Certificate[];
  /** The time the chain must be valid at (e.g. a document's signing time). */
  at: Date;
}

/** Longer chains than this are refused instead of followed (loops, hostile input). */
const MAX_CHAIN_LENGTH = 8;

function fail(reason: CertificateChainFailure, certificate: Sm2Certificate, message: string, cause?: unknown): never {
  throw new CertificateChainError(reason, certificate, message, cause === undefined ? undefined : { cause });
}

function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}

function checkValidity(certificate: Sm2Certificate, at: Date): void {
  // Both ends are inclusive (RFC 5280 §4.1.2.5).
  if (at.getTime() < certificate.notBefore.getTime()) {
    fail(
      'NOT_YET_VALID',
      certificate,
      `certificate ${certificate.subject} is not valid before ${certificate.notBefore.toISOString()}`,
    );
  }
  if (at.getTime() > certificate.notAfter.getTime()) {
    fail('EXPIRED', certificate, `certificate ${certificate.subject} expired at ${certificate.notAfter.toISOString()}`);
  }
}

/** Whether `candidate` could have issued `child`: its subject is the child's issuer and the key identifiers agree. */
function couldHaveIssued(candidate: Sm2Certificate, child: Sm2Certificate): boolean {
  if (!sameBytes(candidate.x509.subjectName.toArrayBuffer(), child.x509.issuerName.toArrayBuffer())) {
    return false;
  }
  const aki = child.authorityKeyId;
  const ski = candidate.subjectKeyId;
  return aki === undefined || ski === undefined || aki.toLowerCase() === ski.toLowerCase();
}

async function signedBy(child: Sm2Certificate, issuer: Sm2Certificate): Promise<boolean> {
  // @peculiar/x509 verifies through the registered SM2 provider: SM2-with-SM3, default ID, DER → r||s. Handing it
  // the issuer's already-parsed key (rather than its SPKI) skips a re-import and keeps SM2's per-key caches warm.
  return child.x509.verify({ publicKey: Sm2CryptoKey.forVerifying(issuer.publicKey), signatureOnly: true });
}

function checkIssuerMayCertify(issuer: Sm2Certificate): void {
  if (!issuer.isCa) {
    fail('NOT_A_CA', issuer, `certificate ${issuer.subject} is not a CA (basicConstraints cA is not set)`);
  }
  // RFC 5280 §4.2.1.3: a CA certificate that signs certificates must assert keyCertSign.
  const usage = issuer.keyUsage;
  if (usage === undefined || (usage & KeyUsageFlags.keyCertSign) === 0) {
    fail('KEY_USAGE', issuer, `certificate ${issuer.subject} may not sign certificates (no keyCertSign)`);
  }
}

/**
 * Resolves when `leaf` chains to one of `options.roots` and every rule holds at `options.at`; otherwise rejects with
 * CertificateChainError whose `context.reason` is UNKNOWN_ISSUER, BAD_SIGNATURE, NOT_YET_VALID, EXPIRED, NOT_A_CA
 * or KEY_USAGE. The leaf must carry keyUsage with digitalSignature: CertHub's leaves sign documents.
 */
export async function verifyCertificateChain(leaf: Sm2Certificate, options: ChainValidationOptions): Promise<void> {
  ensureSm2Registered();
  if (Number.isNaN(options.at.getTime())) {
    // An Invalid Date compares false with everything and would pass every validity window.
    throw new TypeError('verifyCertificateChain: `at` is not a valid date');
  }
  const usage = leaf.keyUsage;
  if (usage === undefined || (usage & KeyUsageFlags.digitalSignature) === 0) {
    fail('KEY_USAGE', leaf, `certificate ${leaf.subject} is not for digital signatures`);
  }
  const intermediates = options.intermediates ?? [];
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth++) {
    checkValidity(current, options.at);
    const root = await findSigner(current, options.roots);
    if (root) {
      checkIssuerMayCertify(root);
      checkValidity(root, options.at);
      return;
    }
    const intermediate = await findSigner(current, intermediates);
    if (!intermediate) {
      return failUnknownOrBadSignature(current, [...options.roots, ...intermediates]);
    }
    checkIssuerMayCertify(intermediate);
    current = intermediate;
  }
  fail('UNKNOWN_ISSUER', current, `no root reached within ${MAX_CHAIN_LENGTH} certificates`);
}

/** The first candidate that names `child`'s issuer and whose key verifies `child`'s signature. */
async function findSigner(child: Sm2Certificate, candidates: Sm2Certificate[]): Promise<Sm2Certificate | undefined> {
  for (const candidate of candidates) {
    if (candidate !== child && couldHaveIssued(candidate, child) && (await verifiesQuietly(child, candidate))) {
      return candidate;
    }
  }
  return undefined;
}

async function verifiesQuietly(child: Sm2Certificate, issuer: Sm2Certificate): Promise<boolean> {
  try {
    return await signedBy(child, issuer);
  } catch {
    // A malformed signature value is simply "not signed by this candidate"; the final error names BAD_SIGNATURE.
    return false;
  }
}

/** No candidate verified: BAD_SIGNATURE if some certificate at least names the issuer, UNKNOWN_ISSUER otherwise. */
async function failUnknownOrBadSignature(child: Sm2Certificate, candidates: Sm2Certificate[]): Promise<never> {
  const named = candidates.filter((candidate) => candidate !== child && couldHaveIssued(candidate, child));
  const first = named[0];
  if (first === undefined) {
    fail('UNKNOWN_ISSUER', child, `no given certificate issued ${child.subject} (issuer ${child.issuer})`);
  }
  let cause: unknown;
  try {
    await signedBy(child, first);
  } catch (error) {
    cause = error;
  }
  fail('BAD_SIGNATURE', child, `the signature on ${child.subject} does not verify with ${first.subject}'s key`, cause);
}
