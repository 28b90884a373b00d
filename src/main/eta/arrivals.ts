/**
 * Arrivals noticed from inventory: when a variant's on-hand stock rises and it has an active dated
 * quote, the stock is taken to be that delivery — an arrival is recorded in `supplier_arrivals`
 * (quoted date = the quote's last arrival day, so slip = today − that day) and the quote is marked
 * 'arrived'. On-hand per variant is remembered in `stock_seen` between ticks; the first sighting of
 * a variant only records its level.
 */
import { variantStockView } from '../store/stock';
import type { Db } from '../store/db';

/** Records arrivals for stock increases since the last call; returns how many it recorded. */
export function recordInventoryArrivals(db: Db, today: string, now: string): number {
  const stock = variantStockView(db);
  const seen = new Map((db.prepare('SELECT variant_id AS v, on_hand AS n FROM stock_seen').all() as { v: string; n: number }[]).map((r) => [r.v, r.n]));
  const upsert = db.prepare('INSERT INTO stock_seen (variant_id, on_hand, at) VALUES (?, ?, ?) ON CONFLICT(variant_id) DO UPDATE SET on_hand = excluded.on_hand, at = excluded.at');
  const activeQuote = db.prepare(
    `SELECT q.id, q.quoted_at AS quotedAt, q.arrival_end AS arrivalEnd, s.name AS supplier
       FROM eta_quotes q JOIN suppliers s ON s.id = q.supplier_id
      WHERE q.variant_id = ? AND q.status = 'active' AND q.kind <> 'unknown'
      ORDER BY q.quoted_at DESC, q.id DESC LIMIT 1`,
  );
  const addArrival = db.prepare(
    `INSERT OR IGNORE INTO supplier_arrivals (supplier, variant_id, ordered_at, quoted_date, received_at, source, dedupe_key, created_at)
     VALUES (?, ?, ?, ?, ?, 'inventory', ?, ?)`,
  );
  const markArrived = db.prepare("UPDATE eta_quotes SET status = 'arrived' WHERE variant_id = ? AND status = 'active'");
  let recorded = 0;
  db.transaction(() => {
    for (const [variantId, s] of stock) {
      if (s.onHand === null) continue;
      const before = seen.get(variantId);
      if (before !== undefined && s.onHand > before) {
        const q = activeQuote.get(variantId) as { id: number; quotedAt: string; arrivalEnd: string; supplier: string } | undefined;
        if (q) {
          recorded += addArrival.run(q.supplier, variantId, q.quotedAt, q.arrivalEnd, today, `inventory:${q.id}`, now).changes;
          markArrived.run(variantId);
        }
      }
      if (before !== s.onHand) upsert.run(variantId, s.onHand, now);
    }
  })();
  return recorded;
}
