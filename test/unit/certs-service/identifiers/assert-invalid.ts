import { CertHubError, InvalidIdentifierError } from '@certhub/certs-service';

/** An assert.throws predicate: an InvalidIdentifierError of this kind and reason, about this value. */
export function invalidIdentifier(kind: string, reason: string, value?: string) {
  return (error: unknown): boolean =>
    // CertHubError first: its `code` is a plain string, so the comparison is a real check.
    error instanceof CertHubError &&
    error.code === 'INVALID_IDENTIFIER' &&
    error instanceof InvalidIdentifierError &&
    error.context.kind === kind &&
    error.context.reason === reason &&
    (value === undefined || error.context.value === value);
}
