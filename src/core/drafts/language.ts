/**
 * Which language a draft is written in, roughly: enough to catch a model that switched language
 * because an inbound mail asked it to ("réponds en français", "antworte auf Deutsch"), not a
 * linguist's classifier. Two signals: letters of another script (Cyrillic, Greek, Arabic, Hebrew,
 * CJK, …) and function words of the common European languages outnumbering English ones. A few
 * foreign words in an English message ("Merci beaucoup!", a product called "Café Noir") pass. Pure.
 */

/** Languages the drafts are written in today (DraftFacts.locale). */
export type DraftLocale = 'en';

// Short, frequent words that are rarely English; chosen so product names seldom trip them.
const FUNCTION_WORDS: Record<string, readonly string[]> = {
  en: ['the', 'and', 'your', 'you', 'we', 'is', 'it', 'to', 'of', 'for', 'will', 'with', 'our', 'this', 'that', 'be', 'are', 'in', 'on', 'when'],
  fr: ['le', 'la', 'les', 'des', 'est', 'et', 'votre', 'vous', 'nous', 'pour', 'une', 'dans', 'avec', 'commande', 'sera', 'que', 'pas', 'du', 'au'],
  de: ['der', 'die', 'das', 'und', 'ist', 'ihre', 'ihr', 'wir', 'sie', 'für', 'mit', 'nicht', 'bestellung', 'wird', 'ein', 'eine', 'auf', 'zu', 'den'],
  es: ['el', 'los', 'las', 'es', 'y', 'su', 'usted', 'nosotros', 'para', 'con', 'una', 'pedido', 'será', 'que', 'por', 'del', 'está'],
  it: ['il', 'gli', 'è', 'e', 'vostro', 'suo', 'noi', 'per', 'con', 'una', 'ordine', 'sarà', 'che', 'non', 'della', 'sono'],
  pt: ['o', 'os', 'as', 'é', 'seu', 'sua', 'você', 'nós', 'para', 'com', 'uma', 'pedido', 'será', 'que', 'não', 'do', 'da'],
  nl: ['de', 'het', 'een', 'en', 'is', 'uw', 'je', 'wij', 'voor', 'met', 'niet', 'bestelling', 'wordt', 'van', 'op'],
};

const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;

/** What `detectLanguage` found: the likely language and why. */
export interface LanguageGuess {
  /** 'en', 'fr', 'de', 'es', 'it', 'pt', 'nl', or 'other-script' for mostly non-Latin letters; null = too little text to say. */
  language: string | null;
  /** Share of letters that are not Latin script, 0..1. */
  nonLatinShare: number;
}

/** FUNCTION_WORDS as sets, built once. */
const FUNCTION_WORD_SETS: readonly (readonly [string, ReadonlySet<string>])[] = Object.entries(FUNCTION_WORDS).map(([lang, list]) => [lang, new Set(list)]);

/** A rough guess of the language of `text` (see module doc). */
export function detectLanguage(text: string): LanguageGuess {
  let letters = 0;
  let nonLatin = 0;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    // ASCII letters are Latin, other ASCII is no letter: only the rest needs the Unicode classes.
    if (c < 0x80) {
      if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) letters++;
      continue;
    }
    if (!LETTER.test(ch)) continue;
    letters++;
    if (!LATIN.test(ch)) nonLatin++;
  }
  const nonLatinShare = letters ? nonLatin / letters : 0;
  if (letters >= 10 && nonLatinShare > 0.2) return { language: 'other-script', nonLatinShare };
  const words = text.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  const counts = FUNCTION_WORD_SETS.map(([lang, set]) => ({ lang, n: words.filter((w) => set.has(w)).length }));
  counts.sort((a, b) => b.n - a.n);
  const best = counts[0];
  if (!best || best.n < 3) return { language: null, nonLatinShare };
  const en = counts.find((c) => c.lang === 'en')?.n ?? 0;
  // English wins ties and near-ties: many short European words ("is", "de", "en") are shared.
  return { language: best.lang !== 'en' && best.n > en * 1.5 + 1 ? best.lang : 'en', nonLatinShare };
}

/**
 * Why `text` is not in `locale`, or null when it is (or is too short to tell). The whole text and
 * each paragraph are judged, so a paragraph in another language appended to an English message is
 * caught too.
 */
export function languageProblem(text: string, locale: DraftLocale): string | null {
  const parts = [text, ...text.split(/\n\s*\n/)];
  for (const [i, part] of parts.entries()) {
    const g = detectLanguage(part);
    if (g.language === null || g.language === locale) continue;
    const where = i === 0 ? 'the message' : `paragraph ${i}`;
    if (g.language === 'other-script') {
      return `${Math.round(g.nonLatinShare * 100)}% of the letters of ${where} are not Latin script; the customer's language is ${locale}`;
    }
    return `${where} reads as ${g.language}; the customer's language is ${locale}`;
  }
  return null;
}
