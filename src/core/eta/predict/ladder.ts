/**
 * The prediction ladder run in time order over delivery history: each quote (a history row with an
 * order date) is predicted by every rung from what was known on its quote day only, then scored
 * once its arrival is known. The rung the app uses is chosen by the ladder rule on the quotes
 * scored so far: start from the quote itself and keep each next rung only if its mean interval
 * score (Gneiting & Raftery 2007: width + 2/α · distance outside the interval, in days; lower is
 * better, it rewards both coverage and narrowness) beats the rung kept before it, once at least
 * MIN_SCORED quotes have been scored. Too few scored quotes → the quote itself.
 *
 * Pure: a function of the history rows, the options and the days asked about.
 */
import { dayNumber, fromDayNumber } from '../calendar';
import { METHOD_ORDER, type HistoryRow, type MethodId } from '../types';
import { HistoryBook } from './book';
import { fitFeatureModel, type FeatureModel, type TrainingRow } from './feature-model';
import { allMethods, featuresOf, type MethodRange, type QuoteDays } from './methods';

export const MIN_SCORED = 30;
/** The feature model is refitted at most this often (days of history time). */
export const REFIT_DAYS = 30;

export interface LadderOptions {
  /** Nominal coverage of the range, e.g. 0.8. */
  interval: number;
  /** Only quotes made on or after this day are *evaluated* (all rows still serve as history). */
  evaluateFrom?: string | null;
}

/** One scored prediction of the pass. */
export interface ScoredQuote {
  supplier: string;
  quotedAt: number;
  quoted: number;
  arrival: number;
  ranges: Record<MethodId, MethodRange>;
  /** The rung the app would have used on that day. */
  chosen: MethodId;
  evaluated: boolean;
}

/** Interval score of [lo, hi] for an arrival y at nominal coverage 1 − α. */
export function intervalScore(r: MethodRange, y: number, alpha: number): number {
  return r.hi - r.lo + (2 / alpha) * Math.max(0, r.lo - y) + (2 / alpha) * Math.max(0, y - r.hi);
}

/** The ladder rule over running interval-score sums (see the module comment). */
export function chooseRung(sums: Record<MethodId, number>, count: number): MethodId {
  if (count < MIN_SCORED) return 'quote';
  let kept: MethodId = 'quote';
  for (const m of METHOD_ORDER.slice(1)) if (sums[m] < sums[kept] - 1e-9) kept = m;
  return kept;
}

const zeroSums = (): Record<MethodId, number> => ({ quote: 0, supplier_quantiles: 0, shrunk_quantiles: 0, feature_model: 0 });

/** A time-ordered run of the ladder over history; then `predict` for days at or after its end. */
export class LadderRun {
  readonly scored: ScoredQuote[] = [];
  private readonly book: HistoryBook;
  private readonly alpha: number;
  private readonly sums = zeroSums();
  private count = 0;
  private pendingScores: { received: number; scores: Record<MethodId, number> }[] = [];
  private pendingTraining: { received: number; row: TrainingRow }[] = [];
  private readonly training: TrainingRow[] = [];
  private model: FeatureModel | null = null;
  private lastFit = -Infinity;
  private trainedCount = 0;

  constructor(history: readonly HistoryRow[], private readonly options: LadderOptions) {
    if (!(options.interval > 0 && options.interval < 1)) throw new RangeError('interval must be between 0 and 1');
    this.alpha = 1 - options.interval;
    this.book = new HistoryBook(history);
    const from = options.evaluateFrom ? dayNumber(options.evaluateFrom) : -Infinity;
    const quotes = history
      .filter((h) => h.orderedAt !== null)
      .map((h) => ({ h, at: dayNumber(h.orderedAt!), quoted: dayNumber(h.quotedDate), received: h.receivedAt ? dayNumber(h.receivedAt) : null }))
      .sort((a, b) => a.at - b.at || a.quoted - b.quoted);
    for (const q of quotes) {
      this.moveTo(q.at);
      const quote: QuoteDays = { supplier: q.h.supplier, start: q.quoted, end: q.quoted };
      const ranges = allMethods(this.book, quote, q.at, options.interval, this.model);
      const chosen = chooseRung(this.sums, this.count);
      if (q.received === null) continue;
      const slip = q.received - q.quoted;
      const training = { received: q.received, row: { x: featuresOf(this.book, quote, q.at), y: slip, at: q.at } };
      const scores = zeroSums();
      for (const m of METHOD_ORDER) scores[m] = intervalScore(ranges[m], q.received, this.alpha);
      this.pendingScores.push({ received: q.received, scores });
      this.pendingTraining.push(training);
      this.scored.push({ supplier: q.h.supplier, quotedAt: q.at, quoted: q.quoted, arrival: q.received, ranges, chosen, evaluated: q.at >= from });
    }
  }

  /** Advances knowledge to day `t`: arrivals before t are scored and join the training rows. */
  private moveTo(t: number): void {
    if (t === this.book.day) return;
    this.book.advanceTo(t);
    this.pendingScores = this.pendingScores.filter((p) => {
      if (p.received >= t) return true;
      for (const m of METHOD_ORDER) this.sums[m] += p.scores[m];
      this.count++;
      return false;
    });
    this.pendingTraining = this.pendingTraining.filter((p) => {
      if (p.received >= t) return true;
      this.training.push(p.row);
      return false;
    });
    if (t - this.lastFit >= REFIT_DAYS && this.training.length > this.trainedCount) {
      this.model = fitFeatureModel(this.training);
      this.lastFit = t;
      this.trainedCount = this.training.length;
    }
  }

  /** The rung the app uses now (after everything the run has seen). */
  currentRung(): MethodId {
    return chooseRung(this.sums, this.count);
  }

  /** Quotes scored so far and their mean interval score per rung. */
  scoreboard(): { scored: number; meanIntervalScore: Record<MethodId, number> } {
    const mean = zeroSums();
    for (const m of METHOD_ORDER) mean[m] = this.count ? this.sums[m] / this.count : 0;
    return { scored: this.count, meanIntervalScore: mean };
  }

  /**
   * The customer-facing range for a live quote on day `today` (ISO), after the history run.
   * @throws RangeError when `today` is before the last quote day of the history.
   */
  predict(quote: { supplier: string; start: string; end: string }, today: string): { method: MethodId; range: MethodRange; supplierHistory: number; all: Record<MethodId, MethodRange> } {
    const t = dayNumber(today);
    this.moveTo(t);
    const q: QuoteDays = { supplier: quote.supplier, start: dayNumber(quote.start), end: dayNumber(quote.end) };
    const all = allMethods(this.book, q, t, this.options.interval, this.model);
    const method = chooseRung(this.sums, this.count);
    return { method, range: all[method], supplierHistory: this.book.supplier(quote.supplier).events, all };
  }
}

/** ISO day of an epoch day (re-exported for callers of ranges). */
export const isoDay = fromDayNumber;
