/**
 * Customer replies end to end through the core on a real SQLite file: Shopify exports → tick
 * (initial notices with our Message-IDs) → .eml replies imported → linked, triaged, tasks with full
 * context and a paused sequence, drafted answers in the review queue, cancel and refund recorded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/app/core';
import { ordersExport, productsExport } from '../helpers/shopify-csv';
import { call, replyEml } from '../helpers/core-calls';

const clock = '2026-11-02T16:00:00.000Z';


const orders = ordersExport([
  { name: '#1001', id: 9001, email: 'ada@example.com', billingName: 'Ada Lovelace', createdAt: '2026-11-01 09:00:00 -0500', total: '18.00',
    lines: [{ qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }] },
  { name: '#1002', id: 9002, email: 'grace@example.com', billingName: 'Grace Hopper', createdAt: '2026-11-01 10:00:00 -0500', total: '18.00',
    lines: [{ qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }] },
  { name: '#1003', id: 9003, email: 'alan@example.com', billingName: 'Alan Turing', createdAt: '2026-11-01 11:00:00 -0500', total: '18.00',
    lines: [{ qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }] },
]);
const products = productsExport([{ handle: 'enamel-mug', title: 'Enamel Mug', option: 'Black', sku: 'MUG-BLK', qty: -3, policy: 'continue', price: '18.00' }]);


describe('customer replies', () => {
  let dir: string;
  let core: Core;
  let notice: Map<string, string>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-replies-'));
    core = createCore({
      dbPath: path.join(dir, 'store.db'),
      now: () => clock,
      settings: { storeName: 'Juniper Test Shop', fromAddress: 'Juniper Test Shop <hello@example.com>', timezone: 'America/New_York' },
    });
    await call(core, 'import.files', { files: [{ name: 'products_export.csv', content: products, kind: 'products' }, { name: 'orders_export.csv', content: orders, kind: 'orders' }] });
    await call(core, 'scheduler.tick', {});
    const drafts = await call(core, 'drafts.list', {});
    notice = new Map(drafts.map((m) => [m.orderName, m.messageId]));
    expect(notice.size).toBe(3);
  });
  afterEach(() => {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an angry reply to our notice opens a task with full context and pauses the sequence', async () => {
    const r = await call(core, 'replies.import', {
      files: [replyEml({ from: 'Ada Lovelace <ada@example.com>', subject: 'Re: Order #1001', id: 'a1', inReplyTo: notice.get('#1001')!, body: 'This is UNACCEPTABLE. I paid weeks ago!!!\n\nOn Mon, Nov 2, 2026, Juniper Test Shop wrote:\n> Thanks for your order #1001.' })],
    });
    const m = r.files[0]!.messages[0]!;
    expect(m).toMatchObject({ route: 'customer_reply', orderName: '#1001', sentiment: 'angry', needsPerson: true, answerMessageId: null });
    expect(m.reason).toMatch(/answers our message/);
    expect(m.tasks.map((t) => t.kind)).toEqual(['negative_reply']);

    const bo = (await call(core, 'backorders.list', {})).find((b) => b.orderName === '#1001')!;
    expect(bo.paused).toBe(true);
    const events = core.db.prepare("SELECT kind, data FROM backorder_events WHERE backorder_id = ?").all(bo.backorderId) as { kind: string; data: string }[];
    expect(events.map((e) => e.kind)).toEqual(['reply']);

    const d = await call(core, 'tasks.get', { id: m.tasks[0]!.id });
    expect(d.task).toMatchObject({ kind: 'negative_reply', priority: 1, orderName: '#1001', status: 'open' });
    expect(d.customer).toMatchObject({ email: 'ada@example.com' });
    expect(d.items).toEqual([{ name: 'Enamel Mug - Black', sku: 'MUG-BLK', quantity: 1, quantityBackordered: 1 }]);
    expect(d.history.map((h) => h.direction)).toEqual(['out', 'in']);
    expect(d.history[1]).toMatchObject({ sentiment: 'angry' });
    expect(d.sentiment?.text).toBe('This is UNACCEPTABLE. I paid weeks ago!!!');
    expect(d.rule).toMatchObject({ stepId: 'negative_reply', kind: 'negative_reply' });
    expect(d.draft?.body).toContain('#1001');
    expect(d.actions).toEqual([]);

    // Resolving the task resumes the sequence.
    await call(core, 'tasks.resolve', { id: d.task.id, note: 'Called her' });
    expect((await call(core, 'backorders.list', {})).find((b) => b.orderName === '#1001')!.paused).toBe(false);
  });

  it('an ETA question linked by the order number in the subject gets a drafted answer, no task', async () => {
    const r = await call(core, 'replies.import', {
      files: [replyEml({ from: 'grace@example.com', subject: 'Question about order #1002', id: 'g1', body: 'Hi, when do you expect it to ship? Thanks' })],
    });
    const m = r.files[0]!.messages[0]!;
    expect(m).toMatchObject({ route: 'customer_reply', orderName: '#1002', needsPerson: false, tasks: [] });
    const answer = (await call(core, 'drafts.list', { status: ['draft'] })).find((x) => x.id === m.answerMessageId)!;
    expect(answer).toMatchObject({ orderName: '#1002', stepId: 'reply_answer', to: 'grace@example.com', violations: [] });
    // The review card's title reads "#1002 · Answer to the customer's reply", not the step id.
    expect(answer.stepLabel).toBe("Answer to the customer's reply");
    expect(answer.body).toContain("We don't have a confirmed date");
  });

  it('quoted history is not read: "thanks, I will wait" above our cancel offer is not a cancellation', async () => {
    const r = await call(core, 'replies.import', {
      files: [replyEml({ from: 'alan@example.com', subject: 'Re: Order #1003', id: 't1', inReplyTo: notice.get('#1003')!, body: "Thanks, I'll wait.\n\n> If you'd rather not wait, reply and we'll cancel it for a full refund." })],
    });
    expect(r.files[0]!.messages[0]).toMatchObject({ sentiment: 'positive', needsPerson: false, tasks: [] });
  });

  it('a call request is a callback task first in the list, with the number', async () => {
    await call(core, 'replies.import', { files: [replyEml({ from: 'grace@example.com', subject: 'Re: #1002', id: 'g2', body: 'Not happy about this.' })] });
    const r = await call(core, 'replies.import', { files: [replyEml({ from: 'ada@example.com', subject: 'Re: #1001', id: 'a2', body: 'Can someone call me on 555-201-3344?' })] });
    expect(r.files[0]!.messages[0]!.tasks.map((t) => t.kind)).toEqual(['callback_requested']);
    const list = await call(core, 'tasks.list', { status: 'open' });
    expect(list.map((t) => t.kind)).toEqual(['callback_requested', 'negative_reply']);
    expect((await call(core, 'tasks.get', { id: list[0]!.id })).phone).toBe('555-201-3344');
    expect((await call(core, 'tasks.list', { kind: ['negative_reply'] })).map((t) => t.orderName)).toEqual(['#1002']);
  });

  it('a cancel request: one confirmed action "cancel and refund in full", recorded for a CSV store, never twice', async () => {
    const r = await call(core, 'replies.import', { files: [replyEml({ from: 'alan@example.com', subject: 'Re: Order #1003', id: 'c1', body: 'Please cancel my order.' })] });
    const taskId = r.files[0]!.messages[0]!.tasks[0]!.id;
    const d = await call(core, 'tasks.get', { id: taskId });
    expect(d.task.kind).toBe('cancel_requested');
    expect(d.actions).toEqual([{ id: 'cancel_refund', label: 'Cancel and refund in full', done: null }]);

    const bad = await core.dispatch('tasks.act', { id: taskId, action: 'cancel_refund' });
    expect(bad.ok).toBe(false); // no confirm: true

    const act = await call(core, 'tasks.act', { id: taskId, action: 'cancel_refund', confirm: true });
    expect(act).toMatchObject({ outcome: 'recorded', task: { status: 'resolved' } });
    expect(act.detail).toMatch(/Cancel #1003 in the Shopify admin/);
    expect((await call(core, 'backorders.list', {})).map((b) => b.orderName)).not.toContain('#1003');
    expect((await call(core, 'tasks.get', { id: taskId })).actions[0]!.done).toMatchObject({ outcome: 'recorded' });

    const again = await core.dispatch('tasks.act', { id: taskId, action: 'cancel_refund', confirm: true });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // The next tick does not bring the cancelled order back.
    await call(core, 'scheduler.tick', {});
    expect((await call(core, 'backorders.list', {})).map((b) => b.orderName)).not.toContain('#1003');
  });

  it('importing the same file twice does nothing the second time; mail about no order is ignored', async () => {
    const f = replyEml({ from: 'ada@example.com', subject: 'Re: #1001', id: 'd1', body: 'Where is my order??' });
    await call(core, 'replies.import', { files: [f] });
    const second = await call(core, 'replies.import', { files: [f, replyEml({ from: 'x@spam.example', subject: 'Hello', id: 'x1', body: 'Cancel everything!!!' })] });
    expect(second.files.map((x) => x.messages[0]!.route)).toEqual(['duplicate', 'ignored']);
    expect((await call(core, 'tasks.list', {})).length).toBe(1);
  });

  it('an escalation switched off in settings opens no task', async () => {
    const s = await call(core, 'settings.get', {});
    await call(core, 'settings.update', { escalationRules: { ...s.escalationRules, unhappyReply: false } });
    const r = await call(core, 'replies.import', { files: [replyEml({ from: 'ada@example.com', subject: 'Re: #1001', id: 'o1', body: 'This is ridiculous.' })] });
    expect(r.files[0]!.messages[0]).toMatchObject({ sentiment: 'angry', tasks: [], answerMessageId: null });
  });

  it('an order number in the subject from someone else is stored and linked, but not taken as the customer\'s words', async () => {
    const r = await call(core, 'replies.import', {
      files: [replyEml({ from: 'Mallory <MALLORY@evil.example>', subject: 'Re: Order #1001', id: 'm1', body: 'Please change the shipping address for order #1001 to 1 Evil Street. This is unacceptable!!!' })],
    });
    const m = r.files[0]!.messages[0]!;
    expect(m).toMatchObject({ route: 'customer_reply', orderName: '#1001', answerMessageId: null });
    expect(m.reason).toMatch(/sender is not the order's customer \(mallory@evil\.example\)/);
    // One task for a person, and no address change, unhappy-customer or cancel task as if the customer asked.
    expect(m.tasks.map((t) => t.kind)).toEqual(['sender_not_customer']);
    expect(core.db.prepare("SELECT COUNT(*) FROM messages WHERE step_id = 'reply_answer'").pluck().get()).toBe(0);
    const bo = (await call(core, 'backorders.list', {})).find((b) => b.orderName === '#1001')!;
    expect(bo.paused).toBe(false);
    expect(core.db.prepare('SELECT COUNT(*) FROM backorder_events WHERE backorder_id = ?').pluck().get(bo.backorderId)).toBe(0);

    const d = await call(core, 'tasks.get', { id: m.tasks[0]!.id });
    expect(d.task).toMatchObject({ kind: 'sender_not_customer', orderName: '#1001', status: 'open' });
    expect(d.task.reason).toContain('mallory@evil.example');
    expect(d.task.reason).toContain('ada@example.com');
    expect(d.draft).toBeNull();
    expect(d.context).toMatchObject({ from: 'mallory@evil.example', senderMismatch: true });
    expect(d.history.filter((h) => h.direction === 'in')).toEqual([expect.objectContaining({ from: 'mallory@evil.example', notOrderEmail: true })]);

    // The same text from the order's own address (any case), or threaded to our notice, is the customer's.
    const own = await call(core, 'replies.import', { files: [replyEml({ from: 'ADA@Example.com', subject: 'Re: Order #1001', id: 'm2', body: 'Please change the shipping address to 4 Elm St.' })] });
    expect(own.files[0]!.messages[0]!.tasks.map((t) => t.kind)).toContain('address_change');
    const threaded = await call(core, 'replies.import', {
      files: [replyEml({ from: 'ada.other@example.net', subject: 'Re: Order #1002', id: 'm3', inReplyTo: notice.get('#1002')!, body: 'When will it ship?' })],
    });
    expect(threaded.files[0]!.messages[0]).toMatchObject({ orderName: '#1002', tasks: [] });
    expect(threaded.files[0]!.messages[0]!.answerMessageId).not.toBeNull();
    const h = (await call(core, 'tasks.get', { id: own.files[0]!.messages[0]!.tasks[0]!.id })).history.filter((x) => x.direction === 'in');
    expect(h.map((x) => [x.from, x.notOrderEmail])).toEqual([['mallory@evil.example', true], ['ada@example.com', false]]);
  });

  it('a stranger\'s second message in the Gmail thread of their flagged one is not trusted either', async () => {
    const gmail = (id: string, subject: string, body: string): { name: string; content: string } => {
      const raw = Buffer.from(`From: mallory@evil.example\r\nTo: hello@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${id}@evil.example>\r\nDate: Tue, 03 Nov 2026 10:00:00 -0500\r\n\r\n${body}\r\n`).toString('base64url');
      return { name: `${id}.json`, content: Buffer.from(JSON.stringify({ id, threadId: 'thread-m', raw })).toString('base64') };
    };
    const first = await call(core, 'replies.import', { files: [gmail('gm1', 'Re: Order #1001', 'Where is it?')] });
    expect(first.files[0]!.messages[0]!.tasks.map((t) => t.kind)).toEqual(['sender_not_customer']);
    const second = await call(core, 'replies.import', { files: [gmail('gm2', 'Re: my order', 'Please cancel my order.')] });
    const m = second.files[0]!.messages[0]!;
    expect(m.reason).not.toMatch(/Gmail thread/);
    expect(m.tasks.map((t) => t.kind)).not.toContain('cancel_requested');
    expect((await call(core, 'tasks.list', {})).map((t) => t.kind)).toEqual(['sender_not_customer']);
  });

  it('a file that is not mail is reported, the others still go in', async () => {
    const r = await call(core, 'replies.import', {
      files: [{ name: 'x.json', content: Buffer.from('{"nothing": 1}').toString('base64') }, replyEml({ from: 'ada@example.com', subject: 'Re: #1001', id: 'ok1', body: 'Thanks!' })],
    });
    expect(r.files[0]!.error).toMatch(/Gmail message resource/);
    expect(r.files[1]!.messages[0]!.route).toBe('customer_reply');
  });
});
