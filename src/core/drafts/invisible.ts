/**
 * Invisible, control and direction-changing Unicode characters.
 *
 * A draft (from the language model, or text pasted from inbound mail) can carry characters a person
 * reviewing it cannot see: zero-width spaces and joiners, bidirectional overrides that reorder what
 * is displayed ("Trojan Source", CVE-2021-42574), Unicode tag characters that smuggle hidden text
 * (ASCII mirrored at U+E0000) and variation selectors used the same way, control characters that
 * terminals, mail clients and SMS gateways each treat differently, and blank "letters" that look
 * like spaces but are not whitespace. What the owner approves must be what the customer gets, so the
 * validator flags them and mail ingest strips them.
 *
 * The set: U+00AD soft hyphen, U+061C Arabic letter mark, U+180E Mongolian vowel separator,
 * U+200B–U+200F (zero-width space/non-joiner/joiner, LRM, RLM), U+202A–U+202E (bidi embeddings and
 * overrides), U+2060–U+2064 (word joiner, invisible operators), U+2066–U+2069 (bidi isolates),
 * U+FE00–U+FE0F and U+E0100–U+E01EF (variation selectors), U+FEFF (BOM / zero-width no-break space),
 * U+E0000–U+E007F (tag characters). U+061C and U+180E go beyond the brief's list; they are the
 * remaining default-ignorable format characters that behave the same way.
 *
 * Added after a tester's report: the C0 controls U+0000–U+001F except tab, line feed and carriage
 * return; DEL U+007F and the C1 controls U+0080–U+009F (U+0085 NEXT LINE among them); U+2028 LINE
 * SEPARATOR and U+2029 PARAGRAPH SEPARATOR; U+034F COMBINING GRAPHEME JOINER; the Hangul fillers
 * U+115F, U+1160, U+3164 and U+FFA0 (blank letters, so they pass for spaces inside words); and, as
 * the remaining invisible format characters of the same kind, U+17B4–U+17B5 (Khmer inherent vowels),
 * U+FFF9–U+FFFB (interlinear annotation) and U+1D173–U+1D17A (musical formatting).
 *
 * U+FFFD REPLACEMENT CHARACTER is not in the set: it is visible ("�") and means the text was decoded
 * with the wrong character set somewhere, a different problem with a different fix. The validator
 * reports it under its own rule, `replacement_character` (`findReplacementChars`).
 */

// Inclusive code point ranges. Numeric ranges rather than a regex character class: a class holding
// joiners and variation selectors is exactly what lint rules (rightly) call misleading.
const RANGES: readonly (readonly [number, number])[] = [
  [0x0000, 0x0008],
  [0x000b, 0x000c],
  [0x000e, 0x001f],
  [0x007f, 0x009f],
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x2029],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x2069],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe007f],
  [0xe0100, 0xe01ef],
];

/**
 * Members of the set that end a line where they are honoured (vertical tab, form feed, NEXT LINE,
 * LINE SEPARATOR, PARAGRAPH SEPARATOR): `stripInvisible` turns them into "\n" instead of removing
 * them, so two lines or sentences do not run together.
 */
const LINE_BREAKS: ReadonlySet<number> = new Set([0x000b, 0x000c, 0x0085, 0x2028, 0x2029]);

/** True when `codePoint` belongs to the invisible set (see module doc). */
export function isInvisible(codePoint: number): boolean {
  // Printable ASCII, tab, LF and CR — nearly every character of a draft — are never in RANGES.
  if ((codePoint >= 0x20 && codePoint < 0x7f) || codePoint === 0x09 || codePoint === 0x0a || codePoint === 0x0d) return false;
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
 * `text` without any character of the invisible set (see module doc), except that the line-ending
 * ones (vertical tab, form feed, U+0085, U+2028, U+2029) become "\n"; everything else, including
 * ordinary whitespace and visible emoji, is kept. Stripping a zero-width joiner splits a joined emoji
 * into its visible parts, which is the safe side for untrusted text.
 */
export function stripInvisible(text: string): string {
  if (!hasInvisible(text)) return text;
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (!isInvisible(cp)) out += ch;
    else if (LINE_BREAKS.has(cp)) out += '\n';
  }
  return out;
}

/** UTF-16 offsets of every U+FFFD REPLACEMENT CHARACTER in `text` (a sign of mis-decoded text). */
export function findReplacementChars(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) out.push(i);
  return out;
}

/** `U+200B`-style label of a code point, for violation details a person reads. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
