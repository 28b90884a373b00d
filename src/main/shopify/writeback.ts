/**
 * Status written back to Shopify, each an opt-in and idempotent (Shopify Admin GraphQL API 2026-04
 * `tagsAdd`/`tagsRemove`, `metafieldsSet`, `fulfillmentOrderHold`/`fulfillmentOrderReleaseHold`):
 *
 * - tag `backordered` on orders with an open backorder, removed when the backordered lines have
 *   shipped (or the order was cancelled) — but never removed when the merchant had the tag first;
 * - metafield `backorder_desk.eta_range` (single_line_text_field) on the order with the
 *   customer-facing ETA range of its open backorders (eta-range.ts), written only when the text
 *   changes, and deleted (`metafieldsDelete`) when the range becomes unknown or nothing of the order
 *   waits any more (shipped, restocked, cancelled);
 * - an INVENTORY_OUT_OF_STOCK hold with handle `backorder-desk` on fulfillment orders holding a
 *   backordered line, released when no line of it is backordered any more (stock allocated).
 *   Only holds recorded in the ledger are released, by id: a merchant's own holds are never touched.
 *
 * Every call is recorded in `shopify_writeback` first ('pending'), then marked 'done', so a crash
 * in between is repaired on the next run by asking Shopify what is there (our hold handle) instead
 * of acting twice.
 */
import type { Db } from '../store/db';
import type { ShopifyClient } from './client';
import { orderEtaRange } from './eta-range';
import { FO_HOLD, FO_HOLDS, FO_RELEASE, METAFIELDS_DELETE, METAFIELDS_SET, TAGS_ADD, TAGS_REMOVE } from './queries';
import { foHoldsReply, holdReply, metafieldsDeleteReply, metafieldsSetReply, releaseReply, tagsAddReply, tagsRemoveReply } from './schemas';

export const BACKORDER_TAG = 'backordered';
export const HOLD_HANDLE = 'backorder-desk';
export const ETA_METAFIELD = { namespace: 'backorder_desk', key: 'eta_range' } as const;

export interface WriteBackOptions {
  tags: boolean;
  holds: boolean;
  etaMetafield: boolean;
  /**
   * Customer-facing ETA range text of an order, or null when none is known; default `orderEtaRange`
   * (the ETA store's current range, worded as in the customer's messages).
   */
  etaRange?: (orderId: string) => string | null;
  now: string;
}

export interface WriteBackSummary {
  tagged: number;
  untagged: number;
  held: number;
  released: number;
  metafields: number;
  metafieldsRemoved: number;
  errors: string[];
}

const GID_ORDER = "o.id LIKE 'gid://shopify/Order/%'";

function ledger(db: Db, kind: string, target: string, state: 'pending' | 'done', now: string, value: string | null = null, remote: string | null = null): void {
  db.prepare(
    `INSERT INTO shopify_writeback (kind, target_id, value, remote_id, state, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(kind, target_id) DO UPDATE SET value = excluded.value, remote_id = excluded.remote_id, state = excluded.state, updated_at = excluded.updated_at`,
  ).run(kind, target, value, remote, state, now);
}
const unledger = (db: Db, kind: string, target: string): void => void db.prepare('DELETE FROM shopify_writeback WHERE kind = ? AND target_id = ?').run(kind, target);
const userErrorText = (errs: { message: string }[]): string | null => (errs.length ? errs.map((e) => e.message).join('; ') : null);

async function tags(db: Db, client: ShopifyClient, now: string, s: WriteBackSummary): Promise<void> {
  const toTag = db
    .prepare(
      `SELECT DISTINCT o.id, o.tags FROM orders o JOIN backorders b ON b.order_id = o.id AND b.closed_at IS NULL
        WHERE ${GID_ORDER} AND NOT EXISTS (SELECT 1 FROM shopify_writeback w WHERE w.kind = 'tag' AND w.target_id = o.id AND w.state = 'done')`,
    )
    .all() as { id: string; tags: string }[];
  for (const o of toTag) {
    const preexisting = o.tags.split(',').map((t) => t.trim().toLowerCase()).includes(BACKORDER_TAG);
    // The merchant's own tag: remember it so it is never removed, and add nothing.
    if (preexisting) {
      ledger(db, 'tag', o.id, 'done', now, 'merchant');
      continue;
    }
    ledger(db, 'tag', o.id, 'pending', now, 'app');
    const r = await client.request('BackorderDeskTagsAdd', TAGS_ADD, { id: o.id, tags: [BACKORDER_TAG] }, tagsAddReply, 10);
    const err = userErrorText(r.tagsAdd.userErrors);
    if (err) {
      s.errors.push(`tag ${o.id}: ${err}`);
      continue;
    }
    ledger(db, 'tag', o.id, 'done', now, 'app');
    s.tagged++;
  }
  const shipped = db
    .prepare(
      `SELECT w.target_id AS id, w.value, o.deleted_at IS NOT NULL AS gone FROM shopify_writeback w JOIN orders o ON o.id = w.target_id
        WHERE w.kind = 'tag' AND NOT EXISTS (SELECT 1 FROM backorders b WHERE b.order_id = o.id AND b.closed_at IS NULL)
          AND (o.cancelled_at IS NOT NULL OR o.deleted_at IS NOT NULL OR NOT EXISTS (
                SELECT 1 FROM backorders b JOIN line_items li ON li.id = b.line_item_id
                 WHERE b.order_id = o.id AND li.fulfilled_quantity < li.quantity))`,
    )
    .all() as { id: string; value: string | null; gone: number }[];
  for (const o of shipped) {
    // An order Shopify no longer has carries no tag to remove.
    if (o.value === 'app' && !o.gone) {
      const r = await client.request('BackorderDeskTagsRemove', TAGS_REMOVE, { id: o.id, tags: [BACKORDER_TAG] }, tagsRemoveReply, 10);
      const err = userErrorText(r.tagsRemove.userErrors);
      if (err) {
        s.errors.push(`untag ${o.id}: ${err}`);
        continue;
      }
      s.untagged++;
    }
    unledger(db, 'tag', o.id);
  }
}

async function ourHoldOnShopify(client: ShopifyClient, foId: string): Promise<string | null> {
  const r = await client.request('BackorderDeskFoHolds', FO_HOLDS, { id: foId }, foHoldsReply, 5);
  return r.fulfillmentOrder?.fulfillmentHolds.find((h) => h.handle === HOLD_HANDLE && h.heldByRequestingApp)?.id ?? null;
}

async function holds(db: Db, client: ShopifyClient, now: string, s: WriteBackSummary): Promise<void> {
  const toHold = db
    .prepare(
      `SELECT DISTINCT fo.id FROM shopify_fulfillment_orders fo
         JOIN shopify_fulfillment_order_lines fl ON fl.fulfillment_order_id = fo.id AND fl.remaining_quantity > 0
         JOIN backorders b ON b.line_item_id = fl.line_item_id AND b.closed_at IS NULL
        WHERE fo.status IN ('OPEN', 'ON_HOLD', 'SCHEDULED')
          AND NOT EXISTS (SELECT 1 FROM shopify_writeback w WHERE w.kind = 'hold' AND w.target_id = fo.id AND w.state = 'done')`,
    )
    .pluck()
    .all() as string[];
  for (const foId of toHold) {
    const pending = db.prepare("SELECT 1 FROM shopify_writeback WHERE kind = 'hold' AND target_id = ? AND state = 'pending'").get(foId) !== undefined;
    let holdId = pending ? await ourHoldOnShopify(client, foId) : null;
    if (!holdId) {
      ledger(db, 'hold', foId, 'pending', now);
      const r = await client.request(
        'BackorderDeskHold',
        FO_HOLD,
        { id: foId, hold: { reason: 'INVENTORY_OUT_OF_STOCK', reasonNotes: 'Backordered: waiting for stock (Backorder Desk).', handle: HOLD_HANDLE, notifyMerchant: false } },
        holdReply,
        10,
      );
      const p = r.fulfillmentOrderHold;
      holdId = p.fulfillmentHold?.id ?? (p.userErrors.some((e) => e.code === 'DUPLICATE_FULFILLMENT_HOLD_HANDLE') ? await ourHoldOnShopify(client, foId) : null);
      if (!holdId) {
        s.errors.push(`hold ${foId}: ${userErrorText(p.userErrors) ?? 'no hold returned'}`);
        continue;
      }
      s.held++;
    }
    ledger(db, 'hold', foId, 'done', now, null, holdId);
  }
  const toRelease = db
    .prepare(
      `SELECT w.target_id AS foId, w.remote_id AS holdId FROM shopify_writeback w
        WHERE w.kind = 'hold' AND w.state = 'done' AND NOT EXISTS (
          SELECT 1 FROM shopify_fulfillment_order_lines fl JOIN backorders b ON b.line_item_id = fl.line_item_id AND b.closed_at IS NULL
           WHERE fl.fulfillment_order_id = w.target_id)`,
    )
    .all() as { foId: string; holdId: string }[];
  for (const h of toRelease) {
    const r = await client.request('BackorderDeskRelease', FO_RELEASE, { id: h.foId, holdIds: [h.holdId] }, releaseReply, 10);
    const err = userErrorText(r.fulfillmentOrderReleaseHold.userErrors);
    if (err && !/not on hold|does not exist|not found/i.test(err)) {
      s.errors.push(`release ${h.foId}: ${err}`);
      continue;
    }
    unledger(db, 'hold', h.foId);
    s.released++;
  }
}

async function deleteEtaMetafield(client: ShopifyClient, orderId: string): Promise<string | null> {
  const r = await client.request('BackorderDeskMetafieldsDelete', METAFIELDS_DELETE, { metafields: [{ ownerId: orderId, ...ETA_METAFIELD }] }, metafieldsDeleteReply, 10);
  // A metafield that is already gone comes back as null, not as an error: deleting is idempotent.
  return userErrorText(r.metafieldsDelete.userErrors);
}

async function etaMetafields(db: Db, client: ShopifyClient, opts: WriteBackOptions, s: WriteBackSummary): Promise<void> {
  const rangeOf = opts.etaRange ?? ((id: string) => orderEtaRange(db, id));
  const orders = db
    .prepare(`SELECT DISTINCT o.id FROM orders o JOIN backorders b ON b.order_id = o.id AND b.closed_at IS NULL WHERE ${GID_ORDER} AND o.deleted_at IS NULL`)
    .pluck()
    .all() as string[];
  const storedValue = db.prepare("SELECT value FROM shopify_writeback WHERE kind = 'eta_metafield' AND target_id = ? AND state = 'done'").pluck();
  const ours = db.prepare("SELECT 1 FROM shopify_writeback WHERE kind = 'eta_metafield' AND target_id = ?").pluck();
  for (const id of orders) {
    const range = rangeOf(id);
    if (!range) {
      // The range became unknown: a stale range must not stay on the order.
      if (ours.get(id) === undefined) continue;
      const err = await deleteEtaMetafield(client, id);
      if (err) s.errors.push(`metafield ${id}: ${err}`);
      else {
        unledger(db, 'eta_metafield', id);
        s.metafieldsRemoved++;
      }
      continue;
    }
    if (storedValue.get(id) === range) continue;
    ledger(db, 'eta_metafield', id, 'pending', opts.now, range);
    const r = await client.request(
      'BackorderDeskMetafieldsSet',
      METAFIELDS_SET,
      { metafields: [{ ownerId: id, ...ETA_METAFIELD, type: 'single_line_text_field', value: range }] },
      metafieldsSetReply,
      10,
    );
    const err = userErrorText(r.metafieldsSet.userErrors);
    if (err) {
      s.errors.push(`metafield ${id}: ${err}`);
      continue;
    }
    ledger(db, 'eta_metafield', id, 'done', opts.now, range);
    s.metafields++;
  }
  // Orders with nothing waiting any more (shipped, restocked, cancelled, gone): the range is removed.
  const ended = db
    .prepare(
      `SELECT w.target_id AS id, o.deleted_at IS NOT NULL OR o.id IS NULL AS gone FROM shopify_writeback w LEFT JOIN orders o ON o.id = w.target_id
        WHERE w.kind = 'eta_metafield' AND NOT EXISTS (SELECT 1 FROM backorders b WHERE b.order_id = w.target_id AND b.closed_at IS NULL AND o.deleted_at IS NULL)`,
    )
    .all() as { id: string; gone: number }[];
  for (const o of ended) {
    if (!o.gone) {
      const err = await deleteEtaMetafield(client, o.id);
      if (err) {
        s.errors.push(`metafield ${o.id}: ${err}`);
        continue;
      }
      s.metafieldsRemoved++;
    }
    unledger(db, 'eta_metafield', o.id);
  }
}

/**
 * Applies the enabled write-backs for the current backorders (see the module comment).
 * Per-object refusals (userErrors) are collected in `errors`; transport errors are thrown.
 */
export async function writeBack(db: Db, client: ShopifyClient, opts: WriteBackOptions): Promise<WriteBackSummary> {
  const s: WriteBackSummary = { tagged: 0, untagged: 0, held: 0, released: 0, metafields: 0, metafieldsRemoved: 0, errors: [] };
  if (opts.tags) await tags(db, client, opts.now, s);
  if (opts.holds) await holds(db, client, opts.now, s);
  if (opts.etaMetafield) await etaMetafields(db, client, opts, s);
  return s;
}
