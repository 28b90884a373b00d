/**
 * Migration 4: reply triage and escalation work.
 *
 * - `reply_triage`: the reading of each customer reply (sentiment, intents, needs a person) and what
 *   was done with it. The reply itself is a row of `inbound_mail` (migration 7, Gmail/.eml ingest);
 *   `mail_id` names it. It carries no REFERENCES clause because migration 7 runs after this one, and
 *   a foreign key to a table that may not exist yet would make every insert fail on such a database.
 * - `task_actions`: the action log of escalation tasks ("cancel and refund in full" and its
 *   outcome: done through the store's API, or recorded for a CSV store). One row per task and action,
 *   so a double click cannot cancel twice.
 * - `tasks.priority`: callback requests (2) before unhappy customers and cancellations (1) before
 *   the rest (0), so the Tasks view and the tray list the most urgent first.
 */
import type { Migration } from './index';

export const m004: Migration = {
  version: 4,
  name: 'reply triage, task actions, task priority',
  up: (db) => {
    db.exec(`
      CREATE TABLE reply_triage (
        id INTEGER PRIMARY KEY,
        mail_id INTEGER NOT NULL UNIQUE,     -- inbound_mail.id (see module doc)
        order_id TEXT REFERENCES orders(id) ON DELETE SET NULL,
        backorder_id INTEGER REFERENCES backorders(id) ON DELETE SET NULL,
        sentiment TEXT NOT NULL CHECK (sentiment IN ('positive','neutral','frustrated','angry')),
        confidence REAL NOT NULL,
        needs_person INTEGER NOT NULL,
        triage TEXT NOT NULL,                -- JSON Triage (src/core/triage/types.ts)
        outcome TEXT NOT NULL CHECK (outcome IN ('escalated','answer_drafted','recorded')),
        created_at TEXT NOT NULL
      );
      CREATE INDEX reply_triage_order ON reply_triage(order_id);
      CREATE INDEX reply_triage_backorder ON reply_triage(backorder_id);

      CREATE TABLE task_actions (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        action TEXT NOT NULL,                -- 'cancel_refund'
        outcome TEXT NOT NULL CHECK (outcome IN ('done','recorded','failed')),
        detail TEXT NOT NULL DEFAULT '{}',   -- JSON: what the store answered, or what to do by hand
        at TEXT NOT NULL,
        UNIQUE (task_id, action)
      );

      ALTER TABLE tasks ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX tasks_open ON tasks(status, priority DESC, id DESC);
    `);
  },
};
