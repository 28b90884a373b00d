/**
 * Migration 9: what lets a scheduler tick skip backorder detection when nothing it reads changed,
 * and cheaper indexes to maintain on every imported order and line item.
 *
 * `detection_state` is one row: `stock_generation` is bumped by every writer of orders, line items,
 * variants, inventory levels and backorders (src/main/store/stock-changes.ts: the CSV import, the
 * Shopify sync, a cancellation from a reply, the sandbox's simulated clock), and detection records
 * the generation it read. A counter rather than triggers: a trigger per written row doubled the
 * cost of importing a 100,000-line export.
 *
 * `orders_created` (migration 1) is dropped: no query's plan uses it (EXPLAIN QUERY PLAN of every
 * query on orders that filters or sorts by created_at — the per-email lookups use
 * `orders_email_lower (lower(email), created_at)` of migration 2, the backorder lists sort the
 * joined rows in a temporary B-tree either way), and every order written paid for it.
 *
 * `line_items_variant` (migration 1) becomes a partial index of the unmatched lines only: the one
 * query that needs it is the import's "line items without a variant yet", while the query that used
 * it — units waiting per variant (src/main/store/stock.ts), run by a tick's ETA step — was 4–5 times
 * slower through it (a table lookup per index entry) than a scan with a temporary B-tree for the
 * 200 variants of the benchmark; and every line item written paid for it.
 */
import type { Migration } from './index';

export const m009: Migration = {
  version: 9,
  name: 'detection_state; orders_created dropped; line_items_variant only for unmatched lines',
  up: (db) => {
    db.exec(`
      CREATE TABLE detection_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        stock_generation INTEGER NOT NULL,   -- bumped by every writer of what detection reads
        detected_generation INTEGER,         -- stock_generation as the last detection run read it; NULL = never ran
        detected_at TEXT,                    -- ISO 8601 UTC, the clock's now of that run
        unmatched INTEGER NOT NULL DEFAULT 0 -- that run's open lines without a variant or stock figure
      );
      INSERT INTO detection_state (id, stock_generation) VALUES (1, 1);
      DROP INDEX IF EXISTS orders_created;
      DROP INDEX IF EXISTS line_items_variant;
      CREATE INDEX line_items_unmatched ON line_items(id) WHERE variant_id IS NULL;
    `);
  },
};
