/**
 * Folding look-alike characters to the Latin letters a reader sees, so a rule that matches English
 * words ("apologize", "coupon") cannot be dodged by writing them with a Cyrillic "а" or a Greek "ο".
 *
 * Source: Unicode Technical Standard #39 "Unicode Security Mechanisms", data file confusables.txt
 * (https://www.unicode.org/Public/security/latest/confusables.txt). CONFUSABLES below is a hand-picked
 * subset of its single-character entries whose target is one ASCII letter: the Cyrillic and Greek
 * letters that look like Latin ones, plus a few Latin look-alikes (dotless i, script a and g). One
 * deliberate difference: TR39 skeletons map every "I"-like capital (Greek Iota, Cyrillic І) to "l",
 * because its skeletons fold Latin "I" to "l" too; here they map to "I", the letter the reader takes
 * them for, since the folded text is matched against words, not compared as skeletons.
 *
 * Also folded: fullwidth ASCII (U+FF01–U+FF5E, their NFKC compatibility mapping, also listed in
 * confusables.txt), precomposed Latin letters with diacritics to their base letter ("é" → "e"),
 * combining marks (dropped), and typography (see `foldTypography`). Case is kept.
 *
 * This is for matching only: what the customer gets is never rewritten. Links and contact details
 * are NOT read through this fold — a look-alike domain must stay unlike the real one.
 */
import { foldTypography } from './text';

const CONFUSABLES: Readonly<Record<number, string>> = {
  // Cyrillic small letters (TR39: а е о р с у х ѕ і ј һ ԁ ԛ ԝ ү ӏ ѵ ѡ ҽ)
  0x0430: 'a', 0x0435: 'e', 0x043e: 'o', 0x0440: 'p', 0x0441: 'c', 0x0443: 'y', 0x0445: 'x', 0x0455: 's',
  0x0456: 'i', 0x0458: 'j', 0x04bb: 'h', 0x0501: 'd', 0x051b: 'q', 0x051d: 'w', 0x04af: 'y', 0x04cf: 'i',
  0x0475: 'v', 0x0461: 'w', 0x04bd: 'e',
  // Cyrillic capitals (TR39: А В Е К М Н О Р С Т У Х Ѕ І Ј Ү Ԝ Ӏ Ѵ)
  0x0410: 'A', 0x0412: 'B', 0x0415: 'E', 0x041a: 'K', 0x041c: 'M', 0x041d: 'H', 0x041e: 'O', 0x0420: 'P',
  0x0421: 'C', 0x0422: 'T', 0x0423: 'Y', 0x0425: 'X', 0x0405: 'S', 0x0406: 'I', 0x0408: 'J', 0x04ae: 'Y',
  0x051c: 'W', 0x04c0: 'I', 0x0474: 'V',
  // Greek small letters (TR39: α γ ι ν ο ρ σ υ ϱ ϲ ϳ)
  0x03b1: 'a', 0x03b3: 'y', 0x03b9: 'i', 0x03bd: 'v', 0x03bf: 'o', 0x03c1: 'p', 0x03c3: 'o', 0x03c5: 'u',
  0x03f1: 'p', 0x03f2: 'c', 0x03f3: 'j',
  // Greek capitals (TR39: Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ Ϲ)
  0x0391: 'A', 0x0392: 'B', 0x0395: 'E', 0x0396: 'Z', 0x0397: 'H', 0x0399: 'I', 0x039a: 'K', 0x039c: 'M',
  0x039d: 'N', 0x039f: 'O', 0x03a1: 'P', 0x03a4: 'T', 0x03a5: 'Y', 0x03a7: 'X', 0x03f9: 'C',
  // Latin look-alikes (TR39: ı ɑ ɡ ɩ)
  0x0131: 'i', 0x0251: 'a', 0x0261: 'g', 0x0269: 'i',
};

const MARK = /\p{M}/u;
const ASCII_LETTER = /^[A-Za-z]$/;

/** One character of the input as the matcher reads it: '' (dropped) or one ASCII or other char. */
function foldChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80) return ch; // ASCII has no look-alike to fold and no combining mark

  const mapped = CONFUSABLES[cp];
  if (mapped !== undefined) return mapped;
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCharCode(cp - 0xfee0);
  if (MARK.test(ch)) return '';
  if (cp > 0x7f && cp <= 0x24f) {
    // Latin-1 Supplement and Latin Extended-A/B: "é" → "e", "Ł" stays (no decomposition).
    const base = ch.normalize('NFD').charAt(0);
    if (ASCII_LETTER.test(base)) return base;
  }
  return ch;
}

/** A text folded for matching, with the way back to offsets of the original. */
export interface FoldedText {
  /** The folded text: look-alikes as Latin letters, combining marks removed, typography folded. */
  text: string;
  /** The span of the original text that a span `[index, end)` of `text` came from. */
  origin(index: number, end: number): { index: number; end: number };
}

/** `input` folded for matching English words (see module doc). */
export function foldConfusables(input: string): FoldedText {
  const typo = foldTypography(input);
  let text = '';
  const starts: number[] = [];
  let i = 0;
  for (const ch of typo) {
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) starts.push(i);
    text += f;
    i += ch.length;
  }
  starts.push(input.length);
  return {
    text,
    origin(index, end) {
      const from = starts[Math.max(0, Math.min(index, starts.length - 1))] ?? 0;
      const to = end >= text.length ? input.length : (starts[end] ?? input.length);
      return { index: from, end: Math.max(from, to) };
    },
  };
}

/** Just the folded text of `input` (see `foldConfusables`). */
export function foldForMatching(input: string): string {
  return foldConfusables(input).text;
}
