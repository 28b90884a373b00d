import { describe, expect, it } from 'vitest';
import { isShouting, triageReply } from '../../src/core/triage/classify';
import { builtinLexicon } from '../../src/core/triage/lexicon';
import { findPhone } from '../../src/core/triage/phone';
import type { IntentKind, Sentiment } from '../../src/core/triage/types';

const triage = (text: string) => triageReply(text, { signals: [builtinLexicon] });

describe('triageReply: sentiment and needs a person', () => {
  const cases: { text: string; sentiment: Sentiment; needsPerson: boolean; reason?: string }[] = [
    { text: 'Thanks for the heads up, happy to wait!', sentiment: 'positive', needsPerson: false },
    { text: 'ok', sentiment: 'neutral', needsPerson: false },
    { text: 'THIS IS NOT OKAY, WHERE IS MY ORDER', sentiment: 'angry', needsPerson: true, reason: 'anger.capitals' },
    { text: 'This is unacceptable.', sentiment: 'angry', needsPerson: true, reason: 'anger.unacceptable' },
    { text: 'What the hell is going on', sentiment: 'angry', needsPerson: true, reason: 'anger.profanity' },
    { text: 'I will be leaving a review about this.', sentiment: 'angry', needsPerson: true, reason: 'anger.review' },
    { text: 'My attorney will contact you.', sentiment: 'angry', needsPerson: true, reason: 'anger.legal' },
    { text: 'Where is it!!!', sentiment: 'frustrated', needsPerson: true, reason: 'anger.exclaim' },
    // A complaint without negative words is frustration (the example).
    { text: 'It was supposed to arrive last week.', sentiment: 'frustrated', needsPerson: true, reason: 'frustration.expected' },
    { text: 'Oh wonderful, another delay.', sentiment: 'frustrated', needsPerson: true, reason: 'sarcasm.praise_delay' },
    { text: 'Thanks, but I am really disappointed.', sentiment: 'frustrated', needsPerson: true, reason: 'frustration.words' },
    { text: 'No problem, take your time.', sentiment: 'positive', needsPerson: false },
    { text: 'not happy', sentiment: 'frustrated', needsPerson: true, reason: 'frustration.not_ok' },
    // Lexicon only, and praise that the words contradict: in doubt, a person decides.
    { text: 'The stitching came apart, poor quality.', sentiment: 'frustrated', needsPerson: true, reason: 'lexicon.negative' },
    { text: 'Great, the strap is broken and useless.', sentiment: 'frustrated', needsPerson: true, reason: 'doubt.signals_disagree' },
  ];
  it.each(cases)('$text → $sentiment', ({ text, sentiment, needsPerson, reason }) => {
    const t = triage(text);
    expect(t.sentiment).toBe(sentiment);
    expect(t.needsPerson).toBe(needsPerson);
    if (reason) expect(t.reasons).toContain(reason);
  });

  it('reads without the lexicon signal too (rules only)', () => {
    expect(triageReply('The stitching came apart, poor quality.').needsPerson).toBe(false);
    expect(triageReply('This is unacceptable.').needsPerson).toBe(true);
  });
});

describe('triageReply: intents', () => {
  const cases: { text: string; intents: IntentKind[]; needsPerson: boolean }[] = [
    { text: 'Please cancel my order.', intents: ['cancel'], needsPerson: true },
    { text: 'I want a full refund.', intents: ['cancel'], needsPerson: true },
    { text: "I'm filing a chargeback with my bank.", intents: ['cancel'], needsPerson: true },
    { text: 'No need to cancel, I will wait.', intents: [], needsPerson: false },
    { text: "Don't cancel it please, I still want it.", intents: [], needsPerson: false },
    { text: 'Quiero cancelar mi pedido', intents: ['cancel'], needsPerson: true },
    { text: 'Can you call me?', intents: ['call'], needsPerson: true },
    { text: 'I want to speak to a real person.', intents: ['call'], needsPerson: true },
    { text: 'When will it ship?', intents: ['eta_question'], needsPerson: false },
    { text: "I'll take the blue one instead.", intents: ['accept_alternative'], needsPerson: false },
    { text: 'Please change my shipping address to 12 Oak St.', intents: ['address_change'], needsPerson: false },
  ];
  it.each(cases)('$text', ({ text, intents, needsPerson }) => {
    const t = triage(text);
    expect(t.intents.map((i) => i.kind).sort()).toEqual([...intents].sort());
    expect(t.needsPerson).toBe(needsPerson);
  });

  it('a call request carries the number', () => {
    const t = triage('Please ring me on +44 7700 900123 this afternoon.');
    expect(t.intents).toContainEqual({ kind: 'call', confidence: 0.95, phone: '+44 7700 900123' });
  });

  it('quoted history does not count: our own "cancel for a full refund" is ignored', () => {
    const t = triage("Thanks, I'll wait.\n\nOn Mon, Mar 3, 2025, Shop wrote:\n> reply and we'll cancel it for a full refund. Unacceptable delay!!!");
    expect(t).toMatchObject({ sentiment: 'positive', needsPerson: false, intents: [], text: "Thanks, I'll wait." });
  });

  it('invisible characters cannot hide a cue', () => {
    expect(triage('can\u200bcel my order').intents.map((i) => i.kind)).toEqual(['cancel']);
  });
});

describe('helpers', () => {
  it.each([
    ['555-201-3344', '555-201-3344'],
    ['call (415) 555-0172 please', '(415) 555-0172'],
    ['order #1042 on 2025-03-04', null],
    ['it costs 25.00', null],
  ])('findPhone(%s)', (text, phone) => expect(findPhone(text)).toBe(phone));

  it.each([
    ['WHERE IS MY ORDER', true],
    ['LOVE this shop, happy to wait', false],
    ['Any ETA from USPS or UPS?', false],
  ])('isShouting(%s)', (text, shouting) => expect(isShouting(text)).toBe(shouting));
});
