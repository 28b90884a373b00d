import { describe, expect, it } from 'vitest';
import { composeDraft, DELAY_NOTICE_STEPS, DRAFT_STEP_IDS, type DraftStepId } from '../../src/core/drafts/composer';
import type { DraftFacts } from '../../src/core/drafts/facts';
import { validateDraft } from '../../src/core/drafts/validator';
import type { Channel, Segment } from '../../src/shared/domain';

const CHANNELS: Channel[] = ['email', 'sms'];

/** Every subset of the segments, including the empty one and the (unlikely) all-three. */
const SEGMENT_SETS: Segment[][] = [[], ['vip'], ['first_time'], ['high_value'], ['vip', 'high_value'], ['first_time', 'high_value'], ['vip', 'first_time'], ['vip', 'first_time', 'high_value']];

/** The status a customer would see at each step. */
const STATUS: Record<DraftStepId, string> = {
  initial_notice: 'backordered',
  day3_update: 'backordered',
  day7_update: 'backordered',
  day14_update: 'backordered',
  eta_change_update: 'backordered',
  restock_notice: 'back in stock — packing now',
  shipped_confirmation: 'shipped',
  ftc_consent_request: 'backordered',
};

const BASE: DraftFacts = {
  orderName: '#1001',
  itemName: 'Linen Apron – Large / Sage',
  quantityBackordered: 1,
  quantityOrdered: 1,
  status: 'backordered',
  nextUpdate: 'by Friday, December 4',
  etaStart: '2026-12-03',
  etaEnd: '2026-12-10',
  customerFirstName: 'Sam',
  segments: [],
  previousOrders: 4,
  storeName: 'Northwind Goods',
  statusUrl: 'https://northwind.example.com/orders/1001/status',
  faqUrl: 'https://northwind.example.com/pages/faq',
};

/** Fact scenarios that change what the composer writes; each is crossed with every step, channel and segment set. */
const SCENARIOS: Record<string, Partial<DraftFacts>> = {
  plain: {},
  'no confirmed ETA': { etaStart: undefined, etaEnd: undefined },
  'one-day ETA': { etaStart: '2026-12-05', etaEnd: '2026-12-05' },
  'ETA across the year end': { etaStart: '2026-12-28', etaEnd: '2027-01-08' },
  'US store (FTC)': { ftc: true },
  'US store, no ETA, cancel offer': { ftc: true, cancelOffer: true, etaStart: undefined, etaEnd: undefined },
  'everything at once': {
    ftc: true,
    cancelOffer: true,
    supplierConfirmed: true,
    etaReason: "our supplier's container was held at the port for inspection",
    quantityBackordered: 2,
    quantityOrdered: 3,
    allowedOffers: ['expedited shipping'],
    alternative: { title: 'Linen Apron – Large / Oat', url: 'https://northwind.example.com/products/apron-oat' },
    tracking: { number: '1Z999AA10123456784', company: 'UPS', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' },
  },
  'first contact after a missed notice': { firstContact: true, ftc: true },
  'bare facts (CLI minimum)': {
    quantityBackordered: undefined,
    quantityOrdered: undefined,
    etaStart: undefined,
    etaEnd: undefined,
    customerFirstName: undefined,
    previousOrders: undefined,
    storeName: undefined,
    statusUrl: undefined,
    faqUrl: undefined,
  },
  'ISO next-update date': { nextUpdate: '2026-12-04' },
  'event-style next update': { nextUpdate: 'when it ships, with tracking', status: 'back in stock' },
  'conditional next update': { nextUpdate: 'only if something changes' },
  'relative next update': { nextUpdate: 'within 7 days' },
  'supplier confirmed, expedited allowed': { supplierConfirmed: true, allowedOffers: ['expedited shipping', 'full refund'] },
  'several units, reason, no ETA': { quantityBackordered: 3, quantityOrdered: 3, etaReason: 'the factory paused production', etaStart: undefined, etaEnd: undefined },
  'US store, no ETA, reason, partial': {
    ftc: true,
    etaReason: "our supplier's container was held at the port for inspection",
    etaStart: undefined,
    etaEnd: undefined,
    quantityBackordered: 2,
    quantityOrdered: 3,
  },
  'US store, no ETA, reason, first contact': { ftc: true, firstContact: true, etaReason: 'the factory paused production', etaStart: undefined, etaEnd: undefined },
  'US store, ETA, reason, all units waiting': { ftc: true, etaReason: 'the factory paused production', quantityBackordered: 2, quantityOrdered: 2 },
  'both units waiting': { quantityBackordered: 2, quantityOrdered: 2 },
  'units waiting, quantity ordered unknown': { quantityBackordered: 2, quantityOrdered: undefined },
  'expedited allowed, ships next-day already': { allowedOffers: ['expedited shipping'], shippingMethod: 'UPS Next Day Air' },
  'expedited allowed, ships ground': { allowedOffers: ['expedited shipping'], shippingMethod: 'UPS Ground' },
  'everything at once, no ETA': {
    ftc: true,
    cancelOffer: true,
    firstContact: true,
    etaReason: "our supplier's container was held at the port for inspection",
    etaStart: undefined,
    etaEnd: undefined,
    quantityBackordered: 2,
    quantityOrdered: 3,
    allowedOffers: ['expedited shipping'],
    shippingMethod: 'Priority Express Shipping',
    alternative: { title: 'Linen Apron – Large / Oat', url: 'https://northwind.example.com/products/apron-oat' },
    tracking: { number: '1Z999AA10123456784', company: 'UPS', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' },
  },
};

function factsFor(step: DraftStepId, scenario: Partial<DraftFacts>, segments: Segment[]): DraftFacts {
  // A scenario's status only replaces the one of the step where it still makes sense.
  const status = scenario.status && step === 'restock_notice' ? scenario.status : STATUS[step];
  const facts = { ...BASE, ...scenario, status, segments };
  // The consent request exists only for a US store's second delay, always with its deadline.
  return step === 'ftc_consent_request' ? { ...facts, ftc: true, consentRequest: true, consentDeadline: facts.etaEnd ?? '2026-12-12' } : facts;
}

describe('composeDraft: every output passes the validator', () => {
  describe.each(DRAFT_STEP_IDS.map((s) => [s]))('%s', (step) => {
    const cases = CHANNELS.flatMap((ch) => Object.keys(SCENARIOS).map((name) => [ch, name] as const));
    it.each(cases)('%s, %s, all segment sets', (channel, name) => {
      const failures: string[] = [];
      for (const segments of SEGMENT_SETS) {
        const facts = factsFor(step, SCENARIOS[name] ?? {}, segments);
        const draft = composeDraft(step, channel, facts);
        const violations = validateDraft({ channel, subject: draft.subject, text: draft.body, facts });
        if (violations.length > 0) failures.push(`[${segments.join(',')}] ${JSON.stringify(violations)}\n${draft.body}`);
        if (channel === 'sms' && draft.subject !== '') failures.push(`[${segments.join(',')}] SMS has a subject`);
        if (channel === 'email' && draft.subject.trim() === '') failures.push(`[${segments.join(',')}] email has no subject`);
      }
      expect(failures).toEqual([]);
    });
  });
});

describe('composeDraft: content the brief requires', () => {
  const body = (step: DraftStepId, channel: Channel, over: Partial<DraftFacts> = {}): string =>
    composeDraft(step, channel, factsFor(step, over, over.segments ?? [])).body;

  it.each(CHANNELS)('FTC delay notices give the range or its absence, the right to cancel and a free way (%s)', (channel) => {
    const freeWay = channel === 'email' ? /reply to this email/i : /reply CANCEL/;
    for (const step of DELAY_NOTICE_STEPS) {
      for (const eta of [{}, { etaStart: undefined, etaEnd: undefined }]) {
        const text = body(step, channel, { ftc: true, ...eta, segments: ['vip', 'first_time'], allowedOffers: ['expedited shipping'] });
        expect(text, step).toMatch(/cancel/i);
        expect(text, step).toMatch(/full refund/i);
        expect(text, step).toMatch(freeWay);
        expect(text, step).toMatch(/\bfree\b|costs you nothing|no cost/i);
        expect(text, step).toMatch(eta.etaStart === undefined && 'etaStart' in eta ? /no confirmed (shipping )?date/i : /between Dec 3 and Dec 10/);
      }
    }
  });

  it.each(CHANNELS)('no refund is mentioned without FTC or a cancel offer (%s)', (channel) => {
    // The consent request is itself the FTC cancel-or-wait choice (factsFor gives it ftc: true).
    for (const step of DRAFT_STEP_IDS.filter((s) => s !== 'ftc_consent_request')) expect(body(step, channel)).not.toMatch(/refund|cancel/i);
  });

  it.each(CHANNELS)('day 14 offers cancellation for a full refund when told to (%s)', (channel) => {
    expect(body('day14_update', channel, { cancelOffer: true })).toMatch(/cancel[^.]*full refund/i);
    expect(body('day14_update', channel, { cancelOffer: false })).not.toMatch(/refund/i);
  });

  it('hour 0 gives the range, what happens next and the status link', () => {
    const text = body('initial_notice', 'email');
    expect(text).toContain('between Dec 3 and Dec 10');
    expect(text).toMatch(/ship it and send you tracking/);
    expect(text).toContain(BASE.statusUrl);
  });

  it.each(CHANNELS)('without an ETA the message says there is no confirmed date (%s)', (channel) => {
    for (const step of ['initial_notice', 'day3_update', 'day7_update', 'day14_update', 'eta_change_update'] as const) {
      expect(body(step, channel, { etaStart: undefined, etaEnd: undefined })).toMatch(/no confirmed (shipping )?date yet/i);
    }
  });

  it.each(CHANNELS)('day 3: a firmer estimate when the supplier confirmed, else "checking with our supplier" (%s)', (channel) => {
    const confirmed = body('day3_update', channel, { supplierConfirmed: true });
    expect(confirmed).toMatch(/supplier (has )?confirmed/i);
    expect(confirmed).not.toMatch(/checking with our supplier/i);
    expect(body('day3_update', channel, { supplierConfirmed: false })).toMatch(/checking with our supplier/i);
  });

  it('day 7 gives the reason the ETA moved and the in-stock alternative', () => {
    const alt = { title: 'Linen Apron – Large / Oat', url: 'https://northwind.example.com/products/apron-oat' };
    const text = body('day7_update', 'email', { etaReason: 'the supplier shipment slipped', alternative: alt });
    expect(text).toContain('the supplier shipment slipped');
    expect(text).toContain(alt.title);
    expect(text).toContain(alt.url);
  });

  it.each(CHANNELS)('restock says back in stock and shipping soon; shipped gives tracking (%s)', (channel) => {
    expect(body('restock_notice', channel)).toMatch(/back in stock[\s\S]*ship soon/i);
    const tracking = { number: '1Z999AA10123456784', company: 'UPS', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' };
    const shipped = body('shipped_confirmation', channel, { tracking });
    expect(shipped).toContain(tracking.number);
    expect(shipped).toContain(tracking.url);
    expect(shipped).toContain('UPS');
  });

  it('VIP: loyalty by previous orders, expedited shipping only when allowed', () => {
    const vip = { segments: ['vip'] as Segment[] };
    expect(body('day7_update', 'email', vip)).toMatch(/ordered from us 4 times before/);
    expect(body('day7_update', 'email', { ...vip, previousOrders: undefined })).toMatch(/loyal/i);
    expect(body('day7_update', 'email', vip)).not.toMatch(/expedit/i);
    expect(body('day7_update', 'email', { ...vip, allowedOffers: ['expedited shipping'] })).toMatch(/expedited shipping/);
    expect(body('day7_update', 'email', { allowedOffers: ['expedited shipping'] })).not.toMatch(/expedit/i);
  });

  it('first-time buyer: simple opening and the FAQ link', () => {
    const text = body('initial_notice', 'email', { segments: ['first_time'] });
    expect(text).toContain('first order');
    expect(text).toContain(BASE.faqUrl);
    expect(body('initial_notice', 'email')).not.toContain(BASE.faqUrl);
  });

  it('a first contact after a missed notice introduces the backorder', () => {
    const text = body('day7_update', 'email', { firstContact: true });
    expect(text).toMatch(/out of stock/);
    expect(text).toMatch(/Thanks for your order #1001/);
  });

  it('partial backorders say how many units wait', () => {
    expect(body('initial_notice', 'email', { quantityBackordered: 2, quantityOrdered: 3 })).toContain('2 of the 3 you ordered');
  });

  it('a one-day ETA is never stated as a single date', () => {
    const text = body('initial_notice', 'email', { etaStart: '2026-12-05', etaEnd: '2026-12-05' });
    expect(text).toContain('no earlier than Dec 5');
    expect(text).not.toMatch(/between Dec 5 and Dec 5/);
  });

  it('never apologises "for the inconvenience" and always addresses the customer', () => {
    for (const step of DRAFT_STEP_IDS) {
      for (const channel of CHANNELS) expect(body(step, channel)).not.toMatch(/apolog|inconvenien/i);
      expect(body(step, 'email')).toMatch(/^Hi Sam,/);
      expect(body(step, 'email', { customerFirstName: undefined })).toMatch(/^Hi there,/);
    }
  });

  it('is deterministic', () => {
    for (const step of DRAFT_STEP_IDS) {
      const facts = factsFor(step, SCENARIOS['everything at once'] ?? {}, ['vip']);
      expect(composeDraft(step, 'email', facts)).toEqual(composeDraft(step, 'email', structuredClone(facts)));
    }
  });

  it('drops optional sentences to fit, but never a required fact', () => {
    const longItem = Array.from({ length: 45 }, (_, i) => `word${i}`).join(' ');
    const facts = factsFor('initial_notice', { itemName: longItem, ftc: true, segments: ['vip', 'first_time'] }, ['vip', 'first_time']);
    const sms = composeDraft('initial_notice', 'sms', facts).body;
    expect(sms).toContain(longItem);
    expect(sms).toMatch(/reply CANCEL/);
    const rules = validateDraft({ channel: 'sms', text: sms, facts }).map((v) => v.rule);
    expect(rules).toEqual(['length']);
  });
});
