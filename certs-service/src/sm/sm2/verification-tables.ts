import { Sm2Point } from './curve';

// Verification computes s·G + t·P. G has a permanent 8-bit wNAF table; for P, a table of the same size
// costs ~60 ms and ~0.6 MiB but makes every later verification ~4x faster. Issuer keys are few and are
// seen again and again, so a key gets its table the second time it is verified (a one-off key never pays
// for it), and the tables of the most recently used keys are kept, however the caller re-parses the key.

const WINDOW_BITS = 8;
const MAX_TABLED_KEYS = 64;

interface Entry {
  point: Sm2Point;
  tabled: boolean;
}

const entries = new Map<string, Entry>();

/** A public key point prepared for verification: with a precomputed table once the key is known. */
export interface VerificationPoint {
  readonly point: Sm2Point;
  readonly tabled: boolean;
}

/** The point to multiply for verification under `encoded` (65 bytes): a tabled copy once the key is known. */
export function verificationPoint(encoded: Uint8Array, point: Sm2Point): VerificationPoint {
  const id = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength).toString('latin1');
  const entry = entries.get(id);
  if (entry === undefined) {
    entries.set(id, { point, tabled: false });
    evictOldest();
    return { point, tabled: false };
  }
  // Re-insert to mark it most recently used (Map keeps insertion order).
  entries.delete(id);
  entries.set(id, entry);
  if (!entry.tabled) {
    // A fresh point object: noble keys its tables by object, and the caller's point may be shared.
    entry.point = Sm2Point.fromAffine(point.toAffine()).precompute(WINDOW_BITS, false);
    entry.tabled = true;
  }
  return { point: entry.point, tabled: entry.tabled };
}

function evictOldest(): void {
  while (entries.size > MAX_TABLED_KEYS) {
    const oldest = entries.keys().next();
    if (oldest.done === true) {
      return;
    }
    entries.delete(oldest.value);
  }
}

/** How many keys have a table now (for tests and diagnostics). */
export function tabledKeyCount(): number {
  let count = 0;
  for (const entry of entries.values()) {
    if (entry.tabled) {
      count += 1;
    }
  }
  return count;
}

/** Forgets all keys (tests). */
export function clearVerificationTables(): void {
  entries.clear();
}
