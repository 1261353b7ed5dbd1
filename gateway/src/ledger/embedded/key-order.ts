/**
 * Orders state keys as level stores them: by their UTF-8 bytes, which is Unicode code point order. JavaScript's `<`
 * compares UTF-16 code units instead, and the two disagree when one key has a character from U+E000–U+FFFF (full-width
 * forms, private use) where the other has one above U+FFFF (a surrogate pair, as in composite-key range ends, which
 * use U+10FFFF). Mapping the code units so surrogates sort above U+E000–U+FFFF makes code unit order code point order,
 * without encoding either string.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return inCodePointOrder(x) - inCodePointOrder(y);
  }
  return a.length - b.length;
}

/** U+E000–U+FFFF down by 0x800, surrogates (0xD800–0xDFFF) up by 0x2000: surrogates then come after everything. */
function inCodePointOrder(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
