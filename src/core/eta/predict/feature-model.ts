/**
 * The ladder's last rung: a small linear model of slip (days) fitted by least absolute deviations
 * (median regression, iteratively reweighted least squares with a light ridge), with split-conformal
 * intervals (Vovk et al.; Lei et al. 2018): the model is fitted on the older 70% of the known
 * quotes and the interval is the model's median plus the calibration residuals' finite-sample
 * quantiles, measured on the newer 30%. Asymmetric on purpose: slips are skewed.
 *
 * Features of a quote, all as known on the day it was made (see methods.ts `featuresOf`).
 */
import { conformalQuantile } from './distribution';

/** A fitted model: coefficients and the calibration residuals (ascending). */
export interface FeatureModel {
  beta: number[];
  residuals: number[];
  trainedOn: number;
  /** The training slips' 5% and 95% quantiles: a linear model must not extrapolate past them. */
  yRange: [number, number];
}

export interface TrainingRow {
  x: number[];
  y: number;
  /** Quote day (epoch days), for the time split. */
  at: number;
}

/** Solves A·x = b (Gaussian elimination with partial pivoting); null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) return null;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** LAD regression by IRLS; the intercept is x[0] = 1. */
export function fitLad(rows: readonly TrainingRow[], iterations = 30, ridge = 1e-3): number[] | null {
  if (!rows.length) return null;
  const p = rows[0]!.x.length;
  let beta: number[] | null = new Array<number>(p).fill(0);
  let w = rows.map(() => 1);
  for (let it = 0; it < iterations; it++) {
    const a = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const b = new Array<number>(p).fill(0);
    rows.forEach((r, i) => {
      const wi = w[i]!;
      for (let j = 0; j < p; j++) {
        b[j]! += wi * r.x[j]! * r.y;
        for (let k = 0; k < p; k++) a[j]![k]! += wi * r.x[j]! * r.x[k]!;
      }
    });
    for (let j = 1; j < p; j++) a[j]![j]! += ridge * rows.length;
    beta = solve(a, b);
    if (!beta) return null;
    const bb = beta;
    w = rows.map((r) => 1 / Math.max(0.5, Math.abs(r.y - dot(bb, r.x))));
  }
  return beta;
}

/** Linear predictor β·x. */
export const dot = (beta: readonly number[], x: readonly number[]): number => beta.reduce((s, b, i) => s + b * x[i]!, 0);

/** Fits on the older 70% and calibrates on the newer 30%; null below `minRows` rows. */
export function fitFeatureModel(rows: readonly TrainingRow[], minRows = 200): FeatureModel | null {
  if (rows.length < minRows) return null;
  const sorted = [...rows].sort((a, b) => a.at - b.at);
  const cut = Math.floor(sorted.length * 0.7);
  const train = sorted.slice(0, cut);
  const calib = sorted.slice(cut);
  const beta = fitLad(train);
  if (!beta) return null;
  const ys = train.map((r) => r.y).sort((a, b) => a - b);
  const yRange: [number, number] = [ys[Math.floor(0.05 * (ys.length - 1))]!, ys[Math.ceil(0.95 * (ys.length - 1))]!];
  const point = (x: readonly number[]): number => Math.min(yRange[1], Math.max(yRange[0], Math.round(dot(beta, x))));
  const residuals = calib.map((r) => r.y - point(r.x)).sort((a, b) => a - b);
  return { beta, residuals, trainedOn: train.length, yRange };
}

/** Median slip and the conformal slip interval at nominal coverage `interval`. */
export function predictFeatureModel(m: FeatureModel, x: readonly number[], interval: number): { lo: number; median: number; hi: number } {
  const median = Math.min(m.yRange[1], Math.max(m.yRange[0], Math.round(dot(m.beta, x))));
  const alpha = 1 - interval;
  return {
    lo: median + conformalQuantile(m.residuals, alpha / 2),
    median,
    hi: median + conformalQuantile(m.residuals, 1 - alpha / 2),
  };
}
