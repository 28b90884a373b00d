/**
 * SQLite side of Gmail (tables of migration 7): the sync position in `gmail_state`, routed inbound
 * mail in `inbound_mail` / `inbound_attachments`. Synchronous better-sqlite3 calls; the caller
 * chooses the transaction.
 */
import type { Db } from '../store/db';
import type { ParsedMail } from '../mail/types';
import type { Route } from './route';

/** The one `gmail_state` row. */
export interface GmailState {
  email: string | null;
  historyId: string | null;
  fullSyncAt: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  needsReconnect: boolean;
}

/** Reads the sync state (all null when never connected). */
export function readGmailState(db: Db): GmailState {
  const r = db.prepare('SELECT email, history_id, full_sync_at, last_sync_at, last_error, needs_reconnect FROM gmail_state WHERE id = 1').get() as
    | { email: string | null; history_id: string | null; full_sync_at: string | null; last_sync_at: string | null; last_error: string | null; needs_reconnect: number }
    | undefined;
  return {
    email: r?.email ?? null,
    historyId: r?.history_id ?? null,
    fullSyncAt: r?.full_sync_at ?? null,
    lastSyncAt: r?.last_sync_at ?? null,
    lastError: r?.last_error ?? null,
    needsReconnect: r?.needs_reconnect === 1,
  };
}

/** Updates the given fields of the state row, creating it when needed. */
export function writeGmailState(db: Db, patch: Partial<GmailState>): void {
  db.prepare('INSERT INTO gmail_state (id) VALUES (1) ON CONFLICT(id) DO NOTHING').run();
  const cols: Record<keyof GmailState, string> = {
    email: 'email', historyId: 'history_id', fullSyncAt: 'full_sync_at', lastSyncAt: 'last_sync_at', lastError: 'last_error', needsReconnect: 'needs_reconnect',
  };
  for (const [k, v] of Object.entries(patch) as [keyof GmailState, unknown][]) {
    db.prepare(`UPDATE gmail_state SET ${cols[k]} = ? WHERE id = 1`).run(typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | null));
  }
}

/** Forgets the mailbox (Disconnect): state row gone; stored mail stays, it is the shop's record. */
export function clearGmailState(db: Db): void {
  db.prepare('DELETE FROM gmail_state').run();
}

/** Where a message came from. */
export interface InboundOrigin {
  source: 'gmail' | 'eml';
  gmailId: string | null;
  threadId: string | null;
}

/** Files of supplier mail worth handing to the quote importer. */
export function isImportableAttachment(name: string, contentType: string): boolean {
  return /\.(csv|tsv)$/i.test(name) || contentType === 'text/csv' || contentType === 'text/tab-separated-values';
}

/**
 * Stores one routed message; a message already stored (same Gmail id or same Message-ID) is left
 * alone. Ignored mail keeps only its ids (see migration 7).
 * @returns the new row id, or null when it was already there.
 */
export function storeInbound(db: Db, mail: ParsedMail, origin: InboundOrigin, route: Route, receivedAt: string): number | null {
  const ignored = route.kind === 'ignored';
  const info = db
    .prepare(
      `INSERT INTO inbound_mail (source, gmail_id, thread_id, message_id, in_reply_to, references_ids, from_address, from_name, subject, sent_at, text, new_text,
         kind, route_reason, supplier_id, order_id, backorder_id, received_at, sender_mismatch)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    )
    .run(
      origin.source,
      origin.gmailId,
      origin.threadId,
      ignored ? null : mail.messageId,
      ignored ? null : mail.inReplyTo,
      ignored ? '' : mail.references.join(' '),
      ignored ? '' : mail.from,
      ignored ? '' : mail.fromName,
      ignored ? '' : mail.subject,
      ignored ? null : mail.date,
      ignored ? '' : mail.text,
      ignored ? '' : mail.newText,
      route.kind,
      route.reason,
      route.kind === 'supplier' ? route.supplier.id : null,
      route.kind === 'ignored' ? null : route.orderId,
      route.kind === 'ignored' ? null : route.backorderId,
      receivedAt,
      route.kind === 'customer_reply' && route.senderMismatch === true ? 1 : 0,
    );
  if (info.changes !== 1) return null;
  const id = Number(info.lastInsertRowid);
  if (!ignored) {
    const add = db.prepare('INSERT INTO inbound_attachments (mail_id, name, content_type, size, content, offered_for_import) VALUES (?, ?, ?, ?, ?, ?)');
    for (const a of mail.attachments) {
      const importable = route.kind === 'supplier' && isImportableAttachment(a.name, a.contentType);
      add.run(id, a.name, a.contentType, a.size, importable && a.content ? Buffer.from(a.content) : null, importable ? 1 : 0);
    }
  }
  return id;
}

/** Gmail ids already stored, out of `ids`. */
export function knownGmailIds(db: Db, ids: readonly string[]): Set<string> {
  const known = new Set<string>();
  const q = db.prepare('SELECT 1 FROM inbound_mail WHERE gmail_id = ?').pluck();
  for (const id of ids) if (q.get(id)) known.add(id);
  return known;
}

/** A supplier attachment waiting for the quote importer. */
export interface ImportableAttachment {
  id: number;
  mailId: number;
  supplierId: string | null;
  name: string;
  contentType: string;
  content: Buffer;
}

/** CSV attachments of supplier mail offered to the quote importer (oldest first). */
export function importableAttachments(db: Db): ImportableAttachment[] {
  return (
    db
      .prepare(
        `SELECT a.id, a.mail_id, m.supplier_id, a.name, a.content_type, a.content FROM inbound_attachments a JOIN inbound_mail m ON m.id = a.mail_id
         WHERE a.offered_for_import = 1 AND a.content IS NOT NULL ORDER BY a.id`,
      )
      .all() as { id: number; mail_id: number; supplier_id: string | null; name: string; content_type: string; content: Buffer }[]
  ).map((r) => ({ id: r.id, mailId: r.mail_id, supplierId: r.supplier_id, name: r.name, contentType: r.content_type, content: r.content }));
}
