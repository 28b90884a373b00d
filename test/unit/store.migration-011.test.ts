import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/store/db';
import { migrations } from '../../src/main/store/migrations/index';

describe('migration 11: orders.deleted_at, Shopify cancel options', () => {
  it('adds the columns to an older database and keeps its rows', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version < 11));
    db.prepare("INSERT INTO orders (id, name, created_at, currency, total_minor, updated_at) VALUES ('o1', '#1', '2026-11-01T10:00:00Z', 'USD', 100, 'x')").run();
    db.prepare("INSERT INTO shopify_connection (id, shop, auth_kind, connected_at) VALUES (1, 'a.myshopify.com', 'token', 'x')").run();
    migrate(db, migrations.filter((m) => m.version <= 11));
    expect(db.pragma('user_version', { simple: true })).toBe(11);
    expect(db.prepare('SELECT name, deleted_at FROM orders').get()).toEqual({ name: '#1', deleted_at: null });
    expect(db.prepare('SELECT shop, cancel_orders, cancel_notify_customer FROM shopify_connection').get()).toEqual({ shop: 'a.myshopify.com', cancel_orders: 0, cancel_notify_customer: 1 });
  });
});
