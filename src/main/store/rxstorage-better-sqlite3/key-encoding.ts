/**
 * Order-preserving encoding of RxDB index strings (and primary keys) into
 * SQLite TEXT values.
 *
 * RxDB orders index strings with JavaScript's `<`, i.e. by UTF-16 code units.
 * SQLite compares TEXT (BINARY collation) with memcmp over UTF-8 bytes, which
 * is code point order. The two orders agree for code units below U+D800, but
 * not above: a character above U+FFFF is a surrogate pair (0xD800-0xDFFF) in
 * UTF-16 and therefore sorts *before* U+E000-U+FFFF (including RxDB's
 * '\uFFFF' upper bound) in JavaScript, while its UTF-8 form (F0..) sorts after
 * them. Lone surrogates cannot be represented in UTF-8 at all.
 *
 * The fix maps every UTF-16 code unit `u` to a code point `f(u)`:
 *
 *   f(u) = u            for u <  0xD800
 *   f(u) = u + 0x800    for u >= 0xD800   (0xE000 .. 0x107FF)
 *
 * `f` is strictly increasing and never yields a surrogate, so the result is a
 * valid Unicode string. UTF-8 preserves code point order and is prefix-free,
 * so memcmp over UTF-8(f(s)) orders exactly like JavaScript orders `s`
 * (`key-encoding.test.ts` checks this against SQLite with random strings).
 * Strings without code units >= 0xD800 (almost all keys) are returned as they
 * are, so the common case costs one regex test and no allocation.
 */
const NEEDS_MAPPING = /[\uD800-\uFFFF]/;
const HIGH_UNITS = /[\uD800-\uFFFF]/g;
const mapUnit = (unit: string) => String.fromCodePoint(unit.charCodeAt(0) + 0x800);

export function toSqliteKey(str: string): string {
  // The regex sees code units (no `u` flag), so each half of a pair is mapped on its own.
  return NEEDS_MAPPING.test(str) ? str.replace(HIGH_UNITS, mapUnit) : str;
}
