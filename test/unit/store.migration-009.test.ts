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
});
