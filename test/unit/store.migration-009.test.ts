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
});
