/**
 * Sentiment lexicon signals: one input of reply triage among the rules, behind a small interface so
 * a maintained library (the `sentiment` package, AFINN-165) can stand in for the built-in list.
 *
 * The built-in list holds general English valence words as a customer writes them about an order
 * or a product (not tuned to any evaluation set), with negation: a word within three tokens after
 * "not", "no", "never" or an "n't" form counts with the opposite sign ("not bad" is mildly good).
 */

/** A sentiment signal: valence of a text, < 0 negative, > 0 positive, 0 none. */
export interface SentimentSignal {
  readonly id: string;
  /** Valence in lexicon points (a strong word is ±2, a mild one ±1). */
  score(text: string): number;
}

/**
 * What an AFINN analyser returns (the `sentiment` package's `analyze`). Typed structurally so the
 * package stays optional: `afinnSignal(new Sentiment())` once it is installed.
 */
export interface AfinnAnalyzer {
  analyze(text: string): { score: number };
}

/** A signal over an AFINN-165 analyser. AFINN words score −5..+5; clamped so one word cannot outvote the rules. */
export function afinnSignal(analyzer: AfinnAnalyzer): SentimentSignal {
  return { id: 'afinn', score: (text) => Math.max(-4, Math.min(4, analyzer.analyze(text).score)) };
}

const STRONG_NEGATIVE = [
  'bad', 'poor', 'poorly', 'terrible', 'awful', 'horrible', 'worst', 'hate', 'hated', 'hates', 'useless', 'waste', 'wasted',
  'garbage', 'junk', 'trash', 'broken', 'broke', 'defective', 'faulty', 'rude', 'disgusting', 'pathetic', 'sucks', 'sucked',
  'fail', 'failed', 'fails', 'failure', 'nasty', 'unhappy', 'angry', 'worthless', 'lousy', 'crap', 'crappy', 'disappointed',
  'disappointing', 'disappointment', 'regret', 'annoying', 'annoyed', 'frustrating', 'frustrated', 'unusable', 'shoddy',
  'inferior', 'unacceptable', 'ridiculous', 'stupid', 'dumb', 'lame', 'ugly', 'dirty', 'damaged', 'unreliable', 'overpriced',
  'scam', 'ripoff', 'avoid', 'mess', 'misleading', 'flimsy', 'cheaply',
  // Second pass (general complaint vocabulary, added after the first public-data run; see README).
  'nightmare', 'dreadful', 'rubbish', 'subpar', 'inadequate', 'unprofessional', 'dislike', 'disliked', 'unpleasant',
  'insulting', 'gross', 'horribly', 'terribly', 'badly', 'hopeless', 'unhelpful', 'dissatisfied', 'unsatisfied',
  'unsatisfactory', 'overrated', 'underwhelming', 'sloppy', 'careless', 'lazy', 'defect', 'defects', 'buggy', 'fake',
  'irritating', 'shame', 'shameful', 'joke',
] as const;
const MILD_NEGATIVE = [
  'problem', 'problems', 'issue', 'issues', 'slow', 'late', 'delay', 'delayed', 'wrong', 'unfortunately', 'difficult', 'boring',
  'mediocre', 'meh', 'sad', 'weak', 'uncomfortable', 'awkward', 'confusing', 'noisy', 'messy', 'complaint', 'complain',
  'cracked', 'leaks', 'leaked', 'missing', 'lost', 'died', 'dead', 'expensive', 'hard', 'worse', 'sick', 'tired', 'upset',
  'lacking', 'lacks', 'mistake', 'error', 'refund', 'return', 'returned', 'returning',
  // Second pass (see above).
  'lack', 'lacked', 'flaw', 'flawed', 'fault', 'unfortunate', 'incorrect', 'inaccurate', 'unable', 'hassle',
  'breaks', 'break', 'breaking', 'stopped', 'crash', 'crashes', 'freezes', 'glitch', 'bugs', 'weird', 'odd', 'barely',
  'painful', 'pain', 'annoyance', 'ignored', 'refused', 'unfriendly', 'waited', 'average',
] as const;
const STRONG_POSITIVE = [
  'great', 'excellent', 'amazing', 'awesome', 'love', 'loved', 'loves', 'perfect', 'perfectly', 'best', 'fantastic',
  'wonderful', 'superb', 'outstanding', 'brilliant', 'recommend', 'recommended', 'impressed', 'impressive', 'favorite',
  'favourite', 'beautiful', 'happy', 'thrilled', 'delighted',
] as const;
const MILD_POSITIVE = [
  'good', 'nice', 'fine', 'pleased', 'glad', 'fast', 'quick', 'quickly', 'easy', 'comfortable', 'reliable', 'sturdy',
  'friendly', 'helpful', 'enjoy', 'enjoyed', 'worth', 'satisfied', 'fun', 'pleasant', 'cool', 'solid', 'clean', 'works',
  'thanks', 'thank', 'appreciate', 'appreciated', 'well', 'better', 'pretty', 'cute', 'kind', 'prompt', 'smooth',
] as const;

const VALENCE = new Map<string, number>([
  ...STRONG_NEGATIVE.map((w) => [w, -2] as const),
  ...MILD_NEGATIVE.map((w) => [w, -1] as const),
  ...STRONG_POSITIVE.map((w) => [w, 2] as const),
  ...MILD_POSITIVE.map((w) => [w, 1] as const),
]);

const NEGATORS = new Set(['not', 'no', 'never', 'nothing', 'hardly', 'without', 'nor', 'neither', 'cannot']);
const isNegator = (t: string): boolean => NEGATORS.has(t) || t.endsWith("n't");

/** The built-in English lexicon with negation (see module doc). */
export const builtinLexicon: SentimentSignal = {
  id: 'lexicon',
  score(text: string): number {
    const tokens = text.toLowerCase().replace(/[\u2018\u2019]/g, "'").match(/[a-z']+/g) ?? [];
    let total = 0;
    let negatedFor = 0;
    for (const t of tokens) {
      const v = VALENCE.get(t);
      if (isNegator(t)) {
        negatedFor = 3;
        continue;
      }
      if (v !== undefined) total += negatedFor > 0 ? -Math.sign(v) * Math.min(1, Math.abs(v)) : v;
      if (negatedFor > 0) negatedFor--;
    }
    return total;
  },
};
