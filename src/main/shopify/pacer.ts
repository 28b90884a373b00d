/**
 * Paces requests by the cost bucket Shopify reports with every reply (Shopify Admin GraphQL API,
 * "rate limits": `extensions.cost.throttleStatus` = {maximumAvailable, currentlyAvailable,
 * restoreRate}, a leaky bucket in points and points per second). The figures are read at run time
 * from the last reply, never assumed from the plan, and projected forward by the restore rate.
 */

/** Shopify's throttle status as it arrives (points, points per second). */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** The bucket as last seen, and the expected cost of each operation by name. */
export class ThrottlePacer {
  private seen: (ThrottleStatus & { atMs: number }) | null = null;
  private readonly costs = new Map<string, number>();

  constructor(private readonly clockMs: () => number = Date.now) {}

  /** Points expected to be available now (null before the first reply). */
  available(): number | null {
    if (!this.seen) return null;
    const elapsed = Math.max(0, this.clockMs() - this.seen.atMs) / 1000;
    return Math.min(this.seen.maximumAvailable, this.seen.currentlyAvailable + elapsed * this.seen.restoreRate);
  }

  /** Largest cost a single request may have, as the bucket last said (null before the first reply). */
  maximum(): number | null {
    return this.seen?.maximumAvailable ?? null;
  }

  /** Cost to expect for `operation`: the last requested cost Shopify reported for it, else `fallback`. */
  expectedCost(operation: string, fallback: number): number {
    return this.costs.get(operation) ?? fallback;
  }

  /** Milliseconds to wait before sending a request of `cost` points (0 when the bucket has room). */
  waitMs(cost: number): number {
    const available = this.available();
    if (available === null || !this.seen || this.seen.restoreRate <= 0) return 0;
    const need = Math.min(cost, this.seen.maximumAvailable);
    if (available >= need) return 0;
    return Math.ceil(((need - available) / this.seen.restoreRate) * 1000);
  }

  /** Records a reply's cost extension. `requested` is remembered per operation for the next estimate. */
  observe(operation: string, status: ThrottleStatus, requested?: number | null): void {
    this.seen = { ...status, atMs: this.clockMs() };
    if (typeof requested === 'number') this.costs.set(operation, requested);
  }
}
