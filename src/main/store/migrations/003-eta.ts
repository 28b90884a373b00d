/**
 * Migration 3: suppliers, their quoted ETAs and delivery history (issue "Honest ETA ranges").
 * - `suppliers`: contact addresses and domains (to match mail), default lead and transit days,
 *   numeric date locale ('en-US' month/day, 'en-GB' day/month, NULL = unknown → ambiguous dates are
 *   flagged), the Vendor value of the products it supplies, and its sheet column mapping (JSON).
 * - `supplier_variants`: variants a supplier supplies beyond its Vendor match.
 * - `eta_quotes`: every quote with its source, confidence and sentence; `status` = 'active' until a
 *   newer quote for the same variant supersedes it, or the stock arrives.
 * - `supplier_arrivals`: delivery history (imported or from inventory increases); slip = received −
 *   quoted, in days. `dedupe_key` keeps re-imports idempotent.
 * - `backorder_eta`: the customer-facing range last computed for a backorder, so a change can be
 *   recorded as an 'eta_changed' backorder event.
 * - `stock_seen`: on-hand per variant at the last tick, to notice inventory increases.
 */
import type { Migration } from './index';

export const m003: Migration = {
  version: 3,
  name: 'suppliers, ETA quotes, delivery history',
  up: (db) => {
    db.exec(`
      CREATE TABLE suppliers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        vendor TEXT,                        -- products' Vendor value it supplies (default: name)
        emails TEXT NOT NULL DEFAULT '[]',  -- JSON array of addresses
        domains TEXT NOT NULL DEFAULT '[]', -- JSON array of mail domains
        lead_time_days INTEGER CHECK (lead_time_days IS NULL OR lead_time_days >= 0),
        transit_days INTEGER NOT NULL DEFAULT 0 CHECK (transit_days >= 0),
        date_locale TEXT CHECK (date_locale IN ('en-US','en-GB')),
        sheet_mapping TEXT,                 -- JSON SheetMapping or NULL
        updated_at TEXT NOT NULL
      );

      CREATE TABLE supplier_variants (
        supplier_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
        variant_id TEXT NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
        PRIMARY KEY (supplier_id, variant_id)
      );
      CREATE INDEX supplier_variants_variant ON supplier_variants(variant_id);

      CREATE TABLE eta_quotes (
        id INTEGER PRIMARY KEY,
        supplier_id INTEGER REFERENCES suppliers(id) ON DELETE SET NULL,
        variant_id TEXT REFERENCES variants(id) ON DELETE CASCADE,
        po_number TEXT,
        source TEXT NOT NULL CHECK (source IN ('email','edi','sheet','manual','model')),
        source_ref TEXT NOT NULL DEFAULT '', -- message id, file name + segment, sheet row
        quoted_at TEXT NOT NULL,            -- ISO day the quote was made
        kind TEXT NOT NULL CHECK (kind IN ('date','range','unknown')),
        start_date TEXT,
        end_date TEXT,
        is_ship_date INTEGER NOT NULL DEFAULT 0,
        arrival_start TEXT,
        arrival_end TEXT,
        confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
        sentence TEXT NOT NULL DEFAULT '',
        rule TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','superseded','arrived','rejected')),
        created_at TEXT NOT NULL,
        CHECK ((kind = 'unknown') = (arrival_start IS NULL)),
        UNIQUE (source, source_ref, variant_id)
      );
      CREATE INDEX eta_quotes_variant ON eta_quotes(variant_id, status);
      CREATE INDEX eta_quotes_supplier ON eta_quotes(supplier_id, quoted_at);

      CREATE TABLE supplier_arrivals (
        id INTEGER PRIMARY KEY,
        supplier TEXT NOT NULL,             -- supplier name as the source spells it
        variant_id TEXT REFERENCES variants(id) ON DELETE SET NULL,
        ordered_at TEXT,
        quoted_date TEXT NOT NULL,
        received_at TEXT,
        source TEXT NOT NULL CHECK (source IN ('history','inventory','edi','manual')),
        dedupe_key TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      CREATE INDEX supplier_arrivals_supplier ON supplier_arrivals(supplier);

      CREATE TABLE backorder_eta (
        backorder_id INTEGER PRIMARY KEY REFERENCES backorders(id) ON DELETE CASCADE,
        start_date TEXT,
        end_date TEXT,
        method TEXT NOT NULL,
        quote_id INTEGER REFERENCES eta_quotes(id) ON DELETE SET NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE stock_seen (
        variant_id TEXT PRIMARY KEY REFERENCES variants(id) ON DELETE CASCADE,
        on_hand INTEGER NOT NULL,
        at TEXT NOT NULL
      );
    `);
  },
};
