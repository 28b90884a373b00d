/**
 * What was known about supplier deliveries on a given day, built from delivery history in time
 * order so nothing later can leak into an earlier prediction:
 * - an arrival is known from the day after it happened (received_at < t);
 * - an order placed before t and not yet arrived is right-censored: its slip is at least
 *   t − quoted date (it had not arrived by t).
 * Rows without an order date are known only from their arrival on (they never count as open).
 *
 * `advanceTo` only moves forward; distributions are cached per day.
 */
import { dayNumber } from '../calendar';
import type { HistoryRow } from '../types';
import { insertSorted, kaplanMeier, type SlipDistribution } from './distribution';

interface Row {
  supplier: string;
  ordered: number | null;
  quoted: number;
  received: number | null;
}

/** Time-ordered knowledge of deliveries; see the module comment. */
export class HistoryBook {
  private readonly rows: Row[];
  private readonly byReceived: Row[];
  private readonly byOrdered: Row[];
  private ri = 0;
  private oi = 0;
  private t = -Infinity;
  private readonly events = new Map<string, number[]>();
  private readonly pooledEvents: number[] = [];
  private readonly sequence = new Map<string, number[]>();
  private readonly open = new Set<Row>();
  private cache = new Map<string, SlipDistribution>();

  constructor(history: readonly HistoryRow[]) {
    this.rows = history.map((h) => ({
      supplier: h.supplier,
      ordered: h.orderedAt ? dayNumber(h.orderedAt) : null,
      quoted: dayNumber(h.quotedDate),
      received: h.receivedAt ? dayNumber(h.receivedAt) : null,
    }));
    this.byReceived = this.rows.filter((r) => r.received !== null).sort((a, b) => a.received! - b.received!);
    this.byOrdered = this.rows.filter((r) => r.ordered !== null).sort((a, b) => a.ordered! - b.ordered!);
  }

  /** The current day (epoch day number). */
  get day(): number {
    return this.t;
  }

  /** Moves knowledge forward to the start of epoch day `t`. @throws RangeError when moving back. */
  advanceTo(t: number): void {
    if (t < this.t) throw new RangeError('HistoryBook only moves forward in time');
    if (t === this.t) return;
    this.t = t;
    this.cache = new Map();
    while (this.oi < this.byOrdered.length && this.byOrdered[this.oi]!.ordered! < t) {
      const r = this.byOrdered[this.oi++]!;
      if (r.received === null || r.received >= t) this.open.add(r);
    }
    while (this.ri < this.byReceived.length && this.byReceived[this.ri]!.received! < t) {
      const r = this.byReceived[this.ri++]!;
      const slip = r.received! - r.quoted;
      let list = this.events.get(r.supplier);
      if (!list) this.events.set(r.supplier, (list = []));
      insertSorted(list, slip);
      insertSorted(this.pooledEvents, slip);
      const seq = this.sequence.get(r.supplier) ?? [];
      seq.push(slip);
      this.sequence.set(r.supplier, seq);
      this.open.delete(r);
    }
  }

  private censored(supplier: string | null): number[] {
    const out: number[] = [];
    for (const r of this.open) if (supplier === null || r.supplier === supplier) out.push(this.t - r.quoted);
    return out.sort((a, b) => a - b);
  }

  /** Slip distribution of one supplier as known now (censored by its open orders). */
  supplier(name: string): SlipDistribution {
    const key = `s:${name}`;
    let d = this.cache.get(key);
    if (!d) this.cache.set(key, (d = kaplanMeier(this.events.get(name) ?? [], this.censored(name))));
    return d;
  }

  /** Slip distribution of all suppliers together. */
  pooled(): SlipDistribution {
    let d = this.cache.get('*');
    if (!d) this.cache.set('*', (d = kaplanMeier(this.pooledEvents, this.censored(null))));
    return d;
  }

  /** Slips of a supplier's arrivals in the order they arrived. */
  arrivals(name: string): readonly number[] {
    return this.sequence.get(name) ?? [];
  }

  /** The supplier's open orders already past their quoted date. */
  overdue(name: string): number {
    let n = 0;
    for (const r of this.open) if (r.supplier === name && r.quoted < this.t) n++;
    return n;
  }
}
