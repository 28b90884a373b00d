/**
 * Migration 14: a content hash on inbound mail, so a dropped .eml file is stored once however often
 * the owner drops it again (`replies.import`). Gmail messages are already unique by Gmail id, and
 * routed mail by Message-ID; but mail without a Message-ID, and ignored mail (which keeps no
 * Message-ID, see migration 7), had nothing to recognise it by.
 *
 * The hash is SHA-256 hex of the message's bytes as dropped (src/main/replies/ingest.ts says exactly
 * which bytes). Rows from before this migration and Gmail rows keep NULL.
 */
import type { Migration } from './index';

export const m014: Migration = {
  version: 14,
  name: 'inbound_mail.content_hash: dropped .eml files stored once',
  up: (db) => {
    db.exec(`
      ALTER TABLE inbound_mail ADD COLUMN content_hash TEXT; -- SHA-256 hex of a dropped file's message bytes
      CREATE UNIQUE INDEX inbound_mail_content_hash ON inbound_mail(content_hash) WHERE content_hash IS NOT NULL;
    `);
  },
};
