/**
 * JSON with object keys sorted at every level, JSON.stringify's rules otherwise (undefined members are dropped).
 * What the chaincode writes and what the embedded ledger hashes into blocks: any two runs over the same values give
 * the same bytes. Lighter than RFC 8785 (`canonicalize`), which signed documents need and which refuses more.
 */
export function sortedKeyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const record = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(record)
          .sort()
          .map((k) => [k, record[k]]),
      );
    }
    return v;
  });
}
