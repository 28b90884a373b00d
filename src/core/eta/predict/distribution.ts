/**
 * Slip distributions from delivery history with right-censoring: the Kaplan–Meier product-limit
 * estimator (Kaplan & Meier 1958) over whole days. An *event* is an arrived order's slip (arrival −
 * quoted date, days); a *censored* value c says an open order's slip is at least c (it had not
 * arrived c days after its quoted date). Without censored values this is the empirical
 * distribution. Quantiles use the inverse of the step CDF (the smallest slip whose CDF ≥ p).
 */

/** A slip distribution: CDF and quantiles in whole days. */
export interface SlipDistribution {
  /** Arrivals it was estimated from. */
  readonly events: number;
  /** P(slip ≤ x). */
  cdf(x: number): number;
  /**
   * The p-quantile, optionally conditioned on slip ≥ `atLeast` (an overdue quote: it cannot arrive
   * before today). Null when there are no events. Beyond the last event, the largest value seen.
   */
  quantile(p: number, atLeast?: number): number | null;
}

/** Inserts `v` into the ascending array `a` (binary search). */
export function insertSorted(a: number[], v: number): void {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  a.splice(lo, 0, v);
}

/**
 * Kaplan–Meier estimate from ascending `events` and ascending `censored` (slips known to be ≥ the
 * value). A censored value c keeps its order in the risk set for every event slip < c.
 */
export function kaplanMeier(events: readonly number[], censored: readonly number[] = []): SlipDistribution {
  const values: number[] = [];
  const cdfAt: number[] = [];
  let atRisk = events.length + censored.length;
  let surv = 1;
  let i = 0;
  let j = 0;
  let maxSeen = -Infinity;
  while (i < events.length) {
    const v = events[i]!;
    // Censored at c: slip ≥ c, so it leaves the risk set before any event slip ≥ c.
    while (j < censored.length && censored[j]! <= v) {
      atRisk--;
      maxSeen = Math.max(maxSeen, censored[j]!);
      j++;
    }
    let d = 0;
    while (i < events.length && events[i] === v) {
      d++;
      i++;
    }
    if (atRisk > 0) surv *= 1 - d / atRisk;
    atRisk -= d;
    values.push(v);
    cdfAt.push(1 - surv);
    maxSeen = Math.max(maxSeen, v);
  }
  for (; j < censored.length; j++) maxSeen = Math.max(maxSeen, censored[j]!);
  const n = events.length;

  const cdf = (x: number): number => {
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : cdfAt[lo - 1]!;
  };
  return {
    events: n,
    cdf,
    quantile(p: number, atLeast?: number): number | null {
      if (!n) return null;
      let target = p;
      if (atLeast !== undefined) {
        const below = cdf(atLeast - 1);
        if (below >= 1 - 1e-12) return Math.max(atLeast, maxSeen);
        target = below + p * (1 - below);
      }
      for (let k = 0; k < values.length; k++) {
        if (cdfAt[k]! >= target - 1e-12) {
          const q = values[k]!;
          return atLeast !== undefined ? Math.max(q, atLeast) : q;
        }
      }
      return atLeast !== undefined ? Math.max(atLeast, maxSeen) : maxSeen;
    },
  };
}

/** Empirical p-quantile of an ascending array by the finite-sample rank ⌈(n+1)p⌉ (split conformal). */
export function conformalQuantile(sortedAsc: readonly number[], p: number): number {
  const n = sortedAsc.length;
  if (!n) return 0;
  if (p >= 0.5) {
    const k = Math.min(n, Math.ceil((n + 1) * p));
    return sortedAsc[k - 1]!;
  }
  const k = Math.max(1, Math.floor((n + 1) * p));
  return sortedAsc[k - 1]!;
}
