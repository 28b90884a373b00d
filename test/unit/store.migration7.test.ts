import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../src/main/store/db';
import { migrations } from '../../src/main/store/migrations/index';

describe('migration 7 (gmail)', () => {
  it('creates gmail_state, inbound_mail, inbound_attachments and gmail_outbound on a version-6 database, in one step', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-m7-')), 'a.db');
    const db = new Database(file);
    migrate(db, migrations.filter((m) => m.version < 7));
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    migrate(db, migrations.filter((m) => m.version <= 7));
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of ['gmail_state', 'inbound_mail', 'inbound_attachments', 'gmail_outbound']) expect(tables).toContain(t);
    const t = '2024-01-01T00:00:00Z';
    const ins = db.prepare("INSERT INTO inbound_mail (source, gmail_id, message_id, kind, route_reason, received_at) VALUES ('gmail', ?, ?, 'ignored', 'r', ?)");
    ins.run('g1', '<a@b>', t);
    // One row per Gmail id and per Message-ID: a resync or the same mail dropped as .eml is not stored twice.
    expect(() => ins.run('g1', '<c@d>', t)).toThrow(/UNIQUE/);
    expect(() => ins.run('g2', '<a@b>', t)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO inbound_mail (source, kind, route_reason, received_at) VALUES ('imap', 'ignored', 'r', ?)").run(t)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO gmail_state (id) VALUES (2)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO gmail_outbound (message_id, state, created_at) VALUES ('<x@y>', 'lost', ?)").run(t)).toThrow(/CHECK/);
    db.close();
  });
});
