import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/main/store/db';
import { migrations } from '../../src/main/store/migrations/index';
import { m004 } from '../../src/main/store/migrations/004-replies';

const tmpFile = (name: string): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-m004-')), name);

describe('migration 4: reply triage, task actions, task priority', () => {
  it('is registered as version 4', () => {
    expect(migrations.find((m) => m.version === 4)).toBe(m004);
  });

  it('upgrades a version-3 database, keeping its tasks (priority 0)', () => {
    const file = tmpFile('a.db');
    const db = openDatabase(file, { migrations: migrations.filter((m) => m.version < 4) });
    db.prepare("INSERT INTO tasks (kind, reason, recommended_action, dedupe_key, created_at) VALUES ('negative_reply', 'r', 'a', 'k1', '2026-01-01T00:00:00Z')").run();
    migrate(db, migrations.filter((m) => m.version <= 4));
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(db.prepare('SELECT priority FROM tasks').pluck().get()).toBe(0);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['reply_triage', 'task_actions']));
    db.close();
  });

  it('one triage per inbound mail, one action per task and action, checked values', () => {
    const db = openDatabase(tmpFile('b.db'));
    const triage = db.prepare(
      "INSERT INTO reply_triage (mail_id, sentiment, confidence, needs_person, triage, outcome, created_at) VALUES (?, ?, 0.9, 1, '{}', 'recorded', 'now')",
    );
    triage.run(1, 'angry');
    expect(() => triage.run(1, 'angry')).toThrow(/UNIQUE/);
    expect(() => triage.run(2, 'furious')).toThrow(/CHECK/);
    const task = db.prepare("INSERT INTO tasks (kind, reason, recommended_action, dedupe_key, created_at) VALUES ('cancel_requested', 'r', 'a', 'k', 'now')").run();
    const act = db.prepare("INSERT INTO task_actions (task_id, action, outcome, at) VALUES (?, 'cancel_refund', ?, 'now')");
    act.run(task.lastInsertRowid, 'recorded');
    expect(() => act.run(task.lastInsertRowid, 'recorded')).toThrow(/UNIQUE/);
    expect(() => act.run(task.lastInsertRowid, 'maybe')).toThrow();
    db.close();
  });

  it('a failure inside the migration leaves version 3 intact', () => {
    const file = tmpFile('c.db');
    const db = openDatabase(file, { migrations: migrations.filter((m) => m.version < 4) });
    db.exec('CREATE TABLE task_actions (x INTEGER)'); // makes m004's CREATE fail
    expect(() => migrate(db, migrations.filter((m) => m.version <= 4))).toThrow(/already exists/);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'reply_triage'").pluck().get()).toBe(0);
    db.close();
  });
});
