/**
 * Orders and variants deleted in Shopify. The incremental sync asks for records changed since a
 * time, and a deleted record is never among them; Shopify's `deletionEvents` query covers only
 * products and collections (and is deprecated in Admin API 2026-04). So each sync asks directly
 * about the few records that matter — the orders and variants of open backorders — through
 * `nodes(ids:)`, which answers null for an id that no longer exists (Admin GraphQL API 2026-04,
 * QueryRoot.nodes; at most 250 ids a request).
 *
 * What a deletion does here, in one transaction per batch:
 * - an order: `orders.deleted_at` is set (detection leaves it alone from then on), its open
 *   backorders close as 'removed' and are paused, drafts not yet sent for them are discarded, and a
 *   'deleted_in_shopify' backorder event records why. Nothing else is removed: messages, tasks and
 *   replies stay attached.
 * - a variant: line items lose their variant, as Shopify's own LineItem.variant becomes null when a
 *   variant is deleted; the open backorders of those lines close the same way (no stock can ever
 *   arrive for a variant that does not exist).
 */
import { z } from 'zod';
import { AppError } from '../../shared/result';
import type { Db } from '../store/db';
import { markStockChanged } from '../store/stock-changes';
import type { ShopifyClient } from './client';
import { NODES_QUERY } from './queries';

const nodesReply = z.object({ nodes: z.array(z.object({ id: z.string() }).nullable()) });

/** Ids a request asks about; well under Shopify's 250 so the query stays cheap. */
const BATCH = 100;

export interface DeletionSummary {
  orders: number;
  variants: number;
  backordersClosed: number;
}

async function missing(client: ShopifyClient, ids: readonly string[]): Promise<string[]> {
  const gone: string[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const r = await client.request('BackorderDeskNodes', NODES_QUERY, { ids: batch }, nodesReply, batch.length + 2);
    if (r.nodes.length !== batch.length) {
      throw new AppError('UNAVAILABLE', `Shopify answered ${r.nodes.length} nodes for ${batch.length} ids (field nodes); nothing was marked deleted.`);
    }
    r.nodes.forEach((n, k) => {
      if (n === null) gone.push(batch[k]!);
    });
  }
  return gone;
}

function closeBackorders(db: Db, where: string, param: string, now: string, data: Record<string, string>): number {
  const ids = db.prepare(`SELECT b.id FROM backorders b WHERE b.closed_at IS NULL AND ${where}`).pluck().all(param) as number[];
  const close = db.prepare("UPDATE backorders SET closed_at = ?, close_reason = 'removed', paused = 1 WHERE id = ? AND closed_at IS NULL");
  const event = db.prepare("INSERT INTO backorder_events (backorder_id, kind, at, data) VALUES (?, 'deleted_in_shopify', ?, ?)");
  const drop = db.prepare("UPDATE messages SET status = 'discarded', last_error = ?, updated_at = ? WHERE backorder_id = ? AND status IN ('draft', 'approved')");
  for (const id of ids) {
    close.run(now, id);
    event.run(id, now, JSON.stringify(data));
    drop.run(`Not sent: ${data.reason}.`, now, id);
  }
  return ids.length;
}

/**
 * Asks Shopify about the orders and variants of open backorders and applies the deletions found.
 * @param now ISO 8601 UTC, recorded as `deleted_at` and the close time
 * @throws what the client throws (network, credentials, a reply of the wrong shape); nothing is
 *   marked deleted from a failed or partial answer.
 */
export async function reconcileDeletions(db: Db, client: ShopifyClient, now: string): Promise<DeletionSummary> {
  const orderIds = db
    .prepare(
      `SELECT DISTINCT o.id FROM orders o JOIN backorders b ON b.order_id = o.id AND b.closed_at IS NULL
        WHERE o.id LIKE 'gid://shopify/Order/%' AND o.deleted_at IS NULL ORDER BY o.id`,
    )
    .pluck()
    .all() as string[];
  const variantIds = db
    .prepare(
      // The backorder's own variant: an order re-read since the deletion already has null on the line.
      `SELECT DISTINCT b.variant_id FROM backorders b
        WHERE b.closed_at IS NULL AND b.variant_id LIKE 'gid://shopify/ProductVariant/%' ORDER BY b.variant_id`,
    )
    .pluck()
    .all() as string[];
  const goneOrders = await missing(client, orderIds);
  const goneVariants = await missing(client, variantIds);
  const s: DeletionSummary = { orders: goneOrders.length, variants: goneVariants.length, backordersClosed: 0 };
  if (!goneOrders.length && !goneVariants.length) return s;
  db.transaction(() => {
    markStockChanged(db); // detection reads orders.deleted_at and line items' variants
    for (const id of goneOrders) {
      db.prepare('UPDATE orders SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(now, id);
      s.backordersClosed += closeBackorders(db, 'b.order_id = ?', id, now, { subject: 'order', id, reason: 'the order was deleted in Shopify' });
    }
    for (const id of goneVariants) {
      s.backordersClosed += closeBackorders(db, 'b.variant_id = ?', id, now, {
        subject: 'variant',
        id,
        reason: 'the product variant was deleted in Shopify',
      });
      db.prepare('UPDATE line_items SET variant_id = NULL WHERE variant_id = ?').run(id);
    }
  }).immediate();
  return s;
}
