/**
 * Reading a customer's reply to an FTC consent request (a second delay, 16 CFR 435.2(b)(2)): only an
 * explicit agreement to wait is consent. Silence is not consent, and neither is anything in doubt —
 * a question, a condition, a negation, or words that merely sound friendly ("thanks", "ok") — which
 * a person decides. Pure; reads the text triage already stripped of quoted history.
 *
 * Precedence: a cancel or refund request (triage's `cancel` intent) → 'cancel'; a refusal to wait
 * ("I can't wait any longer") → 'unclear' (it is not consent, and may be a cancellation a person
 * should confirm); an agreement to wait in a sentence without a question or a condition, or a bare
 * "WAIT"/"yes" (the answers the request asks for) → 'consent'; everything else → 'unclear'.
 */
import { normalise } from './rules';
import type { Triage } from './types';

/** How a reply answers a consent request. */
export type ConsentAnswer = 'consent' | 'cancel' | 'unclear';

const REFUSAL =
  /\b(?:can't|cannot|can not|won't|will not|wont|don't want to|do not want to|not willing to|unwilling to|rather not|not going to|refuse to|unable to)\s+(?:\w+\s+){0,2}wait\b|\bnot (?:\w+ )?wait\b|\bno (?:more )?waiting\b/;

const AGREE = [
  // "I'll wait", "happy to wait", "we can wait", "I'd rather wait", "I don't mind waiting"
  /\b(?:i'll|i will|i can|i'd|i would|we'll|we will|we can|happy to|glad to|fine to|ok(?:ay)? to|willing to|prefer to|agree to|want to|like to|rather)\s+(?:\w+\s+){0,2}wait\b/,
  /\b(?:don't|do not) mind (?:the )?wait(?:ing)?\b/,
  /\bkeep (?:my|the) order\b|\bkeep it (?:on order|coming|open)\b|\bstill want (?:it|them|the \w+)\b/,
  /\bi (?:agree|consent)\b|\byes,? (?:i agree|i consent|please keep)\b/,
];

// The one-word answers the request asks for, with a yes, thanks or punctuation around them.
const BARE = /^(?:(?:yes|yep|yeah|sure|ok|okay)[\s,.!]*)?(?:(?:i'll |i will )?wait|yes|yep|yeah|yes please)[\s,.!]*(?:(?:thanks|thank you|thx|cheers)[\s,.!]*)?$/;

const CONDITION = /\b(?:if|unless|as long as|provided|only if|depends)\b/;

/** How `t` answers a consent request (see module doc). Never throws. */
export function readConsentAnswer(t: Triage): ConsentAnswer {
  if (t.intents.some((i) => i.kind === 'cancel')) return 'cancel';
  const text = normalise(t.text);
  if (!text) return 'unclear';
  if (REFUSAL.test(text)) return 'unclear';
  if (BARE.test(text)) return 'consent';
  const sentences = text.split(/(?<=[.!?])\s+|\n+/);
  const agreed = sentences.some((s) => !s.includes('?') && !CONDITION.test(s) && AGREE.some((p) => p.test(s)));
  return agreed ? 'consent' : 'unclear';
}
