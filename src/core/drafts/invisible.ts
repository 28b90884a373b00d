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

const INVISIBLE_CLASS =
  '\\u00AD\\u061C\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069' +
  '\\uFE00-\\uFE0F\\uFEFF\\u{E0000}-\\u{E007F}\\u{E0100}-\\u{E01EF}';

/** One invisible character found in a text. */
export interface InvisibleChar {
  /** Offset in UTF-16 code units (what `String.prototype.slice` uses). */
  index: number;
  /** The code point, e.g. 0x200b. */
  codePoint: number;
}

/** True when `text` contains at least one character of the invisible set (see module doc). */
export function hasInvisible(text: string): boolean {
  return new RegExp(`[${INVISIBLE_CLASS}]`, 'u').test(text);
}

/** Every invisible character of `text`, in order, with its UTF-16 offset and code point. */
export function findInvisible(text: string): InvisibleChar[] {
  const found: InvisibleChar[] = [];
  for (const m of text.matchAll(new RegExp(`[${INVISIBLE_CLASS}]`, 'gu'))) {
    found.push({ index: m.index, codePoint: m[0].codePointAt(0) ?? 0 });
  }
  return found;
}

/**
 * `text` without any character of the invisible set (see module doc); everything else, including
 * ordinary whitespace and visible emoji, is kept. Stripping a zero-width joiner splits a joined emoji
 * into its visible parts, which is the safe side for untrusted text.
 */
export function stripInvisible(text: string): string {
  return text.replace(new RegExp(`[${INVISIBLE_CLASS}]`, 'gu'), '');
}

/** `U+200B`-style label of a code point, for violation details a person reads. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
