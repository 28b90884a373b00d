/**
 * Migration 7: Gmail. The mailbox sync position, every inbound message the app looked at (from
 * Gmail or a dropped .eml file) with how it was routed, their attachments, and the Gmail side of
 * each outgoing message (draft id, Gmail message id, thread id) that makes sending exactly-once
 * across a crash.
 *
 * Secrets are never here: the OAuth refresh token lives in the SecretStore (OS keychain).
 */
import type { Migration } from './index';

export const m007: Migration = {
  version: 7,
  name: 'gmail: sync state, inbound mail and attachments, outbound gmail ids',
  up: (db) => {
    db.exec(`
      -- At most one connected mailbox.
      CREATE TABLE gmail_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        email TEXT,                        -- the connected address (users.getProfile)
        history_id TEXT,                   -- Gmail historyId up to which every change is stored
        full_sync_at TEXT,                 -- ISO 8601 of the last completed full sync
        last_sync_at TEXT,
        last_error TEXT,
        needs_reconnect INTEGER NOT NULL DEFAULT 0  -- Google answered invalid_grant
      );

      -- Inbound mail as routed. Mail routed 'ignored' keeps ids only (no subject, no text): it is
      -- recorded so a resync does not fetch it again, not to keep the owner's private mail.
      CREATE TABLE inbound_mail (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL CHECK (source IN ('gmail','eml')),
        gmail_id TEXT UNIQUE,              -- Gmail message id
        thread_id TEXT,                    -- Gmail thread id
        message_id TEXT,                   -- RFC 5322 Message-ID with angle brackets
        in_reply_to TEXT,
        references_ids TEXT NOT NULL DEFAULT '', -- References msg-ids, space separated, oldest first
        from_address TEXT NOT NULL DEFAULT '',
        from_name TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        sent_at TEXT,                      -- Date header, ISO 8601
        text TEXT NOT NULL DEFAULT '',     -- whole text, invisible characters stripped
        new_text TEXT NOT NULL DEFAULT '', -- text without quoted history and forwarded blocks
        kind TEXT NOT NULL CHECK (kind IN ('supplier','customer_reply','ignored')),
        route_reason TEXT NOT NULL,
        supplier_id TEXT,
        order_id TEXT REFERENCES orders(id) ON DELETE SET NULL,
        backorder_id INTEGER REFERENCES backorders(id) ON DELETE SET NULL,
        received_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX inbound_mail_message_id ON inbound_mail(message_id) WHERE message_id IS NOT NULL;
      CREATE INDEX inbound_mail_thread ON inbound_mail(thread_id);
      CREATE INDEX inbound_mail_order ON inbound_mail(order_id);

      CREATE TABLE inbound_attachments (
        id INTEGER PRIMARY KEY,
        mail_id INTEGER NOT NULL REFERENCES inbound_mail(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        content BLOB,                      -- kept for CSV files of supplier mail (quote importer)
        offered_for_import INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX inbound_attachments_mail ON inbound_attachments(mail_id);

      -- The Gmail side of an outgoing message, keyed by our RFC 5322 Message-ID (messages.message_id).
      -- The draft id is written before the draft is sent, so after a crash the draft (or the Sent
      -- copy, by rfc822msgid:) tells whether it left.
      CREATE TABLE gmail_outbound (
        message_id TEXT PRIMARY KEY,
        draft_id TEXT,
        gmail_id TEXT,
        thread_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('sending','drafted','sent')),
        created_at TEXT NOT NULL,
        sent_at TEXT
      );
      CREATE INDEX gmail_outbound_sent ON gmail_outbound(sent_at) WHERE sent_at IS NOT NULL;
      CREATE INDEX gmail_outbound_thread ON gmail_outbound(thread_id);
    `);
  },
};
