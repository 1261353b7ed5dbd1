import type { StringSpace } from './gateway-stores';

/**
 * License serials: `<issue date YYYYMMDD><6-digit counter>`, the counter kept per issuer per day. Unique per issuer
 * (the ID also carries the issuer's USCC), readable, and with no global hot key: issuers never share a counter. Each
 * number is written before it is handed out, so a restart never hands one out twice; concurrent requests of one
 * issuer are serialised in-process.
 */
export class SerialAllocator {
  readonly #tails = new Map<string, Promise<unknown>>();

  constructor(private readonly space: StringSpace) {}

  next(issuerUscc: string, issuedOn: string): Promise<string> {
    const day = issuedOn.replace(/-/g, '');
    const key = `${issuerUscc}:${day}`;
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const allocated = previous.then(async () => {
      const last = Number((await this.space.get(key)) ?? '0');
      const counter = last + 1;
      await this.space.put(key, String(counter));
      return `${day}${String(counter).padStart(6, '0')}`;
    });
    this.#tails.set(
      key,
      allocated.catch(() => undefined),
    );
    return allocated;
  }
}
