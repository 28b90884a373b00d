/**
 * ETA extraction from supplier text: table-driven, one row per wording the parsers must read, plus
 * every phrase of ../shared/corpus/delay_phrases/supplier_delay_phrases.tsv (skipped with a reason
 * when the corpus is absent). A TSV row without an expectation here fails, so new corpus phrases
 * cannot pass unnoticed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addBusinessDays, isoWeekMonday, publicHolidays } from '../../src/core/eta/calendar';
import { extractEta, LOW_CONFIDENCE } from '../../src/core/eta/extract/index';
import { matchVariants } from '../../src/core/eta/extract/match';
import { MODEL_CONFIDENCE_CAP, extractEtaWithModel, validateModelEta, type EtaExtractorModel } from '../../src/core/eta/extract/model';
import type { DateLocale } from '../../src/core/eta/types';

interface Row {
  text: string;
  sent: string;
  prior?: string;
  locale?: DateLocale;
  transit?: number;
  kind: 'date' | 'range' | 'unknown';
  start?: string | null;
  end?: string | null;
  ship?: boolean;
  rule?: string;
  /** Expect a confidence below the review threshold (a person looks). */
  low?: boolean;
}

const table: Row[] = [
  { text: 'The new ETA is 2026-03-18.', sent: '2026-03-01', kind: 'date', start: '2026-03-18', end: '2026-03-18', ship: false },
  { text: 'Your order ships CW 12.', sent: '2026-02-01', kind: 'range', start: '2026-03-16', end: '2026-03-22', ship: true, rule: 'iso-week' },
  { text: 'Liefertermin KW 3/2027', sent: '2026-11-01', kind: 'range', start: '2027-01-18', end: '2027-01-24', rule: 'iso-week' },
  { text: 'Delivery planned for 2026-W53.', sent: '2026-11-01', kind: 'range', start: '2026-12-28', end: '2027-01-03', rule: 'iso-week' },
  { text: 'Expected delivery week 2.', sent: '2026-12-10', kind: 'range', start: '2027-01-11', end: '2027-01-17', rule: 'iso-week' },
  { text: 'Restock expected in Q3.', sent: '2026-02-01', kind: 'range', start: '2026-07-01', end: '2026-09-30', rule: 'quarter' },
  { text: 'We expect delivery in Q1.', sent: '2026-11-15', kind: 'range', start: '2027-01-01', end: '2027-03-31', rule: 'quarter' },
  { text: 'Arrival in the second quarter of 2027.', sent: '2026-11-15', kind: 'range', start: '2027-04-01', end: '2027-06-30', rule: 'quarter' },
  { text: 'Stock should arrive early March.', sent: '2026-02-01', kind: 'range', start: '2026-03-01', end: '2026-03-10', rule: 'month-part' },
  { text: 'Stock should arrive mid-March.', sent: '2026-02-01', kind: 'range', start: '2026-03-11', end: '2026-03-20', rule: 'month-part' },
  { text: 'Stock should arrive late February.', sent: '2026-02-01', kind: 'range', start: '2026-02-21', end: '2026-02-28', rule: 'month-part' },
  { text: 'Expect it late January.', sent: '2026-11-01', kind: 'range', start: '2027-01-21', end: '2027-01-31', rule: 'month-part' },
  { text: 'We will ship by the end of the month.', sent: '2026-04-09', kind: 'date', start: '2026-04-30', end: '2026-04-30', ship: true, rule: 'end-of-month' },
  { text: 'It leaves our warehouse end of next week.', sent: '2026-04-08', kind: 'date', start: '2026-04-17', end: '2026-04-17', ship: true, rule: 'end-of-week' },
  { text: 'Unfortunately the shipment is delayed 2-3 weeks.', sent: '2026-02-01', prior: '2026-03-01', kind: 'range', start: '2026-03-15', end: '2026-03-22', rule: 'delay-relative' },
  { text: 'The PO got pushed out another 10 business days.', sent: '2026-06-20', prior: '2026-06-26', kind: 'date', start: '2026-07-13', end: '2026-07-13', rule: 'delay-relative' },
  { text: 'Delivery slipped by a week.', sent: '2026-02-01', kind: 'date', start: '2026-02-08', end: '2026-02-08', rule: 'delay-relative', low: true },
  { text: 'We can ship within 10 business days.', sent: '2026-06-26', kind: 'range', start: '2026-06-29', end: '2026-07-13', ship: true, rule: 'lead-time' },
  { text: 'Lead time is 4-6 weeks.', sent: '2026-01-05', kind: 'range', start: '2026-02-02', end: '2026-02-16', rule: 'lead-time' },
  // "the week of" and UK "w/c": the week that holds the day, not the day; chrono's "the week" is no date of its own.
  { text: 'Your order will ship the week of 12/07, transit 5 days.', sent: '2026-11-30', locale: 'en-US', kind: 'range', start: '2026-12-07', end: '2026-12-13', ship: true, rule: 'week-of' },
  { text: 'Expected the week of December 7.', sent: '2026-11-30', kind: 'range', start: '2026-12-07', end: '2026-12-13', rule: 'week-of' },
  { text: 'Arriving w/c 7 Dec.', sent: '2026-11-30', locale: 'en-GB', kind: 'range', start: '2026-12-07', end: '2026-12-13', rule: 'week-of' },
  // A stated transit time is no date: "5 days" is not 5 days after the mail.
  { text: 'Ship date 12/07. Transit time is 5 days.', sent: '2026-11-30', locale: 'en-US', kind: 'date', start: '2026-12-07', end: '2026-12-07', ship: true },
  { text: 'The jackets ship on March 3.', sent: '2026-02-01', transit: 5, kind: 'date', start: '2026-03-03', end: '2026-03-03', ship: true },
  { text: 'They will be delivered between March 3 and March 10.', sent: '2026-02-01', kind: 'range', start: '2026-03-03', end: '2026-03-10', ship: false },
  { text: 'ETA 03/04/2026', sent: '2026-02-01', kind: 'date', start: '2026-03-04', end: '2026-03-04', low: true },
  { text: 'ETA 03/04/2026', sent: '2026-02-01', locale: 'en-GB', kind: 'date', start: '2026-04-03', end: '2026-04-03' },
  { text: 'ETA 03/04/2026', sent: '2026-02-01', locale: 'en-US', kind: 'date', start: '2026-03-04', end: '2026-03-04' },
  { text: 'ETA 25/04/2026', sent: '2026-02-01', kind: 'date', start: '2026-04-25', end: '2026-04-25' },
  { text: 'Delivery date TBD.', sent: '2026-02-01', kind: 'unknown', start: null, end: null, rule: 'unknown-marker' },
  { text: 'Production is on hold until further notice.', sent: '2026-02-01', kind: 'unknown', rule: 'unknown-marker' },
  { text: 'We had planned March 3, but at the moment there is no ETA.', sent: '2026-02-01', kind: 'unknown', rule: 'unknown-marker' },
  { text: 'Thanks for your email today. We will get back to you.', sent: '2026-02-01', kind: 'unknown', rule: 'none', low: true },
  { text: 'Originally due March 3, the shipment has been pushed back to April 14.', sent: '2026-02-01', kind: 'date', start: '2026-04-14', end: '2026-04-14' },
];

const check = (r: Row): void => {
  const e = extractEta(r.text, { sent: r.sent, priorEta: r.prior ?? null, ...(r.locale ? { locale: r.locale } : {}), ...(r.transit !== undefined ? { transitDays: r.transit } : {}) });
  expect(e.kind, JSON.stringify(e)).toBe(r.kind);
  if (r.start !== undefined) expect(e.start).toBe(r.start);
  if (r.end !== undefined) expect(e.end).toBe(r.end);
  if (r.ship !== undefined) expect(e.isShipDate).toBe(r.ship);
  if (r.rule !== undefined) expect(e.rule).toBe(r.rule);
  if (r.low !== undefined) expect(e.confidence < LOW_CONFIDENCE, `confidence ${e.confidence}`).toBe(r.low);
  if (r.kind !== 'unknown') expect(e.sentence.length).toBeGreaterThan(0);
  // The email's own date is never an ETA.
  if (r.kind === 'unknown') expect(e.start).toBeNull();
};

describe('ETA extraction: table', () => {
  it.each(table)('$text (sent $sent)', check);

  it('a ship date gets the transit days for arrival', () => {
    const e = extractEta('The jackets ship on March 3.', { sent: '2026-02-01', transitDays: 5 });
    expect([e.arrivalStart, e.arrivalEnd]).toEqual(['2026-03-08', '2026-03-08']);
  });

  it.each([
    ['transit 5 days', 'Your order will ship the week of 12/07, transit 5 days.', 10, ['2026-12-12', '2026-12-18']],
    ['N days in transit', 'Will ship 12/7 via ocean, 5 days in transit.', 10, ['2026-12-12', '2026-12-12']],
    ['a business-day range', 'Ships 12/07; transit time is 3-5 business days.', undefined, ['2026-12-10', '2026-12-14']],
    ['a 7-day transit after a lead time', 'Ships in 2 weeks with a 7-day transit.', undefined, ['2026-12-21', '2026-12-21']],
  ] as const)('a ship date gets the transit the text states (%s), before the supplier’s usual one', (_label, text, transitDays, arrival) => {
    const e = extractEta(text, { sent: '2026-11-30', locale: 'en-US', ...(transitDays !== undefined ? { transitDays } : {}) });
    expect(e.isShipDate).toBe(true);
    expect([e.arrivalStart, e.arrivalEnd]).toEqual(arrival);
    expect(e.notes.some((n) => n.includes('transit the text states'))).toBe(true);
  });

  it('an arrival date gets no transit, stated or not', () => {
    const e = extractEta('ETA 12/07 (5 days transit from Shenzhen).', { sent: '2026-11-30', locale: 'en-US', transitDays: 10 });
    expect([e.start, e.arrivalStart, e.arrivalEnd, e.isShipDate]).toEqual(['2026-12-07', '2026-12-07', '2026-12-07', false]);
  });

  it('never returns the sending day for "now" or "today"', () => {
    const e = extractEta('As of today the ETA is now unknown.', { sent: '2026-02-01' });
    expect(e.kind).toBe('unknown');
    expect(e.start).toBeNull();
  });
});

describe('calendar rules', () => {
  it('ISO 8601 weeks: week 1 holds the first Thursday', () => {
    expect(isoWeekMonday(2026, 1)).toBe('2025-12-29');
    expect(isoWeekMonday(2027, 1)).toBe('2027-01-04');
    expect(isoWeekMonday(2025, 53)).toBeNull();
    expect(isoWeekMonday(2026, 53)).toBe('2026-12-28');
  });
  it('US federal holidays with observance, and business days skip them', () => {
    expect(publicHolidays(2026, 'en-US')).toContain('2026-07-03'); // July 4 is a Saturday
    expect(publicHolidays(2026, 'en-US')).toContain('2026-11-26'); // Thanksgiving
    expect(addBusinessDays('2026-07-02', 1, 'en-US')).toBe('2026-07-06');
  });
  it('England & Wales bank holidays: Easter and substitute days', () => {
    const h = publicHolidays(2026, 'en-GB');
    expect(h).toEqual(expect.arrayContaining(['2026-04-03', '2026-04-06', '2026-12-25', '2026-12-28']));
  });
});

describe('matching text to variants', () => {
  const variants = [
    { id: 'v1', sku: 'ADJ-M', title: 'Alpine Down Jacket / M' },
    { id: 'v2', sku: 'ADJ-MX', title: 'Alpine Down Jacket / XL' },
    { id: 'v3', sku: null, title: 'Trail Mug' },
  ];
  it('by SKU token, by PO and by title', () => {
    const m = matchVariants('Re: PO 4711 — ADJ-M ships CW 12; the trail mug is TBD', variants, [{ poNumber: '4711', variantIds: ['v2'] }]);
    expect(m.map((x) => [x.variantId, x.by]).sort()).toEqual([['v1', 'sku'], ['v2', 'po'], ['v3', 'title']]);
  });
  it('a SKU inside a longer one does not match', () => {
    expect(matchVariants('ADJ-MX is late', variants).map((x) => x.variantId)).toEqual(['v2']);
  });
});

describe('language-model hook: answers are validated in code', () => {
  const text = 'Hallo, die Ware kommt voraussichtlich am 12. März.';
  const o = { sent: '2026-02-01' };
  const fake = (answer: unknown): EtaExtractorModel => ({ extract: async () => answer });

  it('a valid proposal is kept, capped below the review threshold', async () => {
    const e = await extractEtaWithModel(text, o, fake({ kind: 'date', start: '2026-03-12', end: '2026-03-12', isShipDate: false, confidence: 0.95, sentence: 'die Ware kommt voraussichtlich am 12. März.' }));
    expect(e).toMatchObject({ kind: 'date', start: '2026-03-12', rule: 'model' });
    expect(e.confidence).toBe(MODEL_CONFIDENCE_CAP);
    expect(e.confidence).toBeLessThan(LOW_CONFIDENCE);
  });

  it.each([
    ['not JSON of the schema', { eta: 'March 12' }],
    ['an invented sentence', { kind: 'date', start: '2026-03-12', end: '2026-03-12', isShipDate: false, confidence: 0.9, sentence: 'Delivery on March 12.' }],
    ['end before start', { kind: 'range', start: '2026-03-12', end: '2026-03-01', isShipDate: false, confidence: 0.9, sentence: 'die Ware kommt' }],
    ['a day that does not exist', { kind: 'date', start: '2026-02-30', end: '2026-02-30', isShipDate: false, confidence: 0.9, sentence: 'die Ware kommt' }],
    ["the text's own date", { kind: 'date', start: '2026-02-01', end: '2026-02-01', isShipDate: false, confidence: 0.9, sentence: 'die Ware kommt' }],
    ['dates with an unknown kind', { kind: 'unknown', start: '2026-03-12', end: null, isShipDate: false, confidence: 0.9, sentence: 'die Ware kommt' }],
  ])('refuses %s', async (_name, answer) => {
    expect(validateModelEta(answer, text, o).ok).toBe(false);
    const e = await extractEtaWithModel(text, o, fake(answer));
    expect(e.rule).toBe('none');
    expect(e.notes.join(' ')).toMatch(/refused/);
  });

  it('is not asked when the rules read the text', async () => {
    let asked = false;
    await extractEtaWithModel('Ships CW 12.', o, { extract: async () => ((asked = true), {}) });
    expect(asked).toBe(false);
  });
});

// ---- the public corpus ----
const corpus = path.resolve(import.meta.dirname, '../..', '../shared/corpus');
const tsv = path.join(corpus, 'delay_phrases/supplier_delay_phrases.tsv');
const hasCorpus = fs.existsSync(tsv);
if (!hasCorpus) console.warn(`skipping the delay-phrase corpus tests: ${tsv} is absent`);

/** Expected reading of every corpus phrase, with the day it is taken to have been sent. */
const corpusExpect: Record<string, Omit<Row, 'text'>> = {
  'Originally expected to ship on Dec 15, 2019': { sent: '2019-11-20', kind: 'date', start: '2019-12-15', end: '2019-12-15', ship: true },
  'every week delivery date keeps getting pushed back': { sent: '2021-01-05', kind: 'unknown', rule: 'none', low: true },
  "There was an expected delivery date of Dec. 15th 2021, although it now looks like it's been pushed back to Feb. 11th 2022.": { sent: '2021-12-01', kind: 'date', start: '2022-02-11', end: '2022-02-11', ship: false },
  'we are expecting to receive new FPGA stocks late June, so it it likely we will have these selling again late July.': { sent: '2022-05-10', kind: 'range', start: '2022-07-21', end: '2022-07-31', rule: 'month-part' },
  'Lead times have gone from 6 weeks to 3 weeks and keep improving.': { sent: '2023-03-01', kind: 'date', start: '2023-03-22', end: '2023-03-22', low: true },
  'we are waiting to get filters delivered so we can ship all remaining parts backordered in a single box': { sent: '2020-01-01', kind: 'unknown', low: true },
  'Final item, electronics cabinet should arrive by 25th Jan 2016.': { sent: '2016-01-04', kind: 'date', start: '2016-01-25', end: '2016-01-25', ship: false },
  'Op dit moment is er nog geen zicht wnr de stukken zullen geleverd worden': { sent: '2024-01-01', kind: 'unknown', rule: 'unknown-marker' },
  'It will ship after 2 weeks from ordering plus regular shipping time': { sent: '2024-01-01', kind: 'date', start: '2024-01-15', end: '2024-01-15', ship: true },
  'It ships when it ships': { sent: '2024-01-01', kind: 'unknown', rule: 'unknown-marker' },
  'Why does my backorder date keep changing?': { sent: '2024-01-01', kind: 'unknown', low: true },
  'There are no exact dates, as sometimes production schedules, carrier issues and our third party order fulfillment could delay the final shipping date.': { sent: '2024-01-01', kind: 'unknown', rule: 'unknown-marker' },
  'Deliver week of 4/8': { sent: '2024-03-20', kind: 'range', start: '2024-04-08', end: '2024-04-14', ship: false, low: true },
  'Ship on Apr 2': { sent: '2024-03-20', kind: 'date', start: '2024-04-02', end: '2024-04-02', ship: true },
};

describe.skipIf(!hasCorpus)('ETA extraction: every row of supplier_delay_phrases.tsv', () => {
  const rows = hasCorpus
    ? fs.readFileSync(tsv, 'utf8').split(/\r?\n/).slice(1).filter((l) => l.trim()).map((l) => l.split('\t')[0]!)
    : [];
  it('has an expectation for every phrase', () => {
    expect(rows.filter((p) => !(p in corpusExpect))).toEqual([]);
  });
  it.each(rows)('%s', (phrase) => {
    const exp = corpusExpect[phrase];
    if (!exp) throw new Error(`no expectation for corpus phrase: ${phrase}`);
    check({ text: phrase, ...exp });
  });
  it('"Deliver week of 4/8" reads day/month with an en-GB supplier', () => {
    expect(extractEta('Deliver week of 4/8', { sent: '2024-03-20', locale: 'en-GB' })).toMatchObject({ start: '2024-07-29', end: '2024-08-04' }) // 4 Aug 2024 is a Sunday: ISO week Mon 29 Jul – Sun 4 Aug;
  });
});
