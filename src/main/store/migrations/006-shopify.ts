/**
 * Migration 6: state of the live Shopify connection (Admin GraphQL API) and the store facts only the
 * API gives: fulfillment orders with their holds, fulfillments with tracking, the inventory item →
 * variant map, and a ledger of what the app wrote back to Shopify (so it undoes only its own work).
 *
 * Secrets are never here: tokens and client secrets live in the SecretStore (OS keychain).
 */
import type { Migration } from './index';

export const m006: Migration = {
  version: 6,
  name: 'shopify live sync: connection, sync state, fulfillment orders, fulfillments, write-back ledger',
  up: (db) => {
    db.exec(`
      -- At most one connected shop. Options only; credentials are in the SecretStore.
      CREATE TABLE shopify_connection (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        shop TEXT NOT NULL,                    -- 'example.myshopify.com'
        auth_kind TEXT NOT NULL CHECK (auth_kind IN ('token','client_credentials')),
        poll_minutes INTEGER NOT NULL DEFAULT 5,
        writeback_tags INTEGER NOT NULL DEFAULT 0,
        writeback_holds INTEGER NOT NULL DEFAULT 0,
        writeback_eta_metafield INTEGER NOT NULL DEFAULT 0,
        connected_at TEXT NOT NULL
      );

      -- Sync progress per object kind ('variants','customers','orders','inventory').
      -- A bulk operation id is stored the moment Shopify returns it, so a restart polls the same one.
      CREATE TABLE shopify_sync_state (
        kind TEXT PRIMARY KEY,
        bulk_operation_id TEXT,                -- running/finished bulk operation not yet applied
        bulk_done INTEGER NOT NULL DEFAULT 0,  -- initial (bulk) sync of this kind applied
        cursor TEXT,                           -- ISO 8601: incremental sync asks for updated_at >= cursor - overlap
        last_success_at TEXT,
        last_error TEXT,
        last_error_at TEXT
      );

      CREATE TABLE shopify_inventory_items (
        inventory_item_id TEXT PRIMARY KEY,    -- gid://shopify/InventoryItem/…
        variant_id TEXT NOT NULL REFERENCES variants(id) ON DELETE CASCADE
      );
      CREATE INDEX shopify_inventory_items_variant ON shopify_inventory_items(variant_id);

      CREATE TABLE shopify_fulfillment_orders (
        id TEXT PRIMARY KEY,                   -- gid://shopify/FulfillmentOrder/…
        order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        status TEXT NOT NULL,                  -- FulfillmentOrderStatus: OPEN, ON_HOLD, CLOSED, …
        updated_at TEXT NOT NULL
      );
      CREATE INDEX shopify_fo_order ON shopify_fulfillment_orders(order_id);

      CREATE TABLE shopify_fulfillment_order_lines (
        id TEXT PRIMARY KEY,                   -- gid://shopify/FulfillmentOrderLineItem/…
        fulfillment_order_id TEXT NOT NULL REFERENCES shopify_fulfillment_orders(id) ON DELETE CASCADE,
        line_item_id TEXT NOT NULL,
        total_quantity INTEGER NOT NULL,
        remaining_quantity INTEGER NOT NULL
      );
      CREATE INDEX shopify_fol_fo ON shopify_fulfillment_order_lines(fulfillment_order_id);
      CREATE INDEX shopify_fol_line ON shopify_fulfillment_order_lines(line_item_id);

      CREATE TABLE shopify_fulfillment_holds (
        id TEXT PRIMARY KEY,                   -- gid://shopify/FulfillmentHold/…
        fulfillment_order_id TEXT NOT NULL REFERENCES shopify_fulfillment_orders(id) ON DELETE CASCADE,
        reason TEXT NOT NULL,
        handle TEXT,
        held_by_app INTEGER NOT NULL DEFAULT 0 -- heldByRequestingApp
      );
      CREATE INDEX shopify_holds_fo ON shopify_fulfillment_holds(fulfillment_order_id);

      CREATE TABLE shopify_fulfillments (
        id TEXT PRIMARY KEY,                   -- gid://shopify/Fulfillment/…
        order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        tracking_number TEXT,
        tracking_company TEXT,
        tracking_url TEXT
      );
      CREATE INDEX shopify_fulfillments_order ON shopify_fulfillments(order_id);

      -- What the app wrote to Shopify. state: 'pending' (call made or about to be) | 'done'.
      -- kind 'tag' (target order), 'hold' (target fulfillment order, remote_id = hold id),
      -- 'eta_metafield' (target order, value = the text written).
      CREATE TABLE shopify_writeback (
        kind TEXT NOT NULL CHECK (kind IN ('tag','hold','eta_metafield')),
        target_id TEXT NOT NULL,
        value TEXT,
        remote_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending','done')),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (kind, target_id)
      );
    `);
  },
};
