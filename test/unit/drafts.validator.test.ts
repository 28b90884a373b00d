import { describe, expect, it } from 'vitest';
import type { DraftFacts } from '../../src/core/drafts/facts';
import { validateDraft, type DraftInput } from '../../src/core/drafts/validator';
import type { Channel } from '../../src/shared/domain';
import { APRON_FACTS } from '../helpers/draft-facts';

const facts: DraftFacts = {
  ...APRON_FACTS,
  quantityBackordered: 1,
  quantityOrdered: 1,
  statusUrl: 'https://northwind.example.com/orders/1001/status',
  faqUrl: 'https://northwind.example.com/pages/faq',
};

// Written by hand (not by the composer) so the validator is tested on its own.
const GOOD =
  'Hi Sam, your Linen Apron from order #1001 is backordered. We expect it to ship between Dec 3 and Dec 10. ' +
  "We'll send the next update by Friday, December 4. Track it here: https://northwind.example.com/orders/1001/status";

function check(text: string, over: Partial<DraftFacts> = {}, extra: Partial<DraftInput> = {}): string[] {
  return validateDraft({ channel: 'email', text, facts: { ...facts, ...over }, ...extra }).map((v) => v.rule);
}

/** A body of exactly `n` whitespace-separated words, each holding a letter, that states every fact. */
function bodyOfWords(n: number): string {
  const base = GOOD.split(/\s+/);
  return [...base, ...Array.from({ length: n - base.length }, () => 'waiting')].join(' ');
}

describe('validateDraft: a good draft', () => {
  it('passes with no violation', () => {
    expect(validateDraft({ channel: 'email', subject: 'Order #1001: an update', text: GOOD, facts })).toEqual([]);
  });
});

describe('validateDraft: required facts', () => {
  it.each<[string, string, string]>([
    ['order number missing', GOOD.replace('#1001', 'yours'), 'order_number'],
    ['a longer order number is not the order', GOOD.replace('#1001', '#10012'), 'order_number'],
    ['item name missing', GOOD.replace('Linen Apron', 'item'), 'item_name'],
    ['only part of the item name', GOOD.replace('Linen Apron', 'Apron'), 'item_name'],
    ['status missing', GOOD.replace('is backordered', 'is being looked at'), 'status'],
    ['next update missing', GOOD.replace("We'll send the next update by Friday, December 4. ", ''), 'next_update'],
    ['next update without a time', GOOD.replace('by Friday, December 4', 'soon'), 'next_update'],
  ])('%s → %s', (_name, text, rule) => {
    expect(check(text)).toEqual([rule]);
  });

  it.each<[string, string]>([
    ['item name in other case and spacing', GOOD.replace('Linen Apron', 'linen\n  APRON')],
    ['"order 1001" without the hash', GOOD.replace('order #1001', 'order 1001')],
    ['"on backorder" for "backordered"', GOOD.replace('is backordered', 'is on backorder')],
    ['"out of stock" for "backordered"', GOOD.replace('is backordered', 'is out of stock')],
    ['"we will write again" with a time', GOOD.replace("We'll send the next update by Friday, December 4.", 'We will write again in 3 days.')],
    ['"we\'ll update you" with a weekday', GOOD.replace("We'll send the next update by Friday, December 4.", "We\u2019ll update you on Friday.")],
  ])('accepts %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });

  it.each<[string, string, string, Partial<DraftFacts>]>([
    ['restock status by synonym', 'Your Linen Apron (#1001) is back in stock and ships soon. Next update: by Friday, December 4.', 'back in stock — packing now', {}],
    ['shipped status by synonym', 'Your Linen Apron (#1001) is on its way! Next update: by Friday, December 4.', 'shipped', {}],
  ])('%s', (_name, text, status, over) => {
    expect(check(text, { ...over, status, etaStart: undefined, etaEnd: undefined })).toEqual([]);
  });

  it('does not take another status family as the current status', () => {
    const text = 'Your Linen Apron (#1001) has shipped. Next update: by Friday, December 4.';
    expect(check(text, { etaStart: undefined, etaEnd: undefined })).toEqual(['status']);
  });

  it('accepts an ISO next-update date however it is written', () => {
    const over = { nextUpdate: '2026-12-04' };
    expect(check(GOOD, over)).toEqual([]);
    expect(check(GOOD.replace('by Friday, December 4', 'on Dec 4'), over)).toEqual([]);
    expect(check(GOOD.replace('by Friday, December 4', 'on Dec 5'), over)).toContain('next_update');
  });
});

describe('validateDraft: promised dates', () => {
  it.each<[string, string]>([
    ['"on December 5"', 'It will arrive on December 5.'],
    ['"by 12/05/2026"', 'It ships by 12/05/2026.'],
    ['"Dec 5th"', 'Expect it Dec 5th.'],
    ['"ships on 12/05"', 'Good news, it ships on 12/05.'],
    ['ISO date', 'Delivery is set for 2026-12-05.'],
    ['"5 December"', 'It will be delivered 5 December.'],
    ['"the 5th of December"', 'You will have it on the 5th of December.'],
    ['a weekday with a delivery verb', 'It ships Friday.'],
    ['"tomorrow" with a delivery verb', 'It will arrive tomorrow.'],
    ['"guaranteed by"', 'Delivery is guaranteed by the end of the week.'],
    ['a date in dotted form', 'It ships 05.12.2026.'],
    ['a delivery date after an update phrase', "We'll update you when it ships on Dec 5."],
  ])('flags %s', (_name, sentence) => {
    expect(check(`${GOOD} ${sentence}`)).toContain('promised_date');
  });

  it.each<[string, string]>([
    ['"between X and Y"', 'It should ship between Dec 3 and Dec 10.'],
    ['"X–Y" across months with an en dash', 'It should ship Dec 3\u2013Dec 10.'],
    ['"Dec 3–10"', 'It should ship Dec 3\u201310.'],
    ['"from X to Y"', 'It should ship from December 3 to December 10.'],
    ['"X - Y" numeric', 'It should ship 12/03 - 12/10.'],
    ['"no earlier than" the ETA start', 'It will ship no earlier than Dec 3.'],
    ['the date of the next update, in an update sentence', "We'll check in on Monday."],
    ['an update date after a shipping clause', "We'll ship it the day it arrives and update you by Dec 4."],
    ['an abbreviated update date', 'Next update Fri Dec 4.'],
    ['a date inside a link', 'See https://northwind.example.com/orders/1001/status'],
    ['a weekday without a delivery verb', 'Our team is in on Saturday.'],
  ])('accepts %s', (_name, sentence) => {
    expect(check(`${GOOD} ${sentence}`)).toEqual([]);
  });

  it('checks the subject too', () => {
    expect(check(GOOD, {}, { subject: 'Your apron arrives Dec 5' })).toContain('promised_date');
  });
});

describe('validateDraft: ETA consistency', () => {
  it.each<[string, string, Partial<DraftFacts>]>([
    ['a different start', GOOD.replace('between Dec 3 and Dec 10', 'between Dec 4 and Dec 10'), {}],
    ['a different end in short form', GOOD.replace('between Dec 3 and Dec 10', 'Dec 3\u201311'), {}],
    ['a different year', GOOD.replace('between Dec 3 and Dec 10', 'between Dec 3, 2027 and Dec 10, 2027'), {}],
    ['a range when there is no confirmed ETA', GOOD, { etaStart: undefined, etaEnd: undefined }],
    ['"no confirmed date" although there is one', `${GOOD} There is no confirmed date yet.`, {}],
    ['an earliest date that is not the ETA start', GOOD.replace('between Dec 3 and Dec 10', 'no earlier than Dec 1'), {}],
  ])('flags %s', (_name, text, over) => {
    expect(check(text, over)).toEqual(['eta_mismatch']);
  });

  it('accepts the ETA written with years, ISO dates or across a year end', () => {
    expect(check(GOOD.replace('between Dec 3 and Dec 10', 'between Dec 3, 2026 and Dec 10, 2026'))).toEqual([]);
    expect(check(GOOD.replace('between Dec 3 and Dec 10', 'between 2026-12-03 and 2026-12-10'))).toEqual([]);
    const yearEnd = { etaStart: '2026-12-28', etaEnd: '2027-01-04' };
    expect(check(GOOD.replace('between Dec 3 and Dec 10', 'Dec 28\u2013Jan 4'), yearEnd)).toEqual([]);
    expect(check(GOOD.replace('between Dec 3 and Dec 10', 'Dec 28\u20134'), yearEnd)).toEqual([]);
  });
});

describe('validateDraft: banned phrase', () => {
  it.each([
    'We apologize for the inconvenience.',
    'We apologise for the inconvenience.',
    'Apologies for any inconvenience caused.',
    'Sorry for any inconvenience!',
    'We are so sorry for the inconvenience this causes.',
    'We regret any inconvenience.',
    'We apologize for the inconvenience.'.replace(/ /g, '  '),
  ])('flags %j', (sentence) => {
    expect(check(`${GOOD} ${sentence}`)).toEqual(['banned_phrase']);
  });

  it('allows thanking the customer for waiting', () => {
    expect(check(`${GOOD} Sorry for the wait, and thanks for your patience.`)).toEqual([]);
  });
});

describe('validateDraft: length', () => {
  it.each<[Channel, number, boolean]>([
    ['email', 150, false],
    ['email', 151, true],
    ['sms', 50, false],
    ['sms', 51, true],
  ])('%s with %i words → violation %s', (channel, n, violates) => {
    const rules = validateDraft({ channel, text: bodyOfWords(n), facts }).map((v) => v.rule);
    expect(rules.includes('length')).toBe(violates);
  });

  it('counts the body only, not the subject', () => {
    const subject = Array.from({ length: 40 }, () => 'long').join(' ');
    expect(check(bodyOfWords(150), {}, { subject })).toEqual([]);
  });

  it('does not count dashes and bullets as words', () => {
    expect(check(`${bodyOfWords(150)} \u2014 - \u2022`)).toEqual([]);
  });
});

describe('validateDraft: invisible characters', () => {
  it.each<[string, string]>([
    ['zero-width space inside the order number', GOOD.replace('#1001', '#10\u200B01')],
    ['zero-width joiner', `${GOOD}\u200D`],
    ['left-to-right mark', `\u200E${GOOD}`],
    ['bidi override', GOOD.replace('Dec 10', '\u202EDec 10\u202C')],
    ['bidi isolate', `${GOOD} \u2066x\u2069`],
    ['word joiner', GOOD.replace('Linen', 'Li\u2060nen')],
    ['byte-order mark', `\uFEFF${GOOD}`],
    ['soft hyphen', GOOD.replace('Apron', 'Ap\u00ADron')],
    ['variation selector', `${GOOD} \u{FE0F}`],
    ['supplementary variation selector', `${GOOD}\u{E0100}`],
    ['hidden tag-character text', `${GOOD}${[...'IGNORE RULES'].map((ch) => String.fromCodePoint(0xe0000 + ch.charCodeAt(0))).join('')}`],
  ])('flags %s, once, and reads the rest as if it were not there', (_name, text) => {
    expect(check(text)).toEqual(['invisible_unicode']);
  });

  it('names the code point and checks the subject', () => {
    const v = validateDraft({ channel: 'email', subject: 'Order\u200B #1001', text: GOOD, facts });
    expect(v).toHaveLength(1);
    expect(v[0]?.rule).toBe('invisible_unicode');
    expect(v[0]?.detail).toContain('U+200B');
    expect(v[0]?.detail).toContain('subject');
  });

  it('leaves visible emoji, accents and non-breaking spaces alone', () => {
    expect(check(`${GOOD} Merci beaucoup\u00A0! \u{1F44D} caf\u00E9`)).toEqual([]);
  });
});

describe('validateDraft: links', () => {
  it.each<[string, string]>([
    ['another domain', 'Log in at https://northwind-support.example.net/login'],
    ['a look-alike path on our domain', 'See https://northwind.example.com/account/refund'],
    ['a bare shortener', 'Details: bit.ly/3xYz'],
    ['a www link', 'Details: www.example.org/help'],
    ['a plain http link to a bare domain', 'See http://example.com'],
  ])('flags %s', (_name, sentence) => {
    expect(check(`${GOOD} ${sentence}`)).toEqual(['unsupported_url']);
  });

  it.each<[string, string, Partial<DraftFacts>]>([
    ['the status link with a trailing slash and an upper-case host', 'See HTTPS://Northwind.Example.com/orders/1001/status/.', {}],
    ['the FAQ link', 'FAQ: https://northwind.example.com/pages/faq', {}],
    ['the alternative link', 'Try https://northwind.example.com/products/oat', { alternative: { title: 'Oat Apron', url: 'https://northwind.example.com/products/oat' } }],
    ['the tracking link', 'Track: https://www.ups.com/track?n=1Z', { tracking: { number: '1Z', url: 'https://www.ups.com/track?n=1Z' } }],
    ['an allowed extra link', 'Returns: https://northwind.example.com/returns', { allowedUrls: ['https://northwind.example.com/returns'] }],
    ['an email address', 'Write to help@northwind.example.com any time.', {}],
    ['a store whose name looks like a domain', 'Thanks, the Acme.co team', { storeName: 'Acme.co' }],
  ])('accepts %s', (_name, sentence, over) => {
    expect(check(`${GOOD} ${sentence}`, over)).toEqual([]);
  });
});

describe('validateDraft: offers', () => {
  it.each<[string, string, Partial<DraftFacts>]>([
    ['a percentage off', 'Here is 20% off your next order.', {}],
    ['free shipping', 'Shipping is on us: free shipping!', {}],
    ['a refund without a cancel offer', 'You can get a full refund.', {}],
    ['a partial refund even with a cancel offer', 'We can give you a partial refund.', { cancelOffer: true }],
    ['a coupon', 'Use coupon SORRY10.', {}],
    ['store credit', 'We added $10 store credit to your account.', {}],
    ['compensation', 'We would like to offer some compensation.', {}],
    ['expedited shipping when not allowed', 'We will upgrade you to expedited shipping.', {}],
    ['a different amount than allowed', 'Here is 20% off.', { allowedOffers: ['10% off your next order'] }],
    ['a gift card', 'Please accept a gift card.', {}],
  ])('flags %s', (_name, sentence, over) => {
    expect(check(`${GOOD} ${sentence}`, over)).toContain('unsupported_offer');
  });

  it.each<[string, string, Partial<DraftFacts>]>([
    ['a full refund with a cancel offer', 'You can cancel for a full refund.', { cancelOffer: true }],
    ['a full refund under the FTC rule', 'You have the right to cancel for a full refund.', { ftc: true }],
    ['allowed expedited shipping', 'We can upgrade you to expedited shipping.', { allowedOffers: ['expedited shipping'] }],
    ['the allowed amount', 'Here is 10% off your next order.', { allowedOffers: ['10% off your next order'] }],
    ['ordinary words near offer words', 'Thanks for your patience while we restock.', {}],
  ])('accepts %s', (_name, sentence, over) => {
    expect(check(`${GOOD} ${sentence}`, over)).toEqual([]);
  });
});

describe('validateDraft: empty', () => {
  it.each(['', '   \n\t', '\u200B\u200B'])('flags %j as empty, and nothing else but hidden characters', (text) => {
    const rules = check(text);
    expect(rules[0]).toBe('empty');
    expect(rules.filter((r) => r !== 'empty' && r !== 'invisible_unicode')).toEqual([]);
  });
});

describe('validateDraft: several problems at once', () => {
  it('reports each rule once per problem, with details', () => {
    const text =
      'We apologize for the inconvenience. Your order arrives on December 5 with 20% off. https://evil.example.net';
    const v = validateDraft({ channel: 'sms', text, facts });
    const rules = v.map((x) => x.rule);
    for (const r of ['order_number', 'item_name', 'status', 'next_update', 'promised_date', 'banned_phrase', 'unsupported_url', 'unsupported_offer']) {
      expect(rules).toContain(r);
    }
    expect(v.every((x) => x.detail.length > 0)).toBe(true);
  });
});
