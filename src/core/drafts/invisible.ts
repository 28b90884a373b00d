/**
 * Invisible and direction-changing Unicode characters.
 *
 * A draft (from the language model, or text pasted from inbound mail) can carry characters a person
 * reviewing it cannot see: zero-width spaces and joiners, bidirectional overrides that reorder what
 * is displayed ("Trojan Source", CVE-2021-42574), Unicode tag characters that smuggle hidden text
 * (ASCII mirrored at U+E0000) and variation selectors used the same way. What the owner approves must
 * be what the customer gets, so the validator flags them and mail ingest strips them.
 *
 * The set: U+00AD soft hyphen, U+061C Arabic letter mark, U+180E Mongolian vowel separator,
 * U+200B–U+200F (zero-width space/non-joiner/joiner, LRM, RLM), U+202A–U+202E (bidi embeddings and
 * overrides), U+2060–U+2064 (word joiner, invisible operators), U+2066–U+2069 (bidi isolates),
 * U+FE00–U+FE0F and U+E0100–U+E01EF (variation selectors), U+FEFF (BOM / zero-width no-break space),
 * U+E0000–U+E007F (tag characters). U+061C and U+180E go beyond the brief's list; they are the
 * remaining default-ignorable format characters that behave the same way.
 */

// Inclusive code point ranges. Numeric ranges rather than a regex character class: a class holding
// joiners and variation selectors is exactly what lint rules (rightly) call misleading.
const RANGES: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad],
  [0x061c, 0x061c],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x2069],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xe0000, 0xe007f],
  [0xe0100, 0xe01ef],
];

/** True when `codePoint` belongs to the invisible set (see module doc). */
export function isInvisible(codePoint: number): boolean {
  return RANGES.some(([lo, hi]) => codePoint >= lo && codePoint <= hi);
}

/** One invisible character found in a text. */
export interface InvisibleChar {
  /** Offset in UTF-16 code units (what `String.prototype.slice` uses). */
  index: number;
  /** The code point, e.g. 0x200b. */
  codePoint: number;
}

/** Every invisible character of `text`, in order, with its UTF-16 offset and code point. */
export function findInvisible(text: string): InvisibleChar[] {
  const found: InvisibleChar[] = [];
  let index = 0;
  for (const ch of text) {
    const codePoint = ch.codePointAt(0) ?? 0;
    if (isInvisible(codePoint)) found.push({ index, codePoint });
    index += ch.length;
  }
  return found;
}

/** True when `text` contains at least one character of the invisible set (see module doc). */
export function hasInvisible(text: string): boolean {
  for (const ch of text) if (isInvisible(ch.codePointAt(0) ?? 0)) return true;
  return false;
}

/**
 * `text` without any character of the invisible set (see module doc); everything else, including
 * ordinary whitespace and visible emoji, is kept. Stripping a zero-width joiner splits a joined emoji
 * into its visible parts, which is the safe side for untrusted text.
 */
export function stripInvisible(text: string): string {
  let out = '';
  for (const ch of text) if (!isInvisible(ch.codePointAt(0) ?? 0)) out += ch;
  return out;
}

/** `U+200B`-style label of a code point, for violation details a person reads. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
