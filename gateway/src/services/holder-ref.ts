import { hmacSm3 } from '@certhub/certs-service';

/**
 * How a holder appears on chain (DESIGN.md §4): an enterprise by its USCC (public by law), a person only as
 * HMAC-SM3 of the ID number under a key the gateways hold, so the ledger links a person's licenses without naming them.
 */
export class HolderRefs {
  readonly #key: Uint8Array;

  /** The HMAC key is derived from the master key, so it is as stable (and as secret) as the master key itself. */
  constructor(masterKey: Uint8Array) {
    this.#key = hmacSm3(masterKey, 'certhub:holder-ref:v1');
  }

  refFor(holder: { readonly idType: string; readonly id: string }): string {
    return holder.idType === '001' ? holder.id : Buffer.from(hmacSm3(this.#key, holder.id)).toString('hex');
  }
}
