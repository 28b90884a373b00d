/**
 * Numbered schema migrations. Migration N moves the database from `user_version` N-1 to N and runs
 * inside one transaction with the version bump, so a failure leaves the previous version intact.
 * Never edit a migration that has shipped: add the next number.
 */
import type { Database } from 'better-sqlite3';
import { m003 } from './003-eta';
import { m004 } from './004-replies';
import { m005 } from './005-llm';
import { m006 } from './006-shopify';
import { m007 } from './007-gmail';
import { m008 } from './008-shipping-method';
import { m011 } from './011-shopify-deletions-cancel';
import { m012 } from './012-edi-files';
import { m009 } from './009-detection-state';
import { m014 } from './014-inbound-content-hash';
import { m015 } from './015-inbound-sender-mismatch';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

const m001: Migration = {
  version: 1,
  name: 'store, orders, backorders, sequence, outbox, tasks',
  up: (db) => {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL                -- JSON
      );

      CREATE TABLE locations (
        id TEXT PRIMARY KEY,               -- Shopify GID, or 'csv-location:<name>'
        name TEXT NOT NULL UNIQUE
      );

      -- One row per Shopify product variant.
      CREATE TABLE variants (
        id TEXT PRIMARY KEY,               -- Shopify GID, or 'csv-variant:<handle>/<option1>/<option2>/<option3>'
        product_handle TEXT,
        product_title TEXT NOT NULL,
        variant_title TEXT,                -- options joined by ' / ', NULL for 'Default Title'
        sku TEXT,                          -- NULL when the export has none
        vendor TEXT,
        product_type TEXT,
        tags TEXT NOT NULL DEFAULT '',
        price_minor INTEGER,
        currency TEXT,
        inventory_policy TEXT NOT NULL DEFAULT 'DENY' CHECK (inventory_policy IN ('DENY','CONTINUE')),
        inventory_tracked INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX variants_sku ON variants(sku) WHERE sku IS NOT NULL;
      CREATE INDEX variants_title ON variants(product_title, variant_title);

      -- Shopify InventoryLevel quantities per variant and location. NULL = not given by the source.
      CREATE TABLE inventory_levels (
        variant_id TEXT NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
        location_id TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
        available INTEGER,
        on_hand INTEGER,
        committed INTEGER,
        incoming INTEGER,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (variant_id, location_id)
      );

      CREATE TABLE customers (
        id TEXT PRIMARY KEY,               -- Shopify GID, or 'csv-customer:<lower-cased email or phone>'
        email TEXT,
        phone TEXT,
        first_name TEXT,
        last_name TEXT,
        total_orders INTEGER,              -- from the customers export; NULL when derived from orders
        total_spent_minor INTEGER,
        currency TEXT,
        accepts_email_marketing INTEGER NOT NULL DEFAULT 0,
        accepts_sms_marketing INTEGER NOT NULL DEFAULT 0,
        tags TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
      );
      CREATE INDEX customers_email ON customers(email);

      CREATE TABLE orders (
        id TEXT PRIMARY KEY,               -- Shopify GID ('gid://shopify/Order/<Id column>')
        name TEXT NOT NULL UNIQUE,         -- '#1001'
        customer_id TEXT REFERENCES customers(id),
        email TEXT,
        phone TEXT,
        customer_name TEXT,
        created_at TEXT NOT NULL,          -- ISO 8601 with the store's offset
        currency TEXT NOT NULL,
        total_minor INTEGER NOT NULL,
        financial_status TEXT,
        fulfillment_status TEXT,
        cancelled_at TEXT,
        accepts_marketing INTEGER NOT NULL DEFAULT 0,
        tags TEXT NOT NULL DEFAULT '',
        source_updated_at TEXT,            -- newest timestamp the source gave for this order
        updated_at TEXT NOT NULL
      );
      CREATE INDEX orders_created ON orders(created_at);
      CREATE INDEX orders_customer ON orders(customer_id);

      CREATE TABLE line_items (
        id TEXT PRIMARY KEY,               -- Shopify GID, or '<order id>/line/<n>' (n = 1-based row in the order)
        order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        sku TEXT,
        variant_id TEXT REFERENCES variants(id),
        quantity INTEGER NOT NULL,
        fulfilled_quantity INTEGER NOT NULL DEFAULT 0,
        fulfillment_status TEXT,
        price_minor INTEGER NOT NULL,
        requires_shipping INTEGER NOT NULL DEFAULT 1,
        vendor TEXT,
        UNIQUE (order_id, position)
      );
      CREATE INDEX line_items_variant ON line_items(variant_id);

      CREATE TABLE backorders (
        id INTEGER PRIMARY KEY,
        line_item_id TEXT NOT NULL REFERENCES line_items(id) ON DELETE CASCADE,
        order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        variant_id TEXT REFERENCES variants(id),
        quantity_backordered INTEGER NOT NULL CHECK (quantity_backordered > 0),
        opened_at TEXT NOT NULL,           -- ISO 8601 UTC, the clock's now when detection first saw it
        closed_at TEXT,
        close_reason TEXT CHECK (close_reason IN ('restocked','fulfilled','cancelled','removed')),
        paused INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX backorders_one_open_per_line ON backorders(line_item_id) WHERE closed_at IS NULL;
      CREATE INDEX backorders_open ON backorders(closed_at);

      -- Things that happened to a backorder and may trigger a step (restocked, fulfilled, eta_changed, reply).
      CREATE TABLE backorder_events (
        id INTEGER PRIMARY KEY,
        backorder_id INTEGER NOT NULL REFERENCES backorders(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX backorder_events_bo ON backorder_events(backorder_id);

      -- A step fires at most once per backorder: the primary key enforces it.
      CREATE TABLE step_firings (
        backorder_id INTEGER NOT NULL REFERENCES backorders(id) ON DELETE CASCADE,
        step_id TEXT NOT NULL,
        fired_at TEXT NOT NULL,
        outcome TEXT NOT NULL,             -- 'acted' | 'superseded' | 'skipped'
        PRIMARY KEY (backorder_id, step_id)
      );

      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        backorder_id INTEGER REFERENCES backorders(id) ON DELETE SET NULL,
        order_id TEXT NOT NULL REFERENCES orders(id),
        step_id TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('email','sms')),
        to_address TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        facts TEXT NOT NULL,               -- JSON DraftFacts the text was checked against
        status TEXT NOT NULL CHECK (status IN ('draft','approved','sending','sent','failed','unknown','discarded')),
        idempotency_key TEXT NOT NULL UNIQUE, -- '<backorder>:<step>:<channel>'
        message_id TEXT NOT NULL UNIQUE,   -- our RFC 5322 Message-ID, fixed when the row is made
        produced_by TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        provider_response TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        approved_at TEXT,
        sent_at TEXT
      );
      CREATE INDEX messages_status ON messages(status);

      CREATE TABLE tasks (
        id INTEGER PRIMARY KEY,
        backorder_id INTEGER REFERENCES backorders(id) ON DELETE SET NULL,
        order_id TEXT REFERENCES orders(id),
        kind TEXT NOT NULL,
        reason TEXT NOT NULL,
        recommended_action TEXT NOT NULL,
        context TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),
        dedupe_key TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        resolved_at TEXT
      );

      CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        layout TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        report TEXT NOT NULL
      );
    `);
  },
};

/**
 * Indexes for the lookups the importer and detection make per record, which were full scans
 * (quadratic over an import of many orders):
 * - orders and customers are matched by email case-insensitively (`lower(email) = lower(?)`), and
 *   SQLite uses an index for that only when it is on the same expression; `created_at` in the orders
 *   one serves "the customer's latest order" without a sort.
 * - backorders closed as restocked are re-checked on every detection run for a shipment since.
 */
const m002: Migration = {
  version: 2,
  name: 'indexes for email lookups and restocked backorders',
  up: (db) => {
    db.exec(`
      CREATE INDEX orders_email_lower ON orders(lower(email), created_at);
      CREATE INDEX customers_email_lower ON customers(lower(email));
      CREATE INDEX backorders_restocked ON backorders(line_item_id) WHERE close_reason = 'restocked';
    `);
  },
};

/** All migrations in order. The app's schema version is the last one's number. */
export const migrations: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m011, m012, m014, m015];

export const SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
