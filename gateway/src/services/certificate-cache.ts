import { Sm2Certificate, verifyCertificateChain } from '@certhub/certs-service';
import { LruMap } from '../lru-map';

/** How many parsed certificates and chain answers to keep; a hub has a few hundred issuer certificates at most. */
const DEFAULT_CAPACITY = 2048;

/**
 * Verification parses the same few certificates and checks the same chains over and over (every verification of a
 * region's licenses meets that region's root and a handful of issuer certificates). ASN.1 parsing and the chain's SM2
 * signature dominate the CPU profile of POST /v1/verify, so both are memoised here. Both are pure: a certificate is
 * its PEM, and a chain answer is a function of (leaf, root, time) — mutable facts such as key retirement are read
 * from the ledger on every verification, never cached.
 */
export class CertificateCache {
  readonly #parsed: LruMap<string, Sm2Certificate>;
  readonly #chains: LruMap<string, Promise<void>>;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#parsed = new LruMap(capacity);
    this.#chains = new LruMap(capacity);
  }

  /** Sm2Certificate.fromPem, once per distinct PEM. Parse failures are not cached: they throw each time. */
  parse(pem: string): Sm2Certificate {
    let certificate = this.#parsed.get(pem);
    if (certificate === undefined) {
      certificate = Sm2Certificate.fromPem(pem);
      this.#parsed.set(pem, certificate);
    }
    return certificate;
  }

  /**
   * verifyCertificateChain(leaf, {roots: [root], at}), remembered by the fingerprints and the time, so a failure is
   * rethrown as the same CertificateChainError every time it is asked.
   */
  verifyChain(leaf: Sm2Certificate, root: Sm2Certificate, at: Date): Promise<void> {
    const key = `${leaf.fingerprint()}:${root.fingerprint()}:${at.toISOString()}`;
    let answer = this.#chains.get(key);
    if (answer === undefined) {
      answer = verifyCertificateChain(leaf, { roots: [root], at });
      this.#chains.set(key, answer);
    }
    return answer;
  }
}
