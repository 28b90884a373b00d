/**
 * Runs backorder detection over the stored store state and records the changes: new backorders,
 * changed quantities, and backorders that ended (restocked, fulfilled, cancelled, removed), each
 * ending also recorded as a backorder event the sequence can react to. Orders Shopify no longer has
 * (`orders.deleted_at`, set by the live sync) are left out: nothing of theirs waits for stock.
 */
import { allocateStock, type OpenLine, type VariantStock } from '../../core/detection/allocate';
import { reconcileBackorders, type LineState, type StoredOpenBackorder } from '../../core/detection/reconcile';
import type { Db } from '../store/db';
import { variantStockView } from '../store/stock';
import { detectionIsCurrent, detectionMark, recordDetection } from '../store/stock-changes';

export interface DetectionSummary {
  opened: number;
  resized: number;
  closed: number;
  /** Open lines whose variant is unknown or has no stock figure. */
  unmatched: number;
  /** Nothing detection reads changed since its last run, so it did not run again (see `ifChanged`). */
  skipped: boolean;
}

export interface DetectionOptions {
  /**
   * Skip the run when the stock generation (src/main/store/stock-changes.ts) is the one the last
   * run read, less than an hour ago: the scheduler's tick, which comes every minute, sets it.
   * Callers that have just written (an import) leave it off.
   */
  ifChanged?: boolean;
}

/**
 * Detects backorders at `now` (ISO 8601 UTC) and applies the changes in one transaction.
 * Idempotent: running it twice on unchanged data changes nothing.
 */
export function runDetection(db: Db, now: string, options: DetectionOptions = {}): DetectionSummary {
  // Read before the data: a write that lands while this run reads leaves the recorded generation
  // behind the counter, so the next tick detects again.
  const mark = detectionMark(db);
  if (options.ifChanged && detectionIsCurrent(mark, now)) {
    return { opened: 0, resized: 0, closed: 0, unmatched: mark.unmatched, skipped: true };
  }
  // One pass over the open line items gives both the lines to allocate and the units they wait
  // for, which the stock view needs where the source gave no committed figure.
  const open = db
    .prepare(
      `SELECT li.id, li.order_id, o.name, o.created_at, li.position, li.variant_id,
              li.quantity - li.fulfilled_quantity, li.requires_shipping = 1
         FROM line_items li JOIN orders o ON o.id = li.order_id
        WHERE o.cancelled_at IS NULL AND o.deleted_at IS NULL AND li.quantity > li.fulfilled_quantity`,
    )
    .raw()
    // Iterated, not collected: only the lines are kept, and 100,000 short-lived rows cost the
    // garbage collector far less than 100,000 that survive until the loop ends.
    .iterate() as IterableIterator<[string, string, string, string, number, string | null, number, number]>;
  const waiting = new Map<string, number>();
  const lines: OpenLine[] = [];
  for (const [lineItemId, orderId, orderName, orderedAt, position, variantId, openQuantity, ships] of open) {
    if (variantId !== null) waiting.set(variantId, (waiting.get(variantId) ?? 0) + openQuantity);
    if (ships === 1) lines.push({ lineItemId, orderId, orderName, orderedAt, position, variantId, openQuantity });
  }

  const stock: VariantStock[] = [];
  for (const [variantId, s] of variantStockView(db, waiting)) {
    if (s.onHand === null) continue; // no stock figure at all: cannot be judged
    stock.push({ variantId, tracked: s.tracked, onHand: s.onHand });
  }

  const result = allocateStock(stock, lines);
  const stored = db
    .prepare('SELECT id, line_item_id AS lineItemId, quantity_backordered AS quantityBackordered FROM backorders WHERE closed_at IS NULL')
    .all() as StoredOpenBackorder[];

  const stateOf = db.prepare(
    `SELECT o.cancelled_at IS NOT NULL AS cancelled, li.fulfilled_quantity >= li.quantity AS fulfilled
       FROM line_items li JOIN orders o ON o.id = li.order_id WHERE li.id = ?`,
  );
  // Read when reconciling asks, which is only for stored backorders whose line left the open set.
  const lineStates = {
    get(lineItemId: string): LineState | undefined {
      const s = stateOf.get(lineItemId) as { cancelled: number; fulfilled: number } | undefined;
      return s && { cancelled: s.cancelled === 1, fulfilled: s.fulfilled === 1 };
    },
  };

  const changes = reconcileBackorders(stored, result.allocations, lineStates);
  const insert = db.prepare(
    `INSERT INTO backorders (line_item_id, order_id, variant_id, quantity_backordered, opened_at)
     SELECT id, order_id, ?, ?, ? FROM line_items WHERE id = ?`,
  );
  const resize = db.prepare('UPDATE backorders SET quantity_backordered = ? WHERE id = ?');
  const close = db.prepare('UPDATE backorders SET closed_at = ?, close_reason = ? WHERE id = ? AND closed_at IS NULL');
  // A waiting notice that has not gone out yet would now be wrong ("still backordered" after a restock).
  const dropStale = db.prepare(
    `UPDATE messages SET status = 'discarded', last_error = ?, updated_at = ?
      WHERE backorder_id = ? AND status IN ('draft', 'approved')`,
  );
  const event = db.prepare('INSERT INTO backorder_events (backorder_id, kind, at, data) VALUES (?, ?, ?, ?)');
  const shippedAfterRestock = db.prepare(
    `SELECT b.id FROM backorders b JOIN line_items li ON li.id = b.line_item_id
      WHERE b.close_reason = 'restocked' AND li.fulfilled_quantity >= li.quantity
        AND NOT EXISTS (SELECT 1 FROM backorder_events e WHERE e.backorder_id = b.id AND e.kind = 'fulfilled')`,
  );

  db.transaction(() => {
    for (const o of changes.open) insert.run(o.variantId, o.quantity, now, o.lineItemId);
    for (const r of changes.resize) resize.run(r.quantity, r.id);
    for (const c of changes.close) {
      close.run(now, c.reason, c.id);
      dropStale.run(`Not sent: the backorder ended (${c.reason}) before this message went out.`, now, c.id);
      if (c.reason !== 'removed') event.run(c.id, c.reason, now, '{}');
    }
    // A restocked line that has since shipped: the shipping confirmation step listens for this.
    for (const row of shippedAfterRestock.all() as { id: number }[]) event.run(row.id, 'fulfilled', now, '{}');
    recordDetection(db, mark.stockGeneration, now, result.unmatched.length);
  }).immediate();

  return { opened: changes.open.length, resized: changes.resize.length, closed: changes.close.length, unmatched: result.unmatched.length, skipped: false };
}
