/**
 * Small text utilities shared by the composer and the validator, so both count words and find links
 * the same way (a draft the composer fits under a limit must not fail the validator's count).
 */

/**
 * Typographic apostrophes, quotes and dashes folded to ASCII, one character for one, so every offset
 * into the result is an offset into the input.
 */
export function foldTypography(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-');
}

/**
 * Spans of `text` where `phrase` occurs, ignoring case, typography (see `foldTypography`) and the
 * amount of whitespace, and only at word edges ("#1001" does not match inside "#10012").
 */
export function findPhrase(text: string, phrase: string): { index: number; end: number }[] {
  const words = foldTypography(phrase).trim().split(/\s+/).filter(Boolean).map(escapeRegExp);
  if (words.length === 0) return [];
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${words.join('\\s+')}(?![\\p{L}\\p{N}])`, 'giu');
  return [...foldTypography(text).matchAll(re)].map((m) => ({ index: m.index, end: m.index + m[0].length }));
}

/** `s` escaped for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Words as a reader counts them: whitespace-separated tokens holding at least one letter or digit,
 * so a dash or bullet is not a word and a URL is one.
 */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((t) => /[\p{L}\p{N}]/u.test(t)).length;
}

/** A link found in a text, with its UTF-16 span. */
export interface FoundUrl {
  url: string;
  index: number;
  end: number;
}

// Bare domains ("example.com/path") count as links too: mail clients and phones linkify them.
// The TLD list is the common ones; an exotic bare domain slips through, a scheme never does.
const URL_RE =
  /\b(?:https?:\/\/|www\.)[^\s<>"')\]]+|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|net|org|io|co|shop|store|info|biz|app|me|us|uk|ca|au|de|fr|nl|eu|ly|gl|link|site|online|xyz)\b(?:\/[^\s<>"')\]]*)?/gi;

/** Every link in `text` (scheme, `www.` or bare common-TLD domain), trailing punctuation removed. */
export function findUrls(text: string): FoundUrl[] {
  const out: FoundUrl[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    out.push({ url, index: m.index, end: m.index + url.length });
  }
  return out;
}

/**
 * Comparable form of a link: scheme and `www.` dropped, host lower-cased, trailing slash removed.
 * Path and query keep their case because servers may treat them case-sensitively.
 */
export function canonicalUrl(url: string): string {
  const noScheme = url.trim().replace(/^https?:\/\//i, '').replace(/^www\./i, '');
  const slash = noScheme.search(/[/?#]/);
  const host = (slash === -1 ? noScheme : noScheme.slice(0, slash)).toLowerCase();
  const rest = slash === -1 ? '' : noScheme.slice(slash);
  return (host + rest).replace(/\/+$/, '');
}

/** `text` with each span replaced by spaces of equal length, keeping every other offset valid. */
export function maskSpans(text: string, spans: readonly { index: number; end: number }[]): string {
  let out = text;
  for (const s of spans) out = out.slice(0, s.index) + ' '.repeat(s.end - s.index) + out.slice(s.end);
  return out;
}

/**
 * Sentence spans of `text`. A boundary is end punctuation followed by whitespace and a capital
 * letter, or a line break, so "Dec. 5" and "example.com/a.b" stay inside one sentence.
 */
export function sentenceSpans(text: string): { index: number; end: number }[] {
  const spans: { index: number; end: number }[] = [];
  const boundary = /[.!?](?=\s+["'(]?[A-Z])|\n/g;
  let start = 0;
  for (const m of text.matchAll(boundary)) {
    const end = m.index + 1;
    spans.push({ index: start, end });
    start = end;
  }
  spans.push({ index: start, end: text.length });
  return spans.filter((s) => text.slice(s.index, s.end).trim() !== '');
}
