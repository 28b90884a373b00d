/**
 * The ETA of each live backorder, for the scheduler: the customer-facing range from the variant's
 * current quote and the supplier's history (the ladder of core/eta/predict), whether the supplier
 * confirmed it, and whether it moved since last computed — a move of at least MIN_SHIFT_DAYS on
 * either end, or between known and unknown, records an 'eta_changed' backorder event (the flow's
 * eta_change_update step and eta_beyond_limit escalation read these facts).
 *
 * Without a quote, a supplier's default lead time (+ transit) from the day the backorder opened is
 * used as an unconfirmed quote. "Today" is the store's calendar day.
 */
import { DateTime } from 'luxon';
import { addDays, daysBetween } from '../../core/eta/calendar';
import { LadderRun } from '../../core/eta/predict/ladder';
import { isoDay } from '../../core/eta/predict/ladder';
import type { Db } from '../store/db';
import { currentQuote, loadHistory } from './quotes';
import { supplierOfVariant } from './suppliers';

/** Smaller moves are noise of the estimate, not news for a customer. */
export const MIN_SHIFT_DAYS = 3;

export interface BackorderEta {
  start: string | null;
  end: string | null;
  method: string;
  supplierConfirmed: boolean;
  /** An 'eta_changed' event newer than the last message to this customer exists. */
  shifted: boolean;
  /** Short reason for the latest move, for the draft. */
  reason: string | null;
  endInDays: number | null;
}

interface Stored {
  start_date: string | null;
  end_date: string | null;
}

/** The store's calendar day of instant `now`. */
export function storeDay(now: string, timezone: string): string {
  return DateTime.fromISO(now, { setZone: true }).setZone(timezone).toISODate()!;
}

/**
 * Computes, stores and returns the ETA of each backorder (open ones only; closed ones get none).
 * Writes `backorder_eta` and 'eta_changed' events in one transaction.
 */
export function computeBackorderEtas(
  db: Db,
  backorders: readonly { id: number; variantId: string | null; openedAt: string; closedAt: string | null }[],
  opts: { now: string; timezone: string; interval: number },
): Map<number, BackorderEta> {
  const out = new Map<number, BackorderEta>();
  const today = storeDay(opts.now, opts.timezone);
  const open = backorders.filter((b) => b.closedAt === null && b.variantId !== null);
  if (!open.length) return out;
  let run: LadderRun | null = null;
  const ladder = (): LadderRun => (run ??= new LadderRun(loadHistory(db).filter((h) => (h.orderedAt ?? h.receivedAt ?? h.quotedDate) <= today), { interval: opts.interval }));

  // Read once for every open backorder, not once per backorder: a tick handles tens of thousands.
  // `messages` has no index by backorder, so a per-backorder read of it was a scan each time.
  const storedEta = new Map<number, Stored>();
  for (const [id, start_date, end_date] of db
    .prepare('SELECT e.backorder_id, e.start_date, e.end_date FROM backorders b JOIN backorder_eta e ON e.backorder_id = b.id WHERE b.closed_at IS NULL')
    .raw()
    .iterate() as IterableIterator<[number, string | null, string | null]>) {
    storedEta.set(id, { start_date, end_date });
  }
  const lastChanges = new Map(
    db
      .prepare(
        `SELECT e.backorder_id, max(e.at) FROM backorders b JOIN backorder_events e ON e.backorder_id = b.id
          WHERE b.closed_at IS NULL AND e.kind = 'eta_changed' GROUP BY e.backorder_id`,
      )
      .raw()
      .all() as [number, string][],
  );
  const lastMessages = new Map(
    db
      .prepare("SELECT backorder_id, max(created_at) FROM messages WHERE status <> 'discarded' AND backorder_id IS NOT NULL GROUP BY backorder_id")
      .raw()
      .all() as [number, string][],
  );
  const upsert = db.prepare(
    `INSERT INTO backorder_eta (backorder_id, start_date, end_date, method, quote_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(backorder_id) DO UPDATE SET start_date = excluded.start_date, end_date = excluded.end_date, method = excluded.method,
       quote_id = excluded.quote_id, updated_at = excluded.updated_at`,
  );
  const addEvent = db.prepare("INSERT INTO backorder_events (backorder_id, kind, at, data) VALUES (?, 'eta_changed', ?, ?)");
  const latestChangeData = db.prepare("SELECT data FROM backorder_events WHERE backorder_id = ? AND kind = 'eta_changed' ORDER BY at DESC, id DESC LIMIT 1").pluck();

  // Many backorders share a variant: its quote and supplier are read once per tick.
  const quotes = new Map<string, ReturnType<typeof currentQuote>>();
  const suppliers = new Map<string, ReturnType<typeof supplierOfVariant>>();
  const quoteOf = (v: string): ReturnType<typeof currentQuote> => {
    if (!quotes.has(v)) quotes.set(v, currentQuote(db, v));
    return quotes.get(v)!;
  };
  const predictions = new Map<string, ReturnType<LadderRun['predict']>>();
  const predict = (q: { supplier: string; start: string; end: string }): ReturnType<LadderRun['predict']> => {
    const key = `${q.supplier}\u0000${q.start}\u0000${q.end}`;
    let p = predictions.get(key);
    if (!p) predictions.set(key, (p = ladder().predict(q, today)));
    return p;
  };
  const supplierOf = (v: string): ReturnType<typeof supplierOfVariant> => {
    if (!suppliers.has(v)) suppliers.set(v, supplierOfVariant(db, v));
    return suppliers.get(v)!;
  };

  db.transaction(() => {
    for (const b of open) {
      const quote = quoteOf(b.variantId!);
      const supplier = supplierOf(b.variantId!);
      let start: string | null = null;
      let end: string | null = null;
      let method = 'none';
      let confirmed = false;
      if (quote && quote.kind !== 'unknown' && quote.arrivalStart && quote.arrivalEnd) {
        const p = predict({ supplier: supplier?.name ?? quote.supplierName ?? '', start: quote.arrivalStart, end: quote.arrivalEnd });
        start = isoDay(p.range.lo);
        end = isoDay(p.range.hi);
        method = p.method;
        confirmed = quote.source !== 'model';
      } else if (quote && quote.kind === 'unknown') {
        method = 'supplier_unknown';
        confirmed = false;
      } else if (supplier?.leadTimeDays != null) {
        const opened = storeDay(b.openedAt, opts.timezone);
        const d = addDays(opened, supplier.leadTimeDays + supplier.transitDays);
        const p = predict({ supplier: supplier.name, start: d, end: d });
        start = isoDay(p.range.lo);
        end = isoDay(p.range.hi);
        method = `lead_time+${p.method}`;
      }
      const prev = storedEta.get(b.id);
      const moved =
        prev !== undefined &&
        ((prev.start_date === null) !== (start === null) ||
          (start !== null && prev.start_date !== null && (Math.abs(daysBetween(prev.start_date, start)) >= MIN_SHIFT_DAYS || Math.abs(daysBetween(prev.end_date!, end!)) >= MIN_SHIFT_DAYS)));
      if (!prev || moved) upsert.run(b.id, start, end, method, quote?.id ?? null, opts.now);
      let reason: string | null = null;
      if (moved) {
        reason = start === null ? 'our supplier has no confirmed date right now'
          : prev!.end_date === null ? 'our supplier confirmed a date'
            : end! > prev!.end_date ? "our supplier's delivery was delayed"
              : "our supplier's delivery is coming sooner";
        addEvent.run(b.id, opts.now, JSON.stringify({ from: [prev!.start_date, prev!.end_date], to: [start, end], reason }));
      }
      const earlierChange = lastChanges.get(b.id) ?? null;
      const changedAt = moved && (earlierChange === null || opts.now > earlierChange) ? opts.now : earlierChange;
      const messagedAt = lastMessages.get(b.id) ?? null;
      const shifted = changedAt !== null && (messagedAt === null || changedAt > messagedAt);
      if (shifted && !reason) {
        const data = latestChangeData.get(b.id) as string;
        reason = (JSON.parse(data) as { reason?: string }).reason ?? null;
      }
      out.set(b.id, {
        start,
        end,
        method,
        supplierConfirmed: confirmed,
        shifted,
        reason,
        endInDays: end === null ? null : daysBetween(today, end),
      });
    }
  })();
  return out;
}
