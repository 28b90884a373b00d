/**
 * The FTC Mail Order Rule's second-delay consent flow (16 CFR 435.2(b)(2), (c)) end to end through
 * the core on a real SQLite file, a real SMTP server and a fake clock: a first delay notice with a
 * revised range is sent; the supplier's date moves later → a consent request is drafted (instead of
 * the plain ETA-change update); a customer who agrees to wait keeps their order and no task opens;
 * silence past the deadline (the end of the new range, in the store's time zone) opens exactly one
 * cancel-and-refund task; an unclear answer is a task for a person; with the setting off none of it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/app/core';
import type { CommandOutput } from '../../src/shared/contract';
import { ordersExport, productsExport } from '../helpers/shopify-csv';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { call, replyEml, type ReplyMail } from '../helpers/core-calls';

let clock = '2026-11-02T16:00:00.000Z';


const orders = ordersExport([
  { name: '#1001', id: 9001, email: 'ada@example.com', billingName: 'Ada Lovelace', createdAt: '2026-11-01 09:00:00 -0500', total: '18.00',
    lines: [{ qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }] },
  { name: '#1002', id: 9002, email: 'grace@example.com', billingName: 'Grace Hopper', createdAt: '2026-11-01 10:00:00 -0500', total: '18.00',
    lines: [{ qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }] },
  { name: '#1003', id: 9003, email: 'alan@example.com', billingName: 'Alan Turing', createdAt: '2026-11-01 11:00:00 -0500', total: '18.00',
    lines: [{ qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }] },
]);
const products = productsExport([{ handle: 'enamel-mug', title: 'Enamel Mug', option: 'Black', sku: 'MUG-BLK', qty: -3, policy: 'continue', price: '18.00', vendor: 'Kiln Works' }]);

const eml = (o: Omit<ReplyMail, 'date'>): { name: string; content: string } => replyEml({ ...o, date: 'Thu, 05 Nov 2026 10:00:00 -0500' });

/** Approves every draft and sends it through the SMTP server; returns the sent rows. */
async function approveAndSend(core: Core): Promise<CommandOutput<'drafts.list'>> {
  const drafts = await call(core, 'drafts.list', { status: ['draft'] });
  expect(drafts.flatMap((d) => d.violations)).toEqual([]);
  await call(core, 'drafts.approve', { ids: drafts.map((d) => d.id) });
  const sent = await call(core, 'outbox.send', {});
  expect(sent.sent).toBe(drafts.length);
  return drafts;
}

describe('FTC Mail Order Rule: consent after a second delay', () => {
  let dir: string;
  let smtp: TestSmtpServer;
  let core: Core;

  async function start(ftcMailOrderRule: boolean): Promise<void> {
    core = createCore({
      dbPath: path.join(dir, 'store.db'),
      now: () => clock,
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' },
      settings: { storeName: 'Juniper Test Shop', fromAddress: 'Juniper Test Shop <hello@example.com>', timezone: 'America/New_York', ftcMailOrderRule },
    });
    await call(core, 'import.files', { files: [{ name: 'products_export.csv', content: products }, { name: 'orders_export.csv', content: orders }] });
    await call(core, 'suppliers.list', {});
  }

  const variantId = (): string => core.db.prepare("SELECT id FROM variants WHERE sku = 'MUG-BLK'").pluck().get() as string;
  const quote = (start: string, end: string, quotedAt: string): Promise<unknown> => call(core, 'eta.addQuote', { variantId: variantId(), start, end, quotedAt });
  const tasksOf = async (kind: string): Promise<CommandOutput<'tasks.list'>> => call(core, 'tasks.list', { kind: [kind] });

  /** First delay: the hour-0 notice with the revised range Nov 16–20 goes out to all three customers. */
  async function firstDelayNotice(): Promise<void> {
    await quote('2026-11-16', '2026-11-20', '2026-11-02');
    await call(core, 'scheduler.tick', {});
    const notices = await approveAndSend(core);
    expect(notices.map((n) => n.stepId)).toEqual(['initial_notice', 'initial_notice', 'initial_notice']);
  }

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-ftc-'));
    smtp = await startSmtpServer();
    clock = '2026-11-02T16:00:00.000Z';
  });
  afterEach(async () => {
    core.close();
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('first delay → notice; second delay → consent request; consent keeps the order, silence opens one cancel-and-refund task', async () => {
    await start(true);
    await firstDelayNotice();
    expect(smtp.received.map((m) => m.rcptTo).flat().sort()).toEqual(['ada@example.com', 'alan@example.com', 'grace@example.com']);
    const first = (await call(core, 'drafts.list', { status: ['sent'] })).find((m) => m.orderName === '#1001')!;
    expect(first.body).toMatch(/between Nov 16 and Nov 20/);
    expect(first.body).toMatch(/right to cancel for a full refund/);

    // Second delay: the supplier's date moves two weeks later.
    clock = '2026-11-05T15:00:00.000Z';
    await quote('2026-12-01', '2026-12-04', '2026-11-05');
    const tick = await call(core, 'scheduler.tick', {});
    expect(tick.drafted).toBe(3);
    const requests = await call(core, 'drafts.list', { status: ['draft'] });
    expect(requests.map((r) => r.stepId)).toEqual(['ftc_consent_request', 'ftc_consent_request', 'ftc_consent_request']);
    const r0 = requests[0]!;
    expect(r0.violations).toEqual([]);
    expect(r0.stepLabel).toBe('FTC consent request (second delay)');
    expect(r0.body).toMatch(/between Dec 1 and Dec 4/);
    expect(r0.body).toMatch(/reply "I'll wait"/);
    expect(r0.body).toMatch(/cancel now for a full refund/);
    expect(r0.body).toMatch(/Replying to this email is free/);
    expect(r0.body).toMatch(/If we haven't heard that you'll wait by Friday, December 4, we'll cancel your order and refund you in full/);
    // One message, not two: the plain ETA-change update waits.
    expect(core.db.prepare("SELECT count(*) FROM messages WHERE step_id = 'eta_change_update'").pluck().get()).toBe(0);
    await approveAndSend(core);
    const sentRequests = (await call(core, 'drafts.list', { status: ['sent'] })).filter((m) => m.stepId === 'ftc_consent_request');
    const requestOf = new Map(sentRequests.map((m) => [m.orderName, m.messageId]));
    expect((await call(core, 'backorders.list', {})).map((b) => b.ftcConsent)).toEqual(['awaiting', 'awaiting', 'awaiting']);

    // (a) Ada agrees to wait: consent recorded, no task, her sequence goes on.
    clock = '2026-11-06T15:00:00.000Z';
    const a = await call(core, 'replies.import', {
      files: [eml({ from: 'ada@example.com', subject: 'Re: Order #1001', id: 'ada-wait', inReplyTo: requestOf.get('#1001')!, body: "Yes, I'll wait. Thanks for letting me know." })],
    });
    expect(a.files[0]!.messages[0]).toMatchObject({ orderName: '#1001', tasks: [], consent: 'consent' });
    const adaEvents = core.db
      .prepare("SELECT at, data FROM backorder_events e JOIN backorders b ON b.id = e.backorder_id JOIN orders o ON o.id = b.order_id WHERE o.name = '#1001' AND e.kind = 'ftc_consent'")
      .all() as { at: string; data: string }[];
    expect(adaEvents).toHaveLength(1);
    expect(adaEvents[0]!.at).toBe(clock);
    expect(JSON.parse(adaEvents[0]!.data)).toMatchObject({ answer: 'consent', mailId: expect.any(Number) });

    // Alan's answer is unclear: a person decides, it is not consent.
    const c = await call(core, 'replies.import', {
      files: [eml({ from: 'alan@example.com', subject: 'Re: Order #1003', id: 'alan-maybe', inReplyTo: requestOf.get('#1003')!, body: 'Hmm. Is there any chance it comes sooner?' })],
    });
    expect(c.files[0]!.messages[0]).toMatchObject({ consent: 'unclear', answerMessageId: null });
    expect(c.files[0]!.messages[0]!.tasks.map((t) => t.kind)).toEqual(['ftc_consent_unclear']);
    const unclear = await call(core, 'tasks.get', { id: c.files[0]!.messages[0]!.tasks[0]!.id });
    expect(unclear.actions.map((x) => x.id)).toEqual(['record_consent']);
    expect(unclear.ftc).toMatchObject({ state: 'awaiting', answers: [{ answer: 'unclear', by: 'reply' }] });

    const list = await call(core, 'backorders.list', {});
    expect(list.map((b) => [b.orderName, b.ftcConsent, b.paused])).toEqual([
      ['#1001', 'consented', false],
      ['#1002', 'awaiting', false],
      ['#1003', 'awaiting', true],
    ]);

    // Grace's answer never comes. Alan calls the shop and says he will wait: a person records it.
    clock = '2026-11-07T15:00:00.000Z';
    const recorded = await call(core, 'tasks.act', { id: unclear.task.id, action: 'record_consent', confirm: true });
    expect(recorded).toMatchObject({ outcome: 'recorded', task: { status: 'resolved' } });
    expect((await core.dispatch('tasks.act', { id: unclear.task.id, action: 'record_consent', confirm: true })).ok).toBe(false);
    expect((await call(core, 'tasks.get', { id: unclear.task.id })).ftc).toMatchObject({ state: 'consented', answers: [{ answer: 'unclear' }, { answer: 'consent', by: 'person' }] });
    expect((await call(core, 'backorders.list', {})).find((b) => b.orderName === '#1003')).toMatchObject({ ftcConsent: 'consented', paused: false });

    // The deadline is Friday, December 4 in New York: still that day at 23:00 local → nothing yet.
    clock = '2026-12-05T04:00:00.000Z';
    await call(core, 'scheduler.tick', {});
    expect(await tasksOf('ftc_no_consent')).toEqual([]);

    // (b) A day later (the laptop slept meanwhile): one task for each customer who did not agree.
    clock = '2026-12-05T14:00:00.000Z';
    await call(core, 'scheduler.tick', {});
    await call(core, 'scheduler.tick', {});
    const overdue = await tasksOf('ftc_no_consent');
    expect(overdue.map((t) => t.orderName)).toEqual(['#1002']);

    const detail = await call(core, 'tasks.get', { id: overdue.find((t) => t.orderName === '#1002')!.id });
    expect(detail.rule).toMatchObject({ stepId: 'ftc_no_consent', kind: 'ftc_no_consent' });
    expect(detail.task.reason).toMatch(/16 CFR 435\.2\(b\)\(2\)/);
    // Cancel and refund; or, if the customer agreed another way after all, record it.
    expect(detail.actions.map((x) => x.id)).toEqual(['cancel_refund', 'record_consent']);
    expect(detail.ftc).toMatchObject({ state: 'overdue', firstNotice: { revisedEnd: '2026-11-20' }, request: { deadline: '2026-12-04', etaStart: '2026-12-01', etaEnd: '2026-12-04', status: 'sent' }, answers: [] });
    // The whole history: the first notice, the consent request, then the timeline's later updates.
    expect(detail.history.slice(0, 2).map((h) => [h.direction, h.status, h.subject])).toEqual([
      ['out', 'sent', 'Order #1002: your Enamel Mug - Black is on backorder'],
      ['out', 'sent', 'Order #1002: another delay for your Enamel Mug - Black. Will you wait?'],
    ]);
    expect((await call(core, 'backorders.list', {})).find((b) => b.orderName === '#1002')).toMatchObject({ paused: true, ftcConsent: 'overdue' });

    const act = await call(core, 'tasks.act', { id: detail.task.id, action: 'cancel_refund', confirm: true });
    expect(act.outcome).toBe('recorded');
    await call(core, 'scheduler.tick', {});
    expect((await tasksOf('ftc_no_consent')).length).toBe(1); // never a second one
    expect((await call(core, 'backorders.list', {})).map((b) => b.orderName)).toEqual(['#1001', '#1003']);
  });

  it('a cancel request in answer has the cancel task and no second one at the deadline', async () => {
    await start(true);
    await firstDelayNotice();
    clock = '2026-11-05T15:00:00.000Z';
    await quote('2026-12-01', '2026-12-04', '2026-11-05');
    await call(core, 'scheduler.tick', {});
    await approveAndSend(core);
    const request = (await call(core, 'drafts.list', { status: ['sent'] })).find((m) => m.stepId === 'ftc_consent_request' && m.orderName === '#1002')!;
    const r = await call(core, 'replies.import', { files: [eml({ from: 'grace@example.com', subject: 'Re: #1002', id: 'g-cancel', inReplyTo: request.messageId, body: 'Please cancel it.' })] });
    expect(r.files[0]!.messages[0]!.tasks.map((t) => t.kind)).toEqual(['cancel_requested']);
    expect(r.files[0]!.messages[0]!.consent).toBe('cancel');
    // Recording consent is no action of a cancel task.
    const notConsent = await core.dispatch('tasks.act', { id: r.files[0]!.messages[0]!.tasks[0]!.id, action: 'record_consent', confirm: true });
    expect(notConsent).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    clock = '2026-12-06T14:00:00.000Z';
    await call(core, 'scheduler.tick', {});
    expect((await tasksOf('ftc_no_consent')).map((t) => t.orderName).sort()).toEqual(['#1001', '#1003']);
    // Resolved without cancelling (the customer was talked round but never said "wait"): silence is no consent.
    await call(core, 'tasks.resolve', { id: r.files[0]!.messages[0]!.tasks[0]!.id, note: 'Spoke to her, no decision.' });
    await call(core, 'scheduler.tick', {});
    expect((await tasksOf('ftc_no_consent')).map((t) => t.orderName).sort()).toEqual(['#1001', '#1002', '#1003']);
  });

  it('the revised date passing without shipment is a second delay too', async () => {
    await start(true);
    await firstDelayNotice();
    clock = '2026-11-21T15:00:00.000Z'; // Nov 20 is over, the mug has not come
    await call(core, 'scheduler.tick', {});
    const requests = (await call(core, 'drafts.list', { status: ['draft'] })).filter((m) => m.stepId === 'ftc_consent_request');
    expect(requests).toHaveLength(3);
    expect(requests.flatMap((m) => m.violations)).toEqual([]);
  });

  it('(c) with the FTC setting off: the ETA-change update as usual, no consent request, no task', async () => {
    await start(false);
    await firstDelayNotice();
    clock = '2026-11-05T15:00:00.000Z';
    await quote('2026-12-01', '2026-12-04', '2026-11-05');
    await call(core, 'scheduler.tick', {});
    expect((await call(core, 'drafts.list', { status: ['draft'] })).map((m) => m.stepId)).toEqual(['eta_change_update', 'eta_change_update', 'eta_change_update']);
    await approveAndSend(core);
    clock = '2026-12-06T14:00:00.000Z';
    await call(core, 'scheduler.tick', {});
    expect(core.db.prepare("SELECT count(*) FROM messages WHERE step_id = 'ftc_consent_request'").pluck().get()).toBe(0);
    expect(await tasksOf('ftc_no_consent')).toEqual([]);
    expect((await call(core, 'backorders.list', {})).map((b) => b.ftcConsent)).toEqual([null, null, null]);
  });
});
