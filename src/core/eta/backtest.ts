/**
 * Backtest of the ETA ladder in time order (`backorder-desk eta backtest`): every quote is predicted
 * only from what was known before its quote day (ladder.ts), and the quotes made on or after
 * `evaluateFrom` that have arrived are scored. Figures per rung, in days:
 * - `maeDays`: mean |median − arrival|; `maeDaysQuote`: the same for the supplier's own date on the
 *   same quotes; `skill` = 1 − maeDays / maeDaysQuote (0 when the quote's error is 0);
 * - `coverage`: share of arrivals inside [start, end] (both days included);
 * - `meanWidthDays`: mean end − start (a single day is width 0);
 * - `biasDays`: mean (median − arrival); negative = predicted too early;
 * - `chosen`: the rung the app uses after the whole history (ladder rule of ladder.ts).
 * `app` scores what the app would really have said: on each day, the rung the ladder had chosen then.
 */
import { METHOD_ORDER, type HistoryRow, type MethodId } from './types';
import { LadderRun, type LadderOptions, type ScoredQuote } from './predict/ladder';
import type { MethodRange } from './predict/methods';

export interface MethodFigures {
  method: MethodId;
  n: number;
  maeDays: number;
  maeDaysQuote: number;
  skill: number;
  coverage: number;
  meanWidthDays: number;
  biasDays: number;
  chosen: boolean;
}

export interface BacktestResult {
  interval: number;
  evaluateFrom: string | null;
  methods: MethodFigures[];
  /** The ladder as the app runs it, choosing its rung day by day. */
  app: Omit<MethodFigures, 'method' | 'chosen'> & { method: 'ladder'; picks: Record<MethodId, number> };
  rows: { history: number; quotes: number; evaluated: number };
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

function figures(list: { r: MethodRange; q: ScoredQuote }[]): Omit<MethodFigures, 'method' | 'chosen'> {
  const n = list.length;
  if (!n) return { n: 0, maeDays: 0, maeDaysQuote: 0, skill: 0, coverage: 0, meanWidthDays: 0, biasDays: 0 };
  let ae = 0;
  let aeq = 0;
  let cov = 0;
  let width = 0;
  let bias = 0;
  for (const { r, q } of list) {
    ae += Math.abs(r.median - q.arrival);
    aeq += Math.abs(q.quoted - q.arrival);
    if (q.arrival >= r.lo && q.arrival <= r.hi) cov++;
    width += r.hi - r.lo;
    bias += r.median - q.arrival;
  }
  const mae = ae / n;
  const maeq = aeq / n;
  return {
    n,
    maeDays: round(mae),
    maeDaysQuote: round(maeq),
    skill: round(maeq > 0 ? 1 - mae / maeq : 0),
    coverage: round(cov / n),
    meanWidthDays: round(width / n),
    biasDays: round(bias / n),
  };
}

/**
 * Runs the backtest over `history`.
 * @throws RangeError on an interval outside (0, 1) or a malformed date.
 */
export function backtest(history: readonly HistoryRow[], options: LadderOptions): BacktestResult {
  const run = new LadderRun(history, options);
  const evaluated = run.scored.filter((q) => q.evaluated);
  const chosen = run.currentRung();
  const methods = METHOD_ORDER.map((m) => ({
    method: m,
    ...figures(evaluated.map((q) => ({ r: q.ranges[m], q }))),
    chosen: m === chosen,
  }));
  const picks = { quote: 0, supplier_quantiles: 0, shrunk_quantiles: 0, feature_model: 0 } as Record<MethodId, number>;
  for (const q of evaluated) picks[q.chosen]++;
  return {
    interval: options.interval,
    evaluateFrom: options.evaluateFrom ?? null,
    methods,
    app: { method: 'ladder', ...figures(evaluated.map((q) => ({ r: q.ranges[q.chosen], q }))), picks },
    rows: { history: history.length, quotes: run.scored.length, evaluated: evaluated.length },
  };
}
