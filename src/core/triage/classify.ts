/**
 * Reply triage without a model: the rules of rules.ts, capitals, a phone number, and an optional
 * sentiment lexicon signal, combined into a sentiment, intents and "needs a person".
 *
 * Order of precedence (the "high-precision rules first"):
 * 1. Quoted history, signatures and invisible characters are removed first (quotes.ts).
 * 2. Anger cues adding up to 2 (profanity, "unacceptable", legal or review threats, a chargeback,
 *    shouting in capitals, "!!!" with another cue) → angry.
 * 3. Any frustration or sarcasm cue → frustrated; sarcasm cancels the praise it wraps. A complaint
 *    without negative words ("it was supposed to arrive last week") is frustration.
 * 4. Otherwise the lexicon signal: net negative → frustrated, unless a positive rule fired, which
 *    makes the signals disagree → frustrated with low confidence: in doubt, a person decides.
 * 5. Positive rules → positive; nothing → neutral.
 * A cancel or call intent needs a person whatever the tone.
 */
import { stripInvisible } from '../drafts/invisible';
import { findPhone } from './phone';
import { INTENT_RULES, NOT_SHOUTING, TONE_RULES, normalise, type Cue } from './rules';
import { stripQuoted } from './quotes';
import type { SentimentSignal } from './lexicon';
import type { Intent, IntentKind, Sentiment, Triage } from './types';

export interface TriageOptions {
  /** Sentiment signals (the built-in lexicon, the `sentiment` package); none = rules only. */
  signals?: readonly SentimentSignal[];
  /** Set false when the text is already stripped of quoted history (the evaluation reads sentences). */
  stripQuotes?: boolean;
}

/** True when the reply shouts: ≥ 2 all-capital words of ≥ 3 letters making up ≥ half the words. */
export function isShouting(text: string): boolean {
  const words = text.match(/\p{L}+/gu) ?? [];
  const long = words.filter((w) => w.length >= 3);
  const caps = long.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase() && !NOT_SHOUTING.has(w));
  return caps.length >= 2 && caps.length * 2 >= long.length;
}

/** A call verb near a phone number turns the number into a callback request. */
const CALL_NEAR_NUMBER = /\b(?:call|ring|phone|reach|text|contact|number|tel|mobile|cell)\b/;

/**
 * Triage of one reply (plain text as received). Pure; never throws.
 * @returns sentiment with confidence, intents (a call intent carries the phone number when given),
 *   whether a person must decide, and the ids of the rules that fired.
 */
export function triageReply(raw: string, options: TriageOptions = {}): Triage {
  const visible = stripInvisible(raw);
  const text = options.stripQuotes === false ? visible.trim() : stripQuoted(visible).text;
  const norm = normalise(text);
  const reasons: string[] = [];
  const cues: Record<Cue, number> = { anger: 0, frustration: 0, sarcasm: 0, positive: 0 };

  for (const r of TONE_RULES) {
    if (r.pattern.test(norm)) {
      cues[r.cue] += r.weight;
      reasons.push(r.id);
    }
  }
  if (isShouting(text)) {
    cues.anger += 2;
    reasons.push('anger.capitals');
  }

  const intents = new Map<IntentKind, Intent>();
  for (const r of INTENT_RULES) {
    if (!r.pattern.test(norm) || (r.unless && r.unless.test(norm))) continue;
    const prev = intents.get(r.intent);
    if (!prev || prev.confidence < r.confidence) intents.set(r.intent, { kind: r.intent, confidence: r.confidence });
    reasons.push(r.id);
  }
  const phone = findPhone(text);
  if (phone && (intents.has('call') || CALL_NEAR_NUMBER.test(norm))) {
    intents.set('call', { kind: 'call', confidence: Math.max(intents.get('call')?.confidence ?? 0, 0.9), phone });
    if (!reasons.includes('call.phone_number')) reasons.push('call.phone_number');
  }

  let lexicon = 0;
  for (const s of options.signals ?? []) {
    const v = s.score(norm);
    lexicon += v;
    if (v) reasons.push(`${s.id}:${v > 0 ? '+' : ''}${v}`);
  }

  let sentiment: Sentiment;
  let confidence: number;
  if (cues.anger >= 2) {
    sentiment = 'angry';
    confidence = cues.anger >= 4 ? 0.95 : 0.85;
  } else if (cues.frustration + cues.sarcasm + cues.anger > 0) {
    sentiment = 'frustrated';
    confidence = cues.positive > 0 && cues.sarcasm === 0 ? 0.6 : 0.8;
  } else if (lexicon < 0) {
    sentiment = 'frustrated';
    // The rules saw praise but the words are negative: the signals disagree.
    confidence = cues.positive > 0 ? 0.5 : 0.6;
    reasons.push(cues.positive > 0 ? 'doubt.signals_disagree' : 'lexicon.negative');
  } else if (cues.positive > 0 || lexicon > 0) {
    sentiment = 'positive';
    confidence = cues.positive > 0 ? 0.85 : 0.6;
  } else {
    sentiment = 'neutral';
    confidence = intents.size ? 0.8 : 0.6;
  }

  const list = [...intents.values()];
  if (!list.length && text && sentiment !== 'positive' && sentiment !== 'neutral') list.push({ kind: 'other', confidence: 0.5 });
  const needsPerson = sentiment === 'frustrated' || sentiment === 'angry' || intents.has('cancel') || intents.has('call');
  return { sentiment, confidence, intents: list, needsPerson, reasons, source: 'rules', text };
}
