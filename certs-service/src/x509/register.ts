// Teaches @peculiar/x509 SM2, once per process. Everything in this area that builds, parses or verifies certificates
// calls `ensureSm2Registered()` first, so no caller has to remember a setup step.
import { cryptoProvider, diAlgorithm, diAsnSignatureFormatter } from './peculiar';
import { container } from 'tsyringe';
import { Sm2Algorithm, Sm2SignatureFormatter } from './sm2-algorithm';
import { createSm2AwareCrypto } from './sm2-crypto';

let registered = false;

export function ensureSm2Registered(): void {
  if (registered) {
    return;
  }
  // Providers are consulted in registration order and the first non-null answer wins; EC and RSA return null for SM2
  // OIDs, and ours returns null for theirs. Formatters are consulted newest first, so ours sees SM2 before EC's.
  container.registerInstance(diAlgorithm, new Sm2Algorithm());
  container.registerInstance(diAsnSignatureFormatter, new Sm2SignatureFormatter());
  // The default crypto becomes the SM2-aware one, which delegates every other algorithm to Node's webcrypto.
  cryptoProvider.set(createSm2AwareCrypto());
  registered = true;
}
