import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/store/db';
import { migrations } from '../../src/main/store/migrations/index';

describe('migration 15: inbound_mail.sender_mismatch', () => {
  it('adds the flag, back-fills it from the routing reason of older rows, and keeps their mail', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version < 15));
    const old = db.prepare("INSERT INTO inbound_mail (source, kind, route_reason, subject, received_at) VALUES ('eml', 'customer_reply', ?, ?, 'x')");
    old.run("order #3314 in the subject; sender is not the order's customer (mallory@evil.example)", 'stranger');
    old.run('In-Reply-To of our message', 'customer');
    migrate(db, migrations.filter((m) => m.version <= 15));
    expect(db.pragma('user_version', { simple: true })).toBe(15);
    expect(db.prepare('SELECT subject, sender_mismatch FROM inbound_mail ORDER BY id').all()).toEqual([
      { subject: 'stranger', sender_mismatch: 1 },
      { subject: 'customer', sender_mismatch: 0 },
    ]);
    expect(() => db.prepare("UPDATE inbound_mail SET sender_mismatch = 2 WHERE subject = 'customer'").run()).toThrow(/CHECK/);
  });
});
