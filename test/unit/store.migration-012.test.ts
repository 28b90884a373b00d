import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/store/db';
import { migrations } from '../../src/main/store/migrations/index';

describe('migration 12: edi_files', () => {
  it('adds the table to an older database, keeps its data, and refuses a second row for the same content', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version < 12));
    db.prepare("INSERT INTO suppliers (name, updated_at) VALUES ('Acme', 'x')").run();
    migrate(db, migrations);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(12);
    expect(db.prepare('SELECT name FROM suppliers').pluck().all()).toEqual(['Acme']);
    const add = db.prepare("INSERT INTO edi_files (content_hash, file_name, status, handled_at) VALUES (?, ?, ?, '2026-11-30T00:00:00Z')");
    add.run('abc', 'a.edi', 'imported');
    expect(() => add.run('abc', 'copy-of-a.edi', 'imported')).toThrow(/UNIQUE/);
    expect(() => add.run('def', 'b.edi', 'half-done')).toThrow(/CHECK/);
  });
});
