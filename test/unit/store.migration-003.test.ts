/** Migration 3 (suppliers, ETA quotes, delivery history) on real SQLite files. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/main/store/db';
import { migrations } from '../../src/main/store/migrations/index';

const tmpFile = (name: string): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-mig3-')), name);

describe('migration 3: suppliers and ETAs', () => {
  it('moves a version-2 database to 3 and keeps its data', () => {
    const file = tmpFile('v2.db');
    const raw = new Database(file);
    migrate(raw, migrations.filter((m) => m.version <= 2));
    raw.prepare("INSERT INTO variants (id, product_title, vendor, updated_at) VALUES ('v1', 'Mug', 'Acme', 'x')").run();
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(3);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of ['suppliers', 'supplier_variants', 'eta_quotes', 'supplier_arrivals', 'backorder_eta', 'stock_seen']) expect(tables).toContain(t);
    expect(db.prepare('SELECT vendor FROM variants WHERE id = ?').pluck().get('v1')).toBe('Acme');
    db.close();
  });

  it('enforces its rules: sources, confidence 0..1, dates only on dated quotes, one quote per source and variant', () => {
    const db = openDatabase(tmpFile('rules.db'));
    db.prepare("INSERT INTO variants (id, product_title, updated_at) VALUES ('v1', 'Mug', 'x')").run();
    const ins = db.prepare(
      `INSERT INTO eta_quotes (variant_id, source, source_ref, quoted_at, kind, arrival_start, arrival_end, confidence, created_at)
       VALUES ('v1', ?, ?, '2026-01-01', ?, ?, ?, ?, 'x')`,
    );
    ins.run('email', 'a', 'date', '2026-02-01', '2026-02-01', 0.9);
    expect(() => ins.run('email', 'a', 'date', '2026-02-01', '2026-02-01', 0.9)).toThrow(/UNIQUE/);
    expect(() => ins.run('fax', 'b', 'date', '2026-02-01', '2026-02-01', 0.9)).toThrow(/CHECK/);
    expect(() => ins.run('email', 'c', 'date', '2026-02-01', '2026-02-01', 1.5)).toThrow(/CHECK/);
    expect(() => ins.run('email', 'd', 'unknown', '2026-02-01', '2026-02-01', 0.9)).toThrow(/CHECK/);
    expect(() => ins.run('email', 'e', 'date', null, null, 0.9)).toThrow(/CHECK/);
    ins.run('email', 'f', 'unknown', null, null, 0.9);
    expect(() => db.prepare("INSERT INTO suppliers (name, date_locale, updated_at) VALUES ('S', 'fr-FR', 'x')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('a failure inside migration 3 rolls back to version 2', () => {
    const db = new Database(':memory:');
    const broken = [...migrations.filter((m) => m.version <= 2), { ...migrations.find((m) => m.version === 3)!, up: (d: Database.Database) => { migrations.find((m) => m.version === 3)!.up(d); d.exec('nonsense'); } }];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'eta_quotes'").pluck().get()).toBe(0);
  });
});
