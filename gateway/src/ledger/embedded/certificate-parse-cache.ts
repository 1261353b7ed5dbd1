import { Certificate } from '@fidm/x509';
import { LruMap } from '../../lru-map';

/**
 * fabric-shim builds a ClientIdentity for every transaction and parses the caller's certificate PEM with @fidm/x509
 * each time (`Certificate.fromPEM` in fabric-shim/lib/chaincode.js), about a quarter of what an embedded anchor costs.
 * A gateway has few callers (one Fabric identity per user), so the embedded ledger memoises that parse by PEM text.
 * fabric-shim only reads the parsed object (subject, issuer, extensions), so sharing it between transactions is safe.
 */
export const CERTIFICATE_PARSE_CACHE_SIZE = 1024;

/** `parse` memoised by the text of its input, keeping the `size` most recently used results. */
export function memoizeByText<T>(parse: (data: Buffer) => T, size: number): (data: Buffer | string) => T {
  const results = new LruMap<string, T>(size);
  return (data) => {
    // fabric-shim passes a string although the typings say Buffer; both have the same text.
    const key = typeof data === 'string' ? data : data.toString('utf8');
    const hit = results.get(key);
    if (hit !== undefined) return hit;
    const result = parse(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    results.set(key, result);
    return result;
  };
}

let installed = false;

/** Installs the memo on @fidm/x509's `Certificate.fromPEM` once per process; later calls do nothing. */
export function installCertificateParseCache(): void {
  if (installed) return;
  installed = true;
  Certificate.fromPEM = memoizeByText(Certificate.fromPEM.bind(Certificate), CERTIFICATE_PARSE_CACHE_SIZE);
}
