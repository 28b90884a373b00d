/** Migration 5: messages.model_sha256, on a database at version 4 with a draft in it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/main/store/db';
import { migrations } from '../../src/main/store/migrations/index';

describe('migration 5 (model hash of drafts)', () => {
  it('adds messages.model_sha256 (NULL for existing rows) and keeps the data', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-mig5-')), 'a.db');
    const db = openDatabase(file, { migrations: migrations.filter((m) => m.version <= 4) });
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    db.prepare("INSERT INTO orders (id, name, created_at, currency, total_minor, updated_at) VALUES ('o1', '#1', 'x', 'USD', 0, 'x')").run();
    db.prepare(
      `INSERT INTO messages (order_id, step_id, channel, to_address, subject, body, facts, status, idempotency_key, message_id, produced_by, created_at, updated_at)
       VALUES ('o1', 'initial_notice', 'email', 'a@example.com', 's', 'b', '{}', 'draft', 'k', '<m@x>', 'composer', 'x', 'x')`,
    ).run();
    migrate(db, migrations.filter((m) => m.version <= 5));
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    const cols = (db.prepare('PRAGMA table_info(messages)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toContain('model_sha256');
    expect(db.prepare('SELECT produced_by AS p, model_sha256 AS h FROM messages').get()).toEqual({ p: 'composer', h: null });
    db.close();
  });
});
