/**
 * Migration 11: what the live Shopify connection learned that the CSV exports never say, and the
 * owner's options for the order cancel action.
 *
 * - `orders.deleted_at` (ISO 8601 UTC): when a sync found that Shopify no longer has the order
 *   (Admin GraphQL API `nodes(ids:)` answered null for it). Detection leaves such orders alone, so
 *   their backorders stay closed; the row and its history (messages, tasks, replies) are kept.
 * - `shopify_connection.cancel_orders`: "cancel and refund in full" goes through Shopify's
 *   `orderCancel` (needs the write_orders scope) instead of being recorded for the owner to do.
 * - `shopify_connection.cancel_notify_customer`: Shopify's own cancellation email (orderCancel
 *   `notifyCustomer`); on by default, as in the Shopify admin.
 */
import type { Migration } from './index';

export const m011: Migration = {
  version: 11,
  name: 'orders.deleted_at; shopify_connection cancel options',
  up: (db) => {
    db.exec(`
      ALTER TABLE orders ADD COLUMN deleted_at TEXT;
      ALTER TABLE shopify_connection ADD COLUMN cancel_orders INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE shopify_connection ADD COLUMN cancel_notify_customer INTEGER NOT NULL DEFAULT 1;
    `);
  },
};
