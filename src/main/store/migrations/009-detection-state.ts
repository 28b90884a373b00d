/**
 * Migration 9: what lets a scheduler tick skip backorder detection when nothing it reads changed,
 * and one index fewer to maintain on every imported order.
 *
 * `detection_state` is one row: `stock_generation` is bumped by every writer of orders, line items,
 * variants, inventory levels and backorders (src/main/store/stock-changes.ts: the CSV import, the
 * Shopify sync, a cancellation from a reply, the sandbox's simulated clock), and detection records
 * the generation it read. A counter rather than triggers: a trigger per written row doubled the
 * cost of importing a 100,000-line export.
 */
import type { Migration } from './index';

export const m009: Migration = {
  version: 9,
  name: 'detection_state; orders_created dropped',
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
    `);
  },
};
