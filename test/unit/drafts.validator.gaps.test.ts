/**
 * Gaps a tester found in the validator: drafts it passed but must flag (relative and holiday
 * delivery promises, discount codes, contact details, disguised apologies, control characters, the
 * replacement character, line breaks in the subject), and the look-alikes it must keep passing
 * (ETA ranges, next-update times). Table-driven. Every "flags" row failed before the fix, except
 * the ones the old rules already caught and that stay here as regression rows ("coupon", "promo
 * code", "discount code", a plain or mailto address, a look-alike shop domain, "We promise … before
 * Hanukkah"); the "accepts" rows guard against false positives.
 */
import { describe, expect, it } from 'vitest';
import { findInvisible, stripInvisible } from '../../src/core/drafts/invisible';
import type { DraftFacts } from '../../src/core/drafts/facts';
import { DRAFT_RULES, validateDraft, type DraftInput } from '../../src/core/drafts/validator';
import { APRON_FACTS } from '../helpers/draft-facts';

const facts: DraftFacts = {
  ...APRON_FACTS,
  quantityBackordered: 1,
  quantityOrdered: 1,
  statusUrl: 'https://northwind.example.com/orders/1001/status',
};

const GOOD =
  'Hi Sam, your Linen Apron from order #1001 is backordered. We expect it to ship between Dec 3 and Dec 10. ' +
  "We'll send the next update by Friday, December 4.";
const NEXT = "We'll send the next update by Friday, December 4.";

function rules(text: string, over: Partial<DraftFacts> = {}, extra: Partial<DraftInput> = {}): string[] {
  return validateDraft({ channel: 'email', text, facts: { ...facts, ...over }, ...extra }).map((v) => v.rule);
}

describe('promised_date: relative delivery promises', () => {
  it.each([
    'It will ship in 2 days.',
    'It arrives within 48 hours.',
    'It ships in two business days.',
    'You will have it tomorrow.',
    'You will get it in a week.',
    'Expect it within 3 working days.',
    'It will be delivered next week.',
    'It ships by the end of the week.',
    'We will send it out in 24 hours.',
    'It should be with you in under a week.',
    "We'll let you know in 2 days, and it ships in 5 days.",
    'Good news: 2-day delivery once it is in.',
  ])('flags %j', (sentence) => {
    expect(rules(`${GOOD} ${sentence}`)).toContain('promised_date');
  });

  it.each([
    ['a relative range', 'It should ship in 2\u20133 weeks.'],
    ['a relative range in words', 'It should ship in two to three weeks.'],
    ['a relative range with "between"', 'It should arrive between 2 and 3 weeks from now.'],
    ['"a week or two"', 'It should ship in a week or two.'],
    ['a time counted from an event', "We'll send tracking within 1 hour of shipping."],
    ['shipping within days of the restock', "It ships within 2 days of our restock, and we'll tell you when that is."],
    ['how long the customer has waited', "It's been 9 days since you ordered, and it ships between Dec 3 and Dec 10."],
  ])('accepts %s', (_name, sentence) => {
    expect(rules(`${GOOD} ${sentence}`)).toEqual([]);
  });

  it.each([
    ['"we\'ll update you in 3 days"', "We'll update you in 3 days."],
    ['"we will write again within a week"', 'We will write again within a week.'],
    ['an update time before a shipping clause', "We'll update you in 3 days on when it ships."],
    ['"next update in 48 hours"', 'Next update in 48 hours.'],
    ['"we\'ll check in next week"', "We'll check in next week."],
  ])('does not take the next update for a delivery promise: %s', (_name, sentence) => {
    expect(rules(GOOD.replace(NEXT, sentence))).toEqual([]);
  });

  it('a relative range is an ETA: with no confirmed ETA it is an invented one', () => {
    const text = GOOD.replace('We expect it to ship between Dec 3 and Dec 10.', 'It should ship in 2\u20133 weeks.');
    expect(rules(text, { etaStart: undefined, etaEnd: undefined })).toEqual(['eta_mismatch']);
    expect(rules(text)).toEqual([]);
  });
});

describe('promised_date: holidays', () => {
  it.each([
    'We guarantee it will be with you before Christmas.',
    'It will arrive before Christmas.',
    "It'll be there in time for the holidays.",
    'In time for Thanksgiving!',
    'You will have it by Christmas Eve.',
    "It ships before New Year's.",
    'It will be under the tree for Xmas.',
    "We'll get it to you ahead of Mother's Day.",
    'We promise, it will be delivered before Hanukkah.',
    'It will arrive before Christmas if the shipment clears customs.',
  ])('flags %j', (sentence) => {
    expect(rules(`${GOOD} ${sentence}`)).toContain('promised_date');
  });

  it.each([
    ['holiday greetings', 'Happy holidays from all of us!'],
    ['a closure with the ETA after it', 'Our supplier closes for the holidays, so it will ship between Dec 3 and Dec 10.'],
    ['an update before a holiday', "We'll update you before Christmas."],
    ['what the customer wanted', 'We know you wanted it in time for the holidays, and we are working on it.'],
    ['a question about a need', 'If you need it before Christmas, just reply and we will look at options.'],
    ['a closure on a holiday', 'Our warehouse is closed on Christmas Day.'],
    ['a season greeting', 'Thanks for shopping with us this holiday season.'],
  ])('accepts %s', (_name, sentence) => {
    expect(rules(`${GOOD} ${sentence}`)).toEqual([]);
  });

  it('quotes the holiday with its preposition', () => {
    const v = validateDraft({ channel: 'email', text: `${GOOD} It'll be there in time for the holidays.`, facts });
    expect(v.map((x) => x.detail).join('\n')).toContain('"in time for the holidays"');
  });
});

describe('unsupported_offer: discount codes', () => {
  it.each<[string, string, Partial<DraftFacts>]>([
    ['"use code … at checkout"', 'Use code SORRY10 at checkout.', {}],
    ['a code at checkout without the word code', 'Use SORRY10 at checkout for a little something.', {}],
    ['"coupon"', 'Here is a coupon for your next order.', {}],
    ['"promo code"', 'Your promo code is THANKS.', {}],
    ['"discount code"', 'A discount code is on its way.', {}],
    ['a code after a colon', 'A little thank-you, code: WAIT25.', {}],
    ['a code other than the allowed one', 'Use code SORRY50 at checkout.', { allowedOffers: ['coupon code SORRY10'] }],
    ['a coupon in Cyrillic look-alikes', 'Here is a c\u043Eup\u043En.', {}],
  ])('flags %s', (_name, sentence, over) => {
    expect(rules(`${GOOD} ${sentence}`, over)).toContain('unsupported_offer');
  });

  it.each<[string, string, Partial<DraftFacts>]>([
    ['the allowed code', 'Use code SORRY10 at checkout.', { allowedOffers: ['coupon code SORRY10'] }],
    ['an allowed coupon', 'Here is a coupon for your next order.', { allowedOffers: ['coupon for the next order'] }],
    ['a tracking code', 'Your tracking code is 1Z999AA10123456784.', { tracking: { number: '1Z999AA10123456784' } }],
    ['a zip code', 'Please check the zip code AB12 on the order.', {}],
    ['the amount paid at checkout', 'You paid $40 at checkout; nothing changes there.', {}],
  ])('accepts %s', (_name, sentence, over) => {
    expect(rules(`${GOOD} ${sentence}`, over)).not.toContain('unsupported_offer');
  });
});

describe('unsupported_contact: details not in the facts', () => {
  it.each([
    ['an outside address', 'Questions? Write to help@evil.example.net.'],
    ['a mailto link', 'Claims: mailto:claims@evil.example.net'],
    ['a percent-encoded mailto link', 'Claims: mailto:claims%40evil.example.net'],
    ['a fullwidth at sign', 'Write to help\uFF20evil.example.net.'],
    ['an address written out', 'Write to help [at] evil [dot] example [dot] net.'],
    ['a look-alike of the shop domain', 'Write to help@n\u043Erthwind.example.com.'],
  ])('flags %s', (_name, sentence) => {
    expect(rules(`${GOOD} ${sentence}`)).toContain('unsupported_contact');
  });

  it.each([
    ['the shop mailbox', 'Write to help@northwind.example.com.'],
    ['the shop mailbox as a mailto link', 'Write to mailto:help@northwind.example.com'],
    ['the word "at" in a sentence', 'We are at your service, and the team is at work.'],
  ])('accepts %s', (_name, sentence) => {
    expect(rules(`${GOOD} ${sentence}`)).not.toContain('unsupported_contact');
  });
});

describe('banned_phrase: disguised apologies', () => {
  it.each([
    ['a Cyrillic "а" in apologize', 'We \u0430pologize for the inconvenience.'],
    ['Greek and Cyrillic letters throughout', 'We \u0430p\u03BFl\u043Egize for the in\u0441onvenience.'],
    ['"inconvience"', 'We apologize for the inconvience.'],
    ['"inconvenince"', 'Sorry for any inconvenince.'],
    ['"inconveneince"', 'Apologies for the inconveneince.'],
    ['apology and inconvenience in two sentences', 'Sorry! This is a real inconvenience.'],
    ['inconvenience first, then the apology', 'What an inconvenience, and we are so sorry.'],
    ['an accent on a letter', 'We apolog\u00EDze for the inconvenience.'],
    ['a combining accent', 'We apologi\u0301ze for the inconvenience.'],
    ['fullwidth letters', 'We \uFF41\uFF50\uFF4F\uFF4C\uFF4F\uFF47\uFF49\uFF5A\uFF45 for the inconvenience.'],
    ['"appologize"', 'We appologize for the inconvenience.'],
  ])('flags %s', (_name, sentence) => {
    expect(rules(`${GOOD} ${sentence}`)).toContain('banned_phrase');
  });

  it.each([
    ['thanks for waiting', 'Sorry for the wait, and thanks for your patience.'],
    ['convenience without an apology', 'For your convenience, the status link is below.'],
    ['an apology far from "convenience"', 'Sorry for the wait. Your order history is in your account. For your convenience, we kept the status link.'],
  ])('accepts %s', (_name, sentence) => {
    expect(rules(`${GOOD} ${sentence}`)).not.toContain('banned_phrase');
  });

  it('quotes the apology as it was written', () => {
    const v = validateDraft({ channel: 'email', text: `${GOOD} We \u0430pologize for the inconvience.`, facts });
    expect(v.find((x) => x.rule === 'banned_phrase')?.detail).toContain('\u0430pologize for the inconvience');
  });
});

describe('invisible_unicode: control characters and blank look-alikes', () => {
  const CASES: [string, number][] = [
    ['NUL', 0x0000],
    ['bell', 0x0007],
    ['backspace', 0x0008],
    ['vertical tab', 0x000b],
    ['form feed', 0x000c],
    ['escape', 0x001b],
    ['unit separator', 0x001f],
    ['delete', 0x007f],
    ['C1 padding', 0x0080],
    ['next line (U+0085)', 0x0085],
    ['C1 control sequence introducer', 0x009b],
    ['application program command', 0x009f],
    ['combining grapheme joiner', 0x034f],
    ['Hangul choseong filler', 0x115f],
    ['Hangul jungseong filler', 0x1160],
    ['line separator', 0x2028],
    ['paragraph separator', 0x2029],
    ['Hangul filler', 0x3164],
    ['halfwidth Hangul filler', 0xffa0],
  ];
  // Between two sentences: the line-ending ones (VT, FF, U+0085, U+2028, U+2029) are read as a line
  // break, which inside "Linen" would rightly also break the item name.
  it.each(CASES)('flags %s, once', (_name, cp) => {
    const ch = String.fromCodePoint(cp);
    const v = validateDraft({ channel: 'email', text: GOOD.replace('backordered. ', `backordered. ${ch}`), facts });
    expect(v.map((x) => x.rule)).toEqual(['invisible_unicode']);
    expect(v[0]?.detail).toContain(`U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
  });

  it.each([
    ['tab', '\t'],
    ['line feed', '\n'],
    ['carriage return', '\r\n'],
  ])('leaves %s alone', (_name, ws) => {
    expect(rules(GOOD.replace('. We expect', `.${ws}We expect`))).toEqual([]);
  });

  it.each(CASES.filter(([, cp]) => ![0x0b, 0x0c, 0x85, 0x2028, 0x2029].includes(cp)))('%s inside a word is read as if it were not there', (_name, cp) => {
    expect(rules(GOOD.replace('Linen', `Li${String.fromCodePoint(cp)}nen`))).toEqual(['invisible_unicode']);
  });

  it('reads a line or paragraph separator as a line break, not as nothing', () => {
    expect(stripInvisible('one\u2028two\u2029three\u0085four')).toBe('one\ntwo\nthree\nfour');
    expect(stripInvisible('a\u0000b\u034Fc\u3164d')).toBe('abcd');
    expect(findInvisible('a\u0000b').map((c) => c.codePoint)).toEqual([0]);
  });
});

describe('replacement_character: mis-decoded text', () => {
  it('is its own rule, after invisible_unicode', () => {
    expect(DRAFT_RULES.indexOf('replacement_character')).toBe(DRAFT_RULES.indexOf('invisible_unicode') + 1);
  });

  it.each([
    ['in the body', { text: GOOD.replace('Linen Apron', 'Linen Apron \uFFFD') }],
    ['in the subject', { text: GOOD, subject: 'Order #1001: your caf\uFFFD mug' }],
  ])('flags U+FFFD %s with a detail that says what happened', (_name, input) => {
    const v = validateDraft({ channel: 'email', facts, ...input });
    expect(v.map((x) => x.rule)).toEqual(['replacement_character']);
    expect(v[0]?.detail).toMatch(/U\+FFFD/);
    expect(v[0]?.detail).toMatch(/decod/i);
  });
});

describe('subject_line_break: header injection', () => {
  it.each([
    ['a line feed', 'Order #1001\nBcc: everyone@evil.example'],
    ['a carriage return', 'Order #1001\rX-Injected: yes'],
    ['CRLF', 'Order #1001: an update\r\n'],
  ])('flags %s in the subject', (_name, subject) => {
    const v = validateDraft({ channel: 'email', subject, text: GOOD, facts });
    expect(v.map((x) => x.rule)).toContain('subject_line_break');
  });

  it('even when the body is empty', () => {
    expect(rules('', {}, { subject: 'a\nb' })).toEqual(['empty', 'subject_line_break']);
  });

  it('leaves line breaks in the body alone', () => {
    expect(rules(GOOD.replace('. ', '.\r\n\r\n'), {}, { subject: 'Order #1001: an update' })).toEqual([]);
  });
});

describe('unsupported_offer: expedited shipping the order already has', () => {
  it('an upgrade to expedited shipping is no offer when the order ships express', () => {
    const over = { allowedOffers: ['expedited shipping'], shippingMethod: 'UPS Next Day Air' };
    const v = validateDraft({
      channel: 'email',
      text: `${GOOD} We can upgrade you to expedited shipping.`,
      facts: { ...facts, ...over },
    });
    expect(v.map((x) => x.rule)).toEqual(['unsupported_offer']);
    expect(v[0]?.detail).toContain('UPS Next Day Air');
  });

  it('stating the shipping method is not an offer', () => {
    expect(rules(`${GOOD} It will go out by Priority Express Shipping.`, { shippingMethod: 'Priority Express Shipping' })).toEqual([]);
  });
});
