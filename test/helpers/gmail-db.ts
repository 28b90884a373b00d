/** Test fixtures for the Gmail tests: a real SQLite file with an order, a backorder, sent messages and a supplier. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/main/store/db';
import { googleAuth, createGmailClient } from '../../src/main/gmail/client';
import { GmailApi } from '../../src/main/gmail/api';
import { QuotaPacer } from '../../src/main/gmail/pacer';
import type { FakeGmail } from './fake-gmail';

export function tmpDb(): Db {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-gmail-'));
  return openDatabase(path.join(dir, 'app.db'));
}

const T = '2024-06-01T10:00:00.000Z';

/** Order #1001 (customer jane@example.com) with an open backorder, and supplier Acme (acme.example). */
export function seed(db: Db): { backorderId: number } {
  db.prepare("INSERT INTO orders (id, name, email, created_at, currency, total_minor, updated_at) VALUES ('gid://shopify/Order/1', '#1001', 'jane@example.com', ?, 'USD', 5000, ?)").run(T, T);
  db.prepare("INSERT INTO line_items (id, order_id, position, name, quantity, price_minor) VALUES ('li1', 'gid://shopify/Order/1', 1, 'Tent 2P', 1, 5000)").run();
  const bo = db.prepare("INSERT INTO backorders (line_item_id, order_id, quantity_backordered, opened_at) VALUES ('li1', 'gid://shopify/Order/1', 1, ?)").run(T);
  db.prepare("INSERT INTO suppliers (name, emails, domains, updated_at) VALUES ('Acme', '[\"orders@acme-direct.example\"]', '[\"acme.example\"]', ?)").run(T);
  return { backorderId: Number(bo.lastInsertRowid) };
}

let n = 0;
/** Adds an outbox row for order #1001 and returns its id and Message-ID. */
export function addMessage(db: Db, status: string, backorderId: number | null, over: { to?: string; sentAt?: string } = {}): { id: number; messageId: string } {
  n++;
  const messageId = `<bd.t${n}.${Date.now()}@shop.example>`;
  const info = db
    .prepare(
      `INSERT INTO messages (backorder_id, order_id, step_id, channel, to_address, subject, body, facts, status, idempotency_key, message_id, produced_by, attempts, created_at, updated_at, sent_at)
       VALUES (?, 'gid://shopify/Order/1', ?, 'email', ?, 'Order #1001: an update', 'Hello Jane, your tent is on its way to us.', '{}', ?, ?, ?, 'test', 1, ?, ?, ?)`,
    )
    .run(backorderId, `step${n}`, over.to ?? 'jane@example.com', status, `k${n}-${Date.now()}`, messageId, T, T, over.sentAt ?? null);
  return { id: Number(info.lastInsertRowid), messageId };
}

/** The real googleapis client pointed at the fake, with a static access token; pacing and backoff instant. */
export function apiFor(fake: FakeGmail, sleeps: number[] = []): GmailApi {
  const auth = new googleAuth.OAuth2({ clientId: 'test-client' });
  auth.setCredentials({ access_token: 'test-access-token', expiry_date: Date.now() + 3_600_000 });
  const gmail = createGmailClient({ auth, rootUrl: fake.rootUrl, timeoutMs: 5_000 });
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms);
  };
  return new GmailApi(gmail, { pacer: new QuotaPacer({ ratePerSecond: 1e9, burst: 1e9 }), backoff: { sleep, retries: 4 } });
}

export function eml(o: { from: string; to?: string; subject: string; body: string; messageId?: string; inReplyTo?: string; date?: string; extra?: string }): string {
  return [
    `From: ${o.from}`,
    `To: ${o.to ?? 'shop@example.com'}`,
    `Subject: ${o.subject}`,
    `Date: ${o.date ?? 'Tue, 4 Jun 2024 09:30:00 +0000'}`,
    ...(o.messageId ? [`Message-ID: ${o.messageId}`] : []),
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`, `References: ${o.inReplyTo}`] : []),
    ...(o.extra ? [o.extra] : []),
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body,
    '',
  ].join('\r\n');
}
