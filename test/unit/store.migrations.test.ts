import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate, openDatabase } from '../../src/main/store/db';
import { migrations, SCHEMA_VERSION } from '../../src/main/store/migrations/index';

function tmpFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-mig-')), name);
}

describe('database migrations', () => {
  it('migration 1 creates the schema on an empty file, with WAL and foreign keys', () => {
    const file = tmpFile('a.db');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare("select name from sqlite_master where type='table'").pluck().all();
    for (const t of ['orders', 'line_items', 'variants', 'inventory_levels', 'customers', 'backorders', 'messages', 'tasks', 'step_firings']) {
      expect(tables).toContain(t);
    }
    // foreign keys enforced
    expect(() =>
      db.prepare("insert into line_items (id, order_id, position, name, quantity, price_minor) values ('x','missing',1,'n',1,0)").run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('re-opening an up-to-date database changes nothing', () => {
    const file = tmpFile('b.db');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses a database newer than the app and leaves the file byte-identical', () => {
    const file = tmpFile('c.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.exec('create table future (x)');
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(/newer than this app/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(file + '-wal')).toBe(false);
  });

  it('a failing migration rolls back entirely and keeps the previous version', () => {
    const db = new Database(':memory:');
    const broken = [
      ...migrations,
      { version: SCHEMA_VERSION + 1, name: 'broken', up: (d: Database.Database) => { d.exec('create table half (x)'); d.exec('syntax error here'); } },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("select count(*) from sqlite_master where name='half'").pluck().get()).toBe(0);
  });

  it('migration 2 adds the lookup indexes to a version-1 database, keeps its data, and the lookups use them', () => {
    const file = tmpFile('v1.db');
    const raw = new Database(file);
    migrate(raw, migrations.filter((m) => m.version <= 1));
    raw.prepare("insert into customers (id, email, updated_at) values ('c1', 'Ada@Example.com', 'x')").run();
    raw.prepare(
      "insert into orders (id, name, customer_id, email, created_at, currency, total_minor, updated_at) values ('o1', '#1', 'c1', 'Ada@Example.com', '2026-01-01T00:00:00+00:00', 'USD', 100, 'x')",
    ).run();
    raw.close();

    const db = new Database(file);
    migrate(db, migrations.filter((m) => m.version <= 2));
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const indexes = db.prepare("select name from sqlite_master where type = 'index'").pluck().all();
    for (const i of ['orders_email_lower', 'customers_email_lower', 'backorders_restocked']) expect(indexes).toContain(i);
    expect(db.prepare('select id from orders where lower(email) = lower(?)').pluck().get('ada@example.COM')).toBe('o1');

    const plan = (sql: string): string =>
      (db.prepare(`explain query plan ${sql}`).all('a@b') as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('select count(*) from orders where lower(email) = lower(?)')).toContain('orders_email_lower');
    expect(plan('select customer_name from orders where lower(email) = lower(?) order by created_at desc limit 1')).not.toContain('TEMP B-TREE');
    expect(plan('select id from customers where lower(email) = lower(?)')).toContain('customers_email_lower');
    db.close();
  });
});

describe('database file', () => {
  it.skipIf(process.platform === 'win32')('is readable by its owner only (customer data)', () => {
    const file = tmpFile('perm.db');
    const db = openDatabase(file);
    db.prepare("INSERT INTO settings (key, value) VALUES ('k', '1')").run();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(file + '-wal').mode & 0o777).toBe(0o600);
    db.close();
  });
});
