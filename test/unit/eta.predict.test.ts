/**
 * The prediction ladder and its backtest on delivery histories made here (a deterministic
 * pseudo-random generator), the supplier scorecard, and the USAID SCMS corpus (skipped with a
 * reason when ../shared/corpus is absent).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { backtest } from '../../src/core/eta/backtest';
import { addDays } from '../../src/core/eta/calendar';
import { historyFromTable, parseDateCell, USAID_SCMS_MAPPING } from '../../src/core/eta/history';
import { kaplanMeier } from '../../src/core/eta/predict/distribution';
import { chooseRung, isoDay, LadderRun, MIN_SCORED } from '../../src/core/eta/predict/ladder';
import { scorecard } from '../../src/core/eta/scorecard';
import type { HistoryRow } from '../../src/core/eta/types';

/** Park–Miller generator: the same history on every run. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

/** A supplier whose slips are drawn from `slip`, one order every 3 days from 2024-01-01. */
function supplierHistory(name: string, n: number, slip: (r: () => number) => number, seed = 7, lead = 30): HistoryRow[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const ordered = addDays('2024-01-01', 3 * i);
    const quoted = addDays(ordered, lead);
    return { supplier: name, orderedAt: ordered, quotedDate: quoted, receivedAt: addDays(quoted, slip(r)) };
  });
}

describe('Kaplan–Meier slip distribution', () => {
  it('without censoring it is the empirical distribution', () => {
    const d = kaplanMeier([0, 0, 1, 2, 5, 5, 8, 10, 12, 20]);
    expect(d.quantile(0.5)).toBe(5);
    expect(d.quantile(0.1)).toBe(0);
    expect(d.quantile(0.9)).toBe(12);
    expect(d.cdf(4)).toBeCloseTo(0.4);
  });
  it('censored open orders push the upper quantiles up', () => {
    const plain = kaplanMeier([0, 1, 2, 3, 4]);
    const censored = kaplanMeier([0, 1, 2, 3, 4], [3, 3, 3, 3]);
    expect(censored.quantile(0.8)!).toBeGreaterThanOrEqual(plain.quantile(0.8)!);
    expect(censored.cdf(2)).toBeLessThan(plain.cdf(2) + 1e-9);
  });
  it('conditioning on "not arrived yet" never answers a slip already past', () => {
    const d = kaplanMeier([0, 0, 0, 1, 2, 3, 10, 15]);
    expect(d.quantile(0.1, 5)!).toBeGreaterThanOrEqual(5);
  });
});

describe('prediction ladder', () => {
  it('a supplier always 10 days late: its quantiles beat the quote and the ladder keeps them', () => {
    const h = supplierHistory('Late Co', 120, (r) => 8 + Math.floor(r() * 5));
    const b = backtest(h, { interval: 0.8, evaluateFrom: '2024-07-01' });
    const sq = b.methods.find((m) => m.method === 'supplier_quantiles')!;
    const q = b.methods.find((m) => m.method === 'quote')!;
    expect(q.coverage).toBe(0);
    expect(sq.coverage).toBeGreaterThan(0.6);
    expect(sq.skill).toBeGreaterThan(0.7);
    expect(b.methods.find((m) => m.chosen)!.method).not.toBe('quote');
    expect(b.app.picks.quote).toBe(0);
  });

  it('a supplier that is always on time: the quote stays (nothing beats it)', () => {
    const h = supplierHistory('Exact Co', 80, () => 0);
    const b = backtest(h, { interval: 0.8 });
    expect(b.methods.find((m) => m.chosen)!.method).toBe('quote');
    expect(b.methods.find((m) => m.method === 'quote')!.coverage).toBe(1);
  });

  it('coverage of the 80% range is near 80% on continuous noise', () => {
    const h = [
      ...supplierHistory('A', 300, (r) => Math.round(-5 + r() * 25), 11),
      ...supplierHistory('B', 300, (r) => Math.round(r() * 10), 13),
    ];
    const b = backtest(h, { interval: 0.8, evaluateFrom: '2025-01-01' });
    const chosen = b.methods.find((m) => m.chosen)!;
    expect(chosen.coverage).toBeGreaterThan(0.7);
    expect(chosen.coverage).toBeLessThan(0.9);
    expect(chosen.meanWidthDays).toBeGreaterThan(0);
  });

  it('each quote is predicted only from what was known before its quote day', () => {
    const h = supplierHistory('A', 100, (r) => Math.round(r() * 10), 5);
    const changedLater = h.map((row) => (row.orderedAt! >= '2024-06-01' ? { ...row, receivedAt: addDays(row.quotedDate, 90) } : row));
    const early = (rows: HistoryRow[]) => new LadderRun(rows, { interval: 0.8 }).scored.filter((s) => isoDay(s.quotedAt) < '2024-04-01');
    const a = early(h);
    const b = early(changedLater);
    expect(a.length).toBeGreaterThan(10);
    expect(b.map((s) => s.ranges)).toEqual(a.map((s) => s.ranges));
  });

  it('an overdue quote is right-censored: the range never starts before today', () => {
    const h = supplierHistory('A', 100, (r) => Math.round(r() * 10), 5);
    const run = new LadderRun(h, { interval: 0.8 });
    const today = '2025-06-01';
    const p = run.predict({ supplier: 'A', start: '2025-05-01', end: '2025-05-01' }, today);
    for (const m of Object.values(p.all)) {
      expect(isoDay(m.lo) >= today).toBe(true);
      expect(m.hi).toBeGreaterThanOrEqual(m.lo);
    }
    expect(p.range.censored).toBe(true);
  });

  it('the ladder keeps a rung only when it beats the one kept before, after enough scored quotes', () => {
    expect(chooseRung({ quote: 10, supplier_quantiles: 5, shrunk_quantiles: 6, feature_model: 4 }, MIN_SCORED)).toBe('feature_model');
    expect(chooseRung({ quote: 10, supplier_quantiles: 12, shrunk_quantiles: 9, feature_model: 9.5 }, MIN_SCORED)).toBe('shrunk_quantiles');
    expect(chooseRung({ quote: 10, supplier_quantiles: 1, shrunk_quantiles: 1, feature_model: 1 }, MIN_SCORED - 1)).toBe('quote');
  });

  it('a thin supplier leans on all suppliers (shrinkage)', () => {
    const h = [...supplierHistory('Big', 200, () => 10, 3), ...supplierHistory('New', 3, () => 10, 4)];
    const run = new LadderRun(h, { interval: 0.8 });
    const p = run.predict({ supplier: 'New', start: '2026-03-01', end: '2026-03-01' }, '2026-01-01');
    expect(p.all.supplier_quantiles.median).toBe(p.all.quote.median); // 3 arrivals: too few for its own quantiles
    expect(isoDay(p.all.shrunk_quantiles.median)).toBe('2026-03-11');
  });
});

describe('supplier scorecard', () => {
  it('on-time rate, median slip, misses in a row', () => {
    const rows: HistoryRow[] = [
      { supplier: 'A', orderedAt: null, quotedDate: '2026-01-10', receivedAt: '2026-01-09' },
      { supplier: 'A', orderedAt: null, quotedDate: '2026-02-10', receivedAt: '2026-02-12' },
      { supplier: 'A', orderedAt: null, quotedDate: '2026-03-10', receivedAt: '2026-03-15' },
      { supplier: 'A', orderedAt: null, quotedDate: '2026-04-10', receivedAt: '2026-04-11' },
      { supplier: 'A', orderedAt: null, quotedDate: '2026-05-10', receivedAt: null },
      { supplier: 'B', orderedAt: null, quotedDate: '2026-01-10', receivedAt: '2026-01-10' },
    ];
    expect(scorecard(rows)).toEqual([
      { supplier: 'A', arrivals: 4, onTimeRate: 0.25, medianSlipDays: 1.5, missesInRow: 3 },
      { supplier: 'B', arrivals: 1, onTimeRate: 1, medianSlipDays: 0, missesInRow: 0 },
    ]);
  });
});

describe('history tables', () => {
  it('reads the USAID date formats and refuses malformed cells with line and field', () => {
    expect(parseDateCell('2-Jun-06', USAID_SCMS_MAPPING.dateFormats)).toBe('2006-06-02');
    expect(parseDateCell('7/24/2008', USAID_SCMS_MAPPING.dateFormats)).toBe('2008-07-24');
    const r = historyFromTable(
      [['vendor', 'po sent to vendor date', 'scheduled delivery date', 'delivered to client date'], ['X', 'Date Not Captured', '2-Jun-06', '3-Jun-06'], ['Y', '1/1/2006', 'soon', '3-Jun-06']],
      [1, 2, 3],
      USAID_SCMS_MAPPING,
    );
    expect(r.rows).toEqual([{ supplier: 'X', orderedAt: null, quotedDate: '2006-06-02', receivedAt: '2006-06-03' }]);
    expect(r.problems).toEqual([{ line: 3, field: 'scheduled delivery date', message: expect.stringMatching(/"soon" is not a date/) }]);
  });
});

const corpusCsv = path.resolve(import.meta.dirname, '../..', '../shared/corpus/supplier_leadtime/scms_delivery_history_2006_2012.csv');
const hasCorpus = fs.existsSync(corpusCsv);
if (!hasCorpus) console.warn(`skipping the USAID backtest: ${corpusCsv} is absent`);

describe.skipIf(!hasCorpus)('backtest on the USAID SCMS delivery history', () => {
  it('evaluates 2011–2012 quotes from 2006–2010 history, in time order', () => {
    const recs = parse(fs.readFileSync(corpusCsv, 'utf8'), { bom: true, relax_column_count: true }) as string[][];
    const { rows, problems } = historyFromTable(recs, recs.map((_, i) => i + 1), USAID_SCMS_MAPPING);
    expect(problems).toEqual([]);
    expect(rows.length).toBe(6507);
    const b = backtest(rows, { interval: 0.8, evaluateFrom: '2011-01-01' });
    expect(b.rows.quotes).toBe(2497); // rows with a PO date; the rest are history only
    expect(b.methods.map((m) => m.method)).toEqual(['quote', 'supplier_quantiles', 'shrunk_quantiles', 'feature_model']);
    expect(b.methods.filter((m) => m.chosen)).toHaveLength(1);
    for (const m of b.methods) {
      expect(m.n).toBe(b.rows.evaluated);
      expect(m.coverage).toBeGreaterThanOrEqual(0);
      expect(m.coverage).toBeLessThanOrEqual(1);
      expect(m.skill).toBeCloseTo(m.maeDaysQuote > 0 ? 1 - m.maeDays / m.maeDaysQuote : 0, 2);
    }
    // The chosen rung must not be worse than the quote on the interval it shows customers.
    const chosen = b.methods.find((m) => m.chosen)!;
    expect(chosen.coverage).toBeGreaterThanOrEqual(b.methods[0]!.coverage);
  });
});
