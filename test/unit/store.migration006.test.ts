import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/store/db';
import { migrations } from '../../src/main/store/migrations/index';
import { m006 } from '../../src/main/store/migrations/006-shopify';

describe('migration 6: Shopify live sync tables', () => {
  it('applies on a version-5-or-earlier database, in one transaction, and keeps existing rows', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-m6-')), 'a.db');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.filter((m) => m.version < 6));
    db.prepare("INSERT INTO orders (id, name, created_at, currency, total_minor, updated_at) VALUES ('gid://shopify/Order/1', '#1', '2026-01-01T00:00:00Z', 'USD', 100, 'x')").run();
    migrate(db, migrations.filter((m) => m.version <= 6));
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of ['shopify_connection', 'shopify_sync_state', 'shopify_fulfillment_orders', 'shopify_fulfillment_holds', 'shopify_fulfillments', 'shopify_writeback', 'shopify_inventory_items']) {
      expect(tables).toContain(t);
    }
    // Fulfillment rows belong to their order (cascade), and one connection at most.
    db.prepare("INSERT INTO shopify_fulfillments (id, order_id, status, created_at) VALUES ('gid://shopify/Fulfillment/1', 'gid://shopify/Order/1', 'SUCCESS', 'x')").run();
    db.prepare("DELETE FROM orders WHERE id = 'gid://shopify/Order/1'").run();
    expect(db.prepare('SELECT count(*) FROM shopify_fulfillments').pluck().get()).toBe(0);
    db.prepare("INSERT INTO shopify_connection (id, shop, auth_kind, connected_at) VALUES (1, 's.myshopify.com', 'token', 'x')").run();
    expect(() => db.prepare("INSERT INTO shopify_connection (id, shop, auth_kind, connected_at) VALUES (2, 't.myshopify.com', 'token', 'x')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('rolls back completely when it fails half-way', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version < 6));
    const before = db.pragma('user_version', { simple: true });
    const broken = { ...m006, up: (d: Database.Database) => { m006.up(d); d.exec('not sql'); } };
    expect(() => migrate(db, [...migrations.filter((m) => m.version < 6), broken])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(before);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'shopify_sync_state'").pluck().get()).toBe(0);
  });
});
