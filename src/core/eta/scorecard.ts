/**
 * Supplier scorecard (DESIGN.md glossary): per supplier, from arrived deliveries —
 * on-time rate (share with slip ≤ 0 days, i.e. on or before the quoted date), median slip (days),
 * and misses in a row (the latest arrivals that were late, counted back until one was on time:
 * "missed 4 times in a row"). Pure function of the history rows.
 */
import type { HistoryRow } from './types';
import { daysBetween } from './calendar';
import { median } from '../median';

export interface SupplierScore {
  supplier: string;
  arrivals: number;
  onTimeRate: number | null;
  medianSlipDays: number | null;
  missesInRow: number;
}

/** Scores of every supplier in `history`, by name. Open rows (no arrival) are ignored. */
export function scorecard(history: readonly HistoryRow[]): SupplierScore[] {
  const by = new Map<string, { received: string; slip: number }[]>();
  for (const h of history) {
    if (!h.receivedAt) continue;
    const list = by.get(h.supplier) ?? [];
    list.push({ received: h.receivedAt, slip: daysBetween(h.quotedDate, h.receivedAt) });
    by.set(h.supplier, list);
  }
  const out: SupplierScore[] = [];
  for (const [supplier, list] of by) {
    list.sort((a, b) => (a.received < b.received ? -1 : a.received > b.received ? 1 : 0));
    let misses = 0;
    for (let i = list.length - 1; i >= 0 && list[i]!.slip > 0; i--) misses++;
    out.push({
      supplier,
      arrivals: list.length,
      onTimeRate: Math.round((list.filter((x) => x.slip <= 0).length / list.length) * 1000) / 1000,
      medianSlipDays: median(list.map((x) => x.slip)),
      missesInRow: misses,
    });
  }
  return out.sort((a, b) => a.supplier.localeCompare(b.supplier));
}
