import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/store/db';
import { migrations } from '../../src/main/store/migrations/index';
import { detectionIsCurrent, detectionMark, markStockChanged } from '../../src/main/store/stock-changes';

describe('migration 9: detection_state', () => {
  it('gives a version-8 database one detection_state row that has never detected', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version <= 8));
    migrate(db, migrations.filter((m) => m.version <= 9));
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    expect(detectionMark(db)).toEqual({ stockGeneration: 1, detectedGeneration: null, detectedAt: null, unmatched: 0 });
    expect(detectionIsCurrent(detectionMark(db), '2026-11-02T16:00:00.000Z')).toBe(false);
    markStockChanged(db);
    expect(detectionMark(db).stockGeneration).toBe(2);
    // One row only.
    expect(() => db.prepare('INSERT INTO detection_state (id, stock_generation) VALUES (2, 1)').run()).toThrow(/CHECK/);
  });

  it('drops orders_created; the latest order of an email is still found through orders_email_lower', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version <= 8));
    const indexes = () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL").pluck().all();
    expect(indexes()).toContain('orders_created');
    migrate(db, migrations.filter((m) => m.version <= 9));
    expect(indexes()).not.toContain('orders_created');
    expect(indexes()).toEqual(expect.arrayContaining(['orders_customer', 'orders_email_lower']));
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT customer_name FROM orders WHERE lower(email) = lower(?) ORDER BY created_at DESC LIMIT 1")
      .all('a@example.com') as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX orders_email_lower/);
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('keeps an index of unmatched line items only; waiting units per variant scan the lines', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version <= 9));
    const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join('\n');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'line_items_variant'").get()).toBeUndefined();
    expect(plan('SELECT id, sku, name FROM line_items WHERE variant_id IS NULL')).toMatch(/USING INDEX line_items_unmatched/);
    // The import's linking still finds, and only finds, the unmatched lines.
    db.prepare("INSERT INTO variants (id, product_title, updated_at) VALUES ('v1', 'Mug', 'x')").run();
    db.prepare("INSERT INTO orders (id, name, created_at, currency, total_minor, updated_at) VALUES ('o1', '#1', '2026-11-01T10:00:00Z', 'USD', 100, 'x')").run();
    const line = db.prepare("INSERT INTO line_items (id, order_id, position, name, variant_id, quantity, price_minor) VALUES (?, 'o1', ?, 'Mug', ?, 1, 100)");
    line.run('o1/line/1', 1, 'v1');
    line.run('o1/line/2', 2, null);
    expect(db.prepare('SELECT id FROM line_items WHERE variant_id IS NULL').pluck().all()).toEqual(['o1/line/2']);
    db.prepare("UPDATE line_items SET variant_id = 'v1' WHERE id = 'o1/line/2'").run();
    expect(db.prepare('SELECT id FROM line_items WHERE variant_id IS NULL').pluck().all()).toEqual([]);
  });
});
