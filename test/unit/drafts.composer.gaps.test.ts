/**
 * Gaps a tester found in the composer: the FTC Mail Order Rule wording of a delay notice without a
 * revised date (16 CFR 435.2(b)(1): the reason for the delay, and that the customer may cancel at any
 * time before the order ships), the quantity of a multi-unit line, and no expedited-shipping upgrade
 * for an order that already ships expedited. Every output here also passes the validator.
 * Rows the old composer already met (day 7/14/ETA-change give the reason; "2 of the 3 you ordered";
 * the upgrade offer for a ground method) stay as regression rows.
 */
import { describe, expect, it } from 'vitest';
import { composeDraft, DELAY_NOTICE_STEPS, DRAFT_STEP_IDS, type DraftStepId } from '../../src/core/drafts/composer';
import { draftFactsSchema, type DraftFacts } from '../../src/core/drafts/facts';
import { validateDraft } from '../../src/core/drafts/validator';
import type { Channel } from '../../src/shared/domain';

const CHANNELS: Channel[] = ['email', 'sms'];

const BASE: DraftFacts = {
  orderName: '#1001',
  itemName: 'Summit Hand Coffee Grinder',
  status: 'backordered',
  nextUpdate: 'by Friday, December 4',
  customerFirstName: 'Sam',
  segments: [],
  storeName: 'Northwind Goods',
};

const REASON = 'our supplier paused production for a part';

function draft(step: DraftStepId, channel: Channel, over: Partial<DraftFacts>): { subject: string; body: string } {
  const status = step === 'restock_notice' ? 'back in stock' : step === 'shipped_confirmation' ? 'shipped' : 'backordered';
  const base = { ...BASE, status, ...over };
  // The consent request exists only for a US store's second delay, always with its deadline.
  const facts = step === 'ftc_consent_request' ? { ...base, ftc: true, consentRequest: true, consentDeadline: base.etaEnd ?? '2026-12-12' } : base;
  const d = composeDraft(step, channel, facts);
  expect(validateDraft({ channel, subject: d.subject, text: d.body, facts })).toEqual([]);
  return d;
}

/** The FTC first delay notices: every delay step, and day 3 when it is the first contact. */
const FTC_NOTICES: [DraftStepId, Partial<DraftFacts>][] = [
  ...DELAY_NOTICE_STEPS.map((s): [DraftStepId, Partial<DraftFacts>] => [s, {}]),
  ['day3_update', { firstContact: true }],
];

describe('FTC delay notice without a revised date (16 CFR 435.2(b)(1))', () => {
  const cases = CHANNELS.flatMap((ch) => FTC_NOTICES.map(([step, over]) => [ch, step, over] as const));

  it.each(cases)('%s %s gives the reason for the delay', (channel, step, over) => {
    const { body } = draft(step, channel, { ftc: true, etaReason: REASON, ...over });
    expect(body).toContain(REASON);
    expect(body).toMatch(/no confirmed (shipping )?date/i);
  });

  it.each(cases)('%s %s says the customer may cancel at any time before it ships, free', (channel, step, over) => {
    const { body } = draft(step, channel, { ftc: true, ...over });
    expect(body).toMatch(channel === 'email' ? /at any time before (it ships|they ship)/i : /Until (it ships|they ship), reply CANCEL/);
    expect(body).toMatch(/full refund/i);
    expect(body).toMatch(channel === 'email' ? /reply to this email/i : /reply CANCEL/);
    expect(body).toMatch(/\bfree\b|costs you nothing/i);
  });

  it.each(cases)('%s %s with a revised date also says so', (channel, step, over) => {
    const { body } = draft(step, channel, { ftc: true, etaStart: '2026-12-03', etaEnd: '2026-12-10', ...over });
    expect(body).toMatch(/between Dec 3 and Dec 10/);
    expect(body).toMatch(channel === 'email' ? /at any time before (it ships|they ship)/i : /Until (it ships|they ship), reply CANCEL/);
  });

  it('outside the FTC rule, no reason is added to the hour-0 notice', () => {
    expect(draft('initial_notice', 'email', { etaReason: REASON }).body).not.toContain(REASON);
  });

  it.each(CHANNELS)('stays within the word limit with a long item name and every optional sentence (%s)', (channel) => {
    const over: Partial<DraftFacts> = {
      ftc: true,
      etaReason: "our supplier's container was held at the port for customs inspection",
      itemName: 'Summit Hand Coffee Grinder – Matte Black / Ceramic Burr',
      quantityBackordered: 2,
      quantityOrdered: 3,
      segments: ['vip', 'first_time'],
      previousOrders: 4,
      allowedOffers: ['expedited shipping'],
      statusUrl: 'https://northwind.example.com/orders/1001/status',
      faqUrl: 'https://northwind.example.com/pages/faq',
    };
    for (const step of DELAY_NOTICE_STEPS) {
      const { body } = draft(step, channel, over);
      expect(body).toMatch(/any time before|Until they ship/);
      if (channel === 'email') expect(body).toContain(over.etaReason);
    }
  });
});

describe('quantities of a multi-unit line', () => {
  it.each<[string, Channel, Partial<DraftFacts>, RegExp]>([
    ['2 of 3 waiting', 'email', { quantityBackordered: 2, quantityOrdered: 3 }, /2 of the 3 you ordered/],
    ['2 of 3 waiting', 'sms', { quantityBackordered: 2, quantityOrdered: 3 }, /2 of 3/],
    ['1 of 2 waiting', 'email', { quantityBackordered: 1, quantityOrdered: 2 }, /1 of the 2 you ordered/],
    ['both waiting', 'email', { quantityBackordered: 2, quantityOrdered: 2 }, /\bboth\b/],
    ['both waiting', 'sms', { quantityBackordered: 2, quantityOrdered: 2 }, /\bboth\b/],
    ['all 3 waiting', 'email', { quantityBackordered: 3, quantityOrdered: 3 }, /\ball 3\b/],
    ['all 3 waiting', 'sms', { quantityBackordered: 3, quantityOrdered: 3 }, /\ball 3\b/],
    ['2 waiting, ordered unknown', 'email', { quantityBackordered: 2 }, /\b2 units\b/],
  ])('%s (%s) says how many', (_name, channel, over, expected) => {
    for (const step of DRAFT_STEP_IDS) {
      const { body } = draft(step, channel, { etaStart: '2026-12-03', etaEnd: '2026-12-10', ...over });
      expect(body, step).toMatch(expected);
    }
  });

  it('the tester’s case: a 2-unit line, both waiting, says both and ships them', () => {
    const { body } = draft('initial_notice', 'email', { quantityBackordered: 2, quantityOrdered: 2, etaStart: '2026-12-03', etaEnd: '2026-12-10' });
    expect(body).toContain('Summit Hand Coffee Grinder (both you ordered)');
    expect(body).toMatch(/ship them/);
  });

  it.each(CHANNELS)('a single unit gets no count (%s)', (channel) => {
    const { body } = draft('initial_notice', channel, { quantityBackordered: 1, quantityOrdered: 1 });
    expect(body).not.toMatch(/\(|\bboth\b|\ball \d/);
  });
});

describe('VIP expedited shipping and the order’s shipping method', () => {
  const vip: Partial<DraftFacts> = { segments: ['vip'], allowedOffers: ['expedited shipping'], etaStart: '2026-12-03', etaEnd: '2026-12-10' };

  it.each([
    'Expedited',
    'UPS Next Day Air',
    'USPS Priority Mail',
    'FedEx Standard Overnight',
    'DHL Express Worldwide',
    'Next-day delivery',
    'UPS 2nd Day Air',
  ])('no upgrade offer when the order already ships by %j', (shippingMethod) => {
    for (const channel of CHANNELS) {
      for (const step of DRAFT_STEP_IDS) {
        expect(draft(step, channel, { ...vip, shippingMethod }).body, `${channel} ${step}`).not.toMatch(/expedit|upgrade|Reply YES/i);
      }
    }
  });

  it.each(['Standard', 'UPS Ground', 'USPS Ground Advantage'])('still offers it for %j', (shippingMethod) => {
    expect(draft('day7_update', 'email', { ...vip, shippingMethod }).body).toMatch(/expedited shipping/);
    expect(draft('day7_update', 'sms', { ...vip, shippingMethod }).body).toMatch(/expedited shipping/);
  });

  it('shippingMethod is a fact the schema accepts (and refuses empty)', () => {
    const minimal = { orderName: '#1001', itemName: 'Grinder', status: 'backordered', nextUpdate: 'by Friday' };
    expect(draftFactsSchema.parse({ ...minimal, shippingMethod: 'UPS Next Day Air' }).shippingMethod).toBe('UPS Next Day Air');
    expect(draftFactsSchema.safeParse({ ...minimal, shippingMethod: ' ' }).success).toBe(false);
  });
});
