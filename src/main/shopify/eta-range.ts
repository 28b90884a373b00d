/**
 * The text of the order metafield `backorder_desk.eta_range`: the customer-facing ETA range of an
 * order's open backorders, read from the ETA store (`backorder_eta`, written by each scheduler tick
 * from the supplier quote and history — src/main/eta/backorder-eta.ts), worded exactly as the
 * customer's messages word it (`formatEtaRange`: "between Dec 3 and Dec 10").
 *
 * An order with several backordered lines gets one range from the earliest start to the latest end,
 * because that is when the whole order can ship. When any open backorder of the order has no range
 * yet, there is no honest range for the order and the answer is null (the metafield is then removed
 * rather than left showing a range that leaves an item out).
 */
import { formatEtaRange } from '../../core/drafts/dates';
import type { Db } from '../store/db';

/**
 * @param orderId the order's id (a Shopify GID for a live order)
 * @returns the range text, or null when the order has no open backorder or one of them has no range
 */
export function orderEtaRange(db: Db, orderId: string): string | null {
  const r = db
    .prepare(
      `SELECT count(*) AS open, count(e.start_date IS NOT NULL AND e.end_date IS NOT NULL OR NULL) AS known,
              min(e.start_date) AS start, max(e.end_date) AS end
         FROM backorders b LEFT JOIN backorder_eta e ON e.backorder_id = b.id
        WHERE b.order_id = ? AND b.closed_at IS NULL`,
    )
    .get(orderId) as { open: number; known: number; start: string | null; end: string | null };
  if (r.open === 0 || r.known < r.open || !r.start || !r.end) return null;
  return formatEtaRange(r.start, r.end);
}
