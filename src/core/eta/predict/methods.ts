/**
 * The four rungs of the prediction ladder for one quote on one day, in epoch days:
 * 1. `quote` — the supplier's own date or range;
 * 2. `supplier_quantiles` — the quote moved by this supplier's slip quantiles (at least
 *    MIN_SUPPLIER_ARRIVALS arrivals, else the quote);
 * 3. `shrunk_quantiles` — the same quantiles shrunk toward all suppliers' with weight n/(n+K)
 *    (quantile averaging; K = SHRINK_K pseudo-arrivals), so thin histories lean on the pool;
 * 4. `feature_model` — feature-model.ts (median regression + split-conformal), or rung 3 while it
 *    has too little data.
 * Every range is cut to start no earlier than `today` (an overdue quote is right-censored: its
 * quantiles are taken conditional on not having arrived yet) and is never inverted.
 */
import type { MethodId } from '../types';
import type { HistoryBook } from './book';
import { predictFeatureModel, type FeatureModel } from './feature-model';

export const MIN_SUPPLIER_ARRIVALS = 5;
export const SHRINK_K = 20;

/** One method's answer: lowest, median and highest arrival day (epoch days). */
export interface MethodRange {
  lo: number;
  median: number;
  hi: number;
  censored: boolean;
}

export interface QuoteDays {
  supplier: string;
  /** Quoted arrival range (epoch days), start ≤ end. */
  start: number;
  end: number;
}

/** Features of a quote as known today (see feature-model.ts). */
export function featuresOf(book: HistoryBook, q: QuoteDays, today: number): number[] {
  const s = book.supplier(q.supplier);
  const pool = book.pooled();
  const w = s.events / (s.events + SHRINK_K);
  const poolMed = pool.quantile(0.5) ?? 0;
  const med = w * (s.quantile(0.5) ?? poolMed) + (1 - w) * poolMed;
  const seq = book.arrivals(q.supplier);
  const last = seq.length ? seq[seq.length - 1]! : poolMed;
  const recent = seq.slice(-10);
  const poolLate = 1 - pool.cdf(0);
  const late = (recent.filter((x) => x > 0).length + 5 * poolLate) / (recent.length + 5);
  const lead = Math.log1p(Math.max(0, q.end - today));
  return [1, med, Math.max(-60, Math.min(60, last)), late, lead, Math.min(10, book.overdue(q.supplier))];
}

function clamp(r: { lo: number; median: number; hi: number }, today: number, overdue = false): MethodRange {
  const lo = Math.max(r.lo, today);
  const hi = Math.max(r.hi, lo);
  const median = Math.min(Math.max(r.median, lo), hi);
  return { lo, median, hi, censored: overdue || r.lo < today };
}

/** All rungs for quote `q` on day `today` (the book must be advanced to `today`). */
export function allMethods(book: HistoryBook, q: QuoteDays, today: number, interval: number, model: FeatureModel | null): Record<MethodId, MethodRange> {
  const alpha = 1 - interval;
  const pLo = alpha / 2;
  const pHi = 1 - alpha / 2;
  const mid = Math.round((q.start + q.end) / 2);
  const overdue = today > q.start;
  const quote = clamp({ lo: q.start, median: mid, hi: q.end }, today);

  const s = book.supplier(q.supplier);
  const pool = book.pooled();
  // Conditioning on "not arrived by today": slip ≥ today − anchor.
  const cond = (anchor: number): number | undefined => (today > anchor ? today - anchor : undefined);
  const qs = (d: typeof s, p: number, anchor: number): number | null => d.quantile(p, cond(anchor));

  let supplierQ = quote;
  if (s.events >= MIN_SUPPLIER_ARRIVALS) {
    supplierQ = clamp({ lo: q.start + qs(s, pLo, q.start)!, median: mid + qs(s, 0.5, mid)!, hi: q.end + qs(s, pHi, q.end)! }, today, overdue);
  }

  let shrunk = supplierQ;
  if (pool.events > 0) {
    const w = s.events / (s.events + SHRINK_K);
    const blend = (p: number, anchor: number): number => {
      const sp = s.events ? qs(s, p, anchor)! : 0;
      return Math.round(w * sp + (1 - w) * qs(pool, p, anchor)!);
    };
    shrunk = clamp({ lo: q.start + blend(pLo, q.start), median: mid + blend(0.5, mid), hi: q.end + blend(pHi, q.end) }, today, overdue);
  }

  let feature = shrunk;
  if (model) {
    const f = predictFeatureModel(model, featuresOf(book, q, today), interval);
    feature = clamp({ lo: q.start + f.lo, median: mid + f.median, hi: q.end + f.hi }, today, overdue);
  }
  return { quote, supplier_quantiles: supplierQ, shrunk_quantiles: shrunk, feature_model: feature };
}
