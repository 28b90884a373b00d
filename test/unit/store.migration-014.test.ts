import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/store/db';
import { migrations } from '../../src/main/store/migrations/index';

describe('migration 14: inbound_mail.content_hash', () => {
  it('adds the column to an older database, keeps its mail, and refuses a second row with the same hash', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version < 14));
    const old = db.prepare("INSERT INTO inbound_mail (source, kind, route_reason, subject, received_at) VALUES ('eml', 'supplier', 'from supplier', ?, 'x')");
    old.run('before 14');
    migrate(db, migrations);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(14);
    expect(db.prepare('SELECT subject, content_hash FROM inbound_mail').all()).toEqual([{ subject: 'before 14', content_hash: null }]);
    const add = db.prepare("INSERT INTO inbound_mail (source, kind, route_reason, content_hash, received_at) VALUES ('eml', 'ignored', 'r', ?, 'x')");
    add.run('abc');
    expect(() => add.run('abc')).toThrow(/UNIQUE/);
    // Rows without a hash (Gmail, older rows) are not constrained.
    add.run(null);
    add.run(null);
    expect(db.prepare('SELECT count(*) FROM inbound_mail').pluck().get()).toBe(4);
  });
});
