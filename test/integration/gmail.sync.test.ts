import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/main/store/db';
import { syncGmail, type SyncOptions } from '../../src/main/gmail/sync';
import { readGmailState } from '../../src/main/gmail/store';
import type { InboundMailEvent } from '../../src/main/gmail/ingest';
import { startFakeGmail, type FakeGmail } from '../helpers/fake-gmail';
import { addMessage, apiFor, eml, seed, tmpDb } from '../helpers/gmail-db';

let fake: FakeGmail;
let db: Db;
let backorderId: number;
const now = (): string => new Date().toISOString();

beforeEach(async () => {
  fake = await startFakeGmail({ token: 'test-access-token' });
  db = tmpDb();
  backorderId = seed(db).backorderId;
});
afterEach(async () => {
  db.close();
  await fake.close();
});

const count = (kind?: string): number =>
  db.prepare(`SELECT count(*) FROM inbound_mail ${kind ? 'WHERE kind = ?' : ''}`).pluck().get(...(kind ? [kind] : [])) as number;

function opts(over: Partial<SyncOptions> = {}, sleeps: number[] = []): SyncOptions {
  return { db, api: apiFor(fake, sleeps), now, days: 30, ...over };
}

const csvMail = eml({
  from: 'Acme Sales <sales@acme.example>',
  subject: 'ETA for PO 4411',
  body: 'x',
  messageId: '<acme1@acme.example>',
}).replace(
  'Content-Type: text/plain; charset=utf-8\r\n\r\nx\r\n',
  'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nTents ship 14 June.\r\n--b\r\nContent-Type: text/csv; name="eta.csv"\r\nContent-Disposition: attachment; filename="eta.csv"\r\n\r\nsku,eta\r\nTENT-2P,2024-06-14\r\n--b--\r\n',
);

describe('Gmail sync against the fake Gmail REST server (real googleapis client)', () => {
  it('first sync pulls supplier mail and replies to our messages, routes and links them, and stores the historyId', async () => {
    const sent = addMessage(db, 'sent', backorderId, { sentAt: now() });
    fake.deliver(csvMail);
    fake.deliver(eml({ from: 'Jane <jane@example.com>', subject: 'Re: Order #1001: an update', body: 'Any news?\n\nOn Mon, Shop wrote:\n> delayed', inReplyTo: sent.messageId, messageId: '<j1@example.com>' }));
    fake.deliver(eml({ from: 'news@shop-tools.example', subject: 'Our newsletter', body: 'Buy things' }));
    const replies: InboundMailEvent[] = [];
    const r = await syncGmail(opts({ sink: { customerReply: (e) => void replies.push(e) } }));
    expect(r.mode).toBe('full');
    expect(r).toMatchObject({ supplier: 1, customerReplies: 1, fetched: 2 });
    expect(readGmailState(db)).toMatchObject({ email: 'shop@example.com', historyId: r.historyId });
    const supplier = db.prepare("SELECT * FROM inbound_mail WHERE kind = 'supplier'").get() as Record<string, unknown>;
    expect(supplier.supplier_id).toBe('1');
    expect(supplier.new_text).toBe('Tents ship 14 June.');
    const att = db.prepare('SELECT name, offered_for_import, content FROM inbound_attachments').get() as { name: string; offered_for_import: number; content: Buffer };
    expect(att).toMatchObject({ name: 'eta.csv', offered_for_import: 1 });
    expect(att.content.toString()).toContain('TENT-2P');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.route).toMatchObject({ kind: 'customer_reply', orderId: 'gid://shopify/Order/1', backorderId });
    expect(replies[0]!.mail.newText).toBe('Any news?');
    // The newsletter was never fetched: the first sync asks only for suppliers' and customers' mail.
    expect(fake.count('GET', /^messages\/[^/]+$/)).toBe(2);
  });

  it('afterwards reads history.list: new mail routed, our own sent copies skipped, historyId advanced', async () => {
    await syncGmail(opts());
    const before = readGmailState(db).historyId!;
    fake.deliver(eml({ from: 'orders@acme-direct.example', subject: 'Backorder update', body: 'Ships next week' }));
    fake.deliver(eml({ from: 'someone@else.example', subject: 'Question about #1001', body: 'Where is it?' }));
    fake.deliver(eml({ from: 'random@else.example', subject: 'Hello', body: 'Hi' }));
    fake.deliver(eml({ from: 'shop@example.com', subject: 'sent copy', body: 'x' }), { labelIds: ['SENT'] });
    const r = await syncGmail(opts());
    expect(r.mode).toBe('partial');
    expect(r).toMatchObject({ fetched: 3, supplier: 1, customerReplies: 1, ignored: 1 });
    expect(Number(readGmailState(db).historyId)).toBeGreaterThan(Number(before));
    expect(fake.count('GET', /^history$/)).toBe(1);
    const ignored = db.prepare("SELECT subject, text FROM inbound_mail WHERE kind = 'ignored'").get() as { subject: string; text: string };
    expect(ignored).toEqual({ subject: '', text: '' });
  });

  it('commits the new historyId only after every page is stored; a failed run is replayed without duplicates', async () => {
    await fake.close();
    fake = await startFakeGmail({ token: 'test-access-token', historyPageSize: 2 });
    await syncGmail(opts());
    const start = readGmailState(db).historyId;
    for (let i = 0; i < 5; i++) fake.deliver(eml({ from: `rep${i}@acme.example`, subject: `Update ${i}`, body: `b${i}` }));
    fake.fail({ path: /^messages\/[^/]+$/, status: 500, times: 50 });
    await expect(syncGmail(opts())).rejects.toThrow();
    expect(readGmailState(db).historyId).toBe(start);
    fake.clearFaults();
    const r = await syncGmail(opts());
    expect(r.mode).toBe('partial');
    expect(fake.count('GET', /^history$/)).toBeGreaterThanOrEqual(3 + 3); // 3 pages per run
    expect(count('supplier')).toBe(5);
    await syncGmail(opts());
    expect(count('supplier')).toBe(5);
  });

  it('a 404 for a stale historyId runs a full resync without duplicates', async () => {
    fake.deliver(csvMail);
    await syncGmail(opts());
    fake.deliver(eml({ from: 'b@acme.example', subject: 'Later', body: 'later' }));
    fake.expireHistory();
    const r = await syncGmail(opts());
    expect(r.mode).toBe('full-after-404');
    expect(count('supplier')).toBe(2);
    expect(r.stored).toBe(1);
    expect(readGmailState(db).historyId).toBe(String(fake.historyId));
  });

  it('retries 429, 403 rateLimitExceeded and 5xx with exponential backoff from ≥ 1 s with jitter', async () => {
    fake.deliver(csvMail);
    fake.fail({ path: /^profile$/, status: 429, retryAfterSeconds: 0 });
    fake.fail({ path: /^messages$/, status: 403, reason: 'userRateLimitExceeded' });
    fake.fail({ path: /^messages\/[^/]+$/, status: 503, times: 2 });
    const sleeps: number[] = [];
    const r = await syncGmail(opts({}, sleeps));
    expect(r.supplier).toBe(1);
    expect(sleeps).toHaveLength(4);
    for (const s of sleeps) expect(s).toBeGreaterThanOrEqual(1000);
    // The two consecutive 503s of one message: the second wait is the doubled one.
    expect(sleeps[3]!).toBeGreaterThanOrEqual(2000);
    expect(sleeps[3]!).toBeLessThan(3000);
  });

  it('does not retry a 400, and gives up after the retry budget', async () => {
    fake.fail({ path: /^profile$/, status: 400, reason: 'invalidArgument' });
    const sleeps: number[] = [];
    await expect(syncGmail(opts({}, sleeps))).rejects.toThrow();
    expect(sleeps).toHaveLength(0);
    fake.fail({ path: /^profile$/, status: 500, times: 10 });
    await expect(syncGmail(opts({}, sleeps))).rejects.toThrow();
    expect(sleeps).toHaveLength(4);
  });

  it('fetches in batches of at most 50 and pulls the threads of messages sent through Gmail', async () => {
    for (let i = 0; i < 120; i++) fake.deliver(eml({ from: `s${i}@acme.example`, subject: `Quote ${i}`, body: `q${i}` }));
    const ours = fake.deliver(eml({ from: 'shop@example.com', to: 'bob@example.com', subject: 'Order #1001', body: 'hi', messageId: '<our1@shop.example>' }), { labelIds: ['SENT'] });
    const m = addMessage(db, 'sent', backorderId, { to: 'bob-other@example.com' });
    db.prepare("INSERT INTO gmail_outbound (message_id, gmail_id, thread_id, state, created_at, sent_at) VALUES (?, ?, ?, 'sent', ?, ?)").run(m.messageId, ours.id, ours.threadId, now(), now());
    fake.deliver(eml({ from: 'Bob <bob@example.com>', subject: 'Re: thanks', body: 'Cancel please' }), { threadId: ours.threadId });
    const r = await syncGmail(opts());
    expect(r.supplier).toBe(120);
    expect(r.customerReplies).toBe(1);
    const lists = fake.requests.filter((q) => q.path === 'messages');
    expect(lists.length).toBe(3);
    for (const l of lists) expect(Number(l.query.maxResults)).toBeLessThanOrEqual(50);
    expect(fake.count('GET', /^threads\//)).toBe(1);
  });
});
