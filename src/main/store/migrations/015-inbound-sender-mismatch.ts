/**
 * Migration 15: `inbound_mail.sender_mismatch`, set when a message was linked to an order only by the
 * order number in its subject and its sender is not the order's email (src/main/gmail/route.ts). Such
 * a message must never make later mail in its thread pass as the customer's; the flag was kept only
 * inside the routing reason's text before, so rows from then are back-filled from that text.
 */
import type { Migration } from './index';

export const m015: Migration = {
  version: 15,
  name: "inbound_mail.sender_mismatch: mail about an order from someone other than the order's customer",
  up: (db) => {
    db.exec(`
      ALTER TABLE inbound_mail ADD COLUMN sender_mismatch INTEGER NOT NULL DEFAULT 0 CHECK (sender_mismatch IN (0, 1));
      UPDATE inbound_mail SET sender_mismatch = 1 WHERE instr(route_reason, 'sender is not the order''s customer') > 0;
    `);
  },
};
