/*
 * ISO/IEC 7064 MOD 37,36: the hybrid system with M = 36 over the alphabet 0-9A-Z, one check character from the same
 * alphabet. It catches every single-character substitution; as a hybrid (not pure) system it misses a few adjacent
 * transpositions (e.g. "45" ↔ "54" at some positions), which is the standard's trade-off, not a bug here.
 * Used by the national e-license identifier.
 */

export const MOD_37_36_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = 36;

/**
 * The MOD 37,36 check character of `body`, which must be non-empty and use only `MOD_37_36_ALPHABET`
 * (callers validate; this returns undefined otherwise so it never guesses).
 */
export function mod3736CheckChar(body: string): string | undefined {
  if (body.length === 0) return undefined;
  let p = M;
  for (const char of body) {
    const value = MOD_37_36_ALPHABET.indexOf(char);
    if (value < 0) return undefined;
    // p = ((p + value) mod M, with 0 read as M) × 2 mod (M + 1)
    const s = (p + value) % M;
    p = ((s === 0 ? M : s) * 2) % (M + 1);
  }
  // The check character a makes (p + a) mod M = 1.
  return MOD_37_36_ALPHABET.charAt((M + 1 - p) % M);
}
