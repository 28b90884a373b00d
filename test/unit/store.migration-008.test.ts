import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/store/db';
import { migrations } from '../../src/main/store/migrations/index';

describe('migration 8: orders.shipping_method', () => {
  it('adds the column to a version-7 database and keeps its orders', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version <= 7));
    db.prepare("INSERT INTO orders (id, name, created_at, currency, total_minor, updated_at) VALUES ('o1', '#1', '2026-11-01T10:00:00Z', 'USD', 100, 'x')").run();
    migrate(db, migrations.filter((m) => m.version <= 8));
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    expect(db.prepare('SELECT name, shipping_method FROM orders').get()).toEqual({ name: '#1', shipping_method: null });
    db.prepare("UPDATE orders SET shipping_method = 'Expedited Shipping'").run();
    expect(db.prepare('SELECT shipping_method FROM orders').pluck().get()).toBe('Expedited Shipping');
  });
});
