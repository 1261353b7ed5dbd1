/**
 * The root of every typed error in CertHub. Each failure kind is its own subclass with a stable `code`
 * (what the gateway maps to an HTTP status and what clients match on) and the context needed to act on it.
 * Never match on `message`: it is for people.
 */
export abstract class CertHubError extends Error {
  abstract readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.context = context;
  }
}
