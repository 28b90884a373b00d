/**
 * The backorder loop end to end through the core, on real SQLite files and a real SMTP server:
 * import Shopify exports → detection → hour-0 drafts → approve → send → restock → restock notice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/app/core';
import { ordersExport, productsExport, type VariantSpec } from '../helpers/shopify-csv';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { call, replyEml } from '../helpers/core-calls';
import type { CommandOutput } from '../../src/shared/contract';

let clock = '2026-11-02T16:00:00.000Z';
const hoursLater = (h: number): string => new Date(Date.parse(clock) + h * 3_600_000).toISOString();


const variants = (mugQty: number): VariantSpec[] => [
  { handle: 'enamel-mug', title: 'Enamel Mug', option: 'Black', sku: 'MUG-BLK', qty: mugQty, policy: 'continue', price: '18.00' },
  { handle: 'trail-tee', title: 'Trail Tee', option: 'Medium', sku: 'TEE-M', qty: 5, policy: 'deny', price: '32.00' },
  // Shopify's available already subtracts the pack #1004 committed: -1 means none on hand.
  { handle: 'trail-pack', title: 'Trail Pack', option: 'Green', sku: '', qty: -1, policy: 'continue', price: '120.00' },
];

const orders = ordersExport([
  { name: '#1001', id: 9001, email: 'ada@example.com', billingName: 'Ada Lovelace', createdAt: '2026-11-01 09:00:00 -0500', total: '36.00',
    lines: [{ qty: 2, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }] },
  { name: '#1002', id: 9002, email: 'grace@example.com', billingName: 'Grace Hopper', createdAt: '2026-11-01 10:00:00 -0500', total: '18.00',
    lines: [{ qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }] },
  { name: '#1003', id: 9003, email: 'alan@example.com', billingName: 'Alan Turing', createdAt: '2026-11-01 11:00:00 -0500', total: '50.00',
    lines: [
      { qty: 1, name: 'Trail Tee - Medium', price: '32.00', sku: 'TEE-M' },
      { qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' },
    ] },
  // No SKU in the export: matched by "product title - variant title".
  { name: '#1004', id: 9004, email: 'katherine@example.com', billingName: 'Katherine Johnson', createdAt: '2026-11-01 12:00:00 -0500', total: '120.00',
    lines: [{ qty: 1, name: 'Trail Pack - Green', price: '120.00', sku: '' }] },
]);

describe('the backorder loop on Shopify exports', () => {
  let dir: string;
  let smtp: TestSmtpServer;
  let core: Core;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-loop-'));
    smtp = await startSmtpServer();
    clock = '2026-11-02T16:00:00.000Z';
    core = createCore({
      dbPath: path.join(dir, 'store.db'),
      now: () => clock,
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' },
      settings: { storeName: 'Juniper Test Shop', fromAddress: 'Juniper Test Shop <hello@example.com>', timezone: 'America/New_York' },
    });
  });
  afterEach(async () => {
    core.close();
    await smtp.close();
  });

  it('finds backorders FIFO, drafts hour-0 notices, sends approved ones exactly once, and follows the restock', async () => {
    // mug: available -2 with 4 units committed → 2 on hand → #1001 covered, #1002 and #1003 backordered.
    const report = await call(core, 'import.files', {
      files: [
        { name: 'products_export.csv', content: productsExport(variants(-2)) },
        { name: 'orders_export.csv', content: orders },
      ],
    });
    expect(report.files.map((f) => f.kind).sort()).toEqual(['orders', 'products']);
    expect(report.backordersOpened).toBe(3);

    const backorders = await call(core, 'backorders.list', {});
    expect(backorders.map((b) => [b.orderName, b.lineItemName, b.quantityBackordered])).toEqual([
      ['#1002', 'Enamel Mug - Black', 1],
      ['#1003', 'Enamel Mug - Black', 1],
      ['#1004', 'Trail Pack - Green', 1],
    ]);

    const tick = await call(core, 'scheduler.tick', {});
    expect(tick.drafted).toBe(3);
    // #1003 has a tee in stock: a person decides about shipping part of it now.
    const tasks = await call(core, 'tasks.list', { status: 'open' });
    expect(tasks.map((t) => [t.orderName, t.kind])).toEqual([['#1003', 'partial_shipment']]);

    const drafts = await call(core, 'drafts.list', { status: ['draft'] });
    expect(drafts).toHaveLength(3);
    for (const d of drafts) {
      expect(d.violations).toEqual([]);
      expect(d.stepId).toBe('initial_notice');
      expect(d.body).toContain(d.orderName);
    }
    // A second tick at the same time drafts nothing new.
    expect((await call(core, 'scheduler.tick', {})).drafted).toBe(0);

    const toSend = drafts.filter((d) => d.orderName !== '#1004').map((d) => d.id);
    const approved = await call(core, 'drafts.approve', { ids: toSend });
    expect(approved).toEqual({ changed: 2, refused: [] });

    // Two clicks on "send" at once: one batch, each message once.
    const [a, b] = await Promise.all([call(core, 'outbox.send', {}), call(core, 'outbox.send', {})]);
    expect(a.sent).toBe(2);
    expect(b.sent).toBe(2);
    expect(smtp.received.map((m) => m.rcptTo).flat().sort()).toEqual(['alan@example.com', 'grace@example.com']);
    const sent = await call(core, 'drafts.list', { status: ['sent'] });
    expect(sent.map((m) => m.messageId).sort()).toEqual(smtp.received.map((m) => m.messageId).sort());
    expect((await call(core, 'outbox.send', {})).sent).toBe(0);

    // Three days later: the day-3 step for every open backorder (#1004's hour-0 draft is still unsent).
    clock = hoursLater(72);
    const day3 = await call(core, 'scheduler.tick', {});
    expect(day3.drafted).toBe(3);

    // A new products export: the mug is restocked (10 available) → restock notices, stale drafts dropped.
    clock = hoursLater(2);
    const restock = await call(core, 'import.files', { files: [{ name: 'products_export (1).csv', content: productsExport(variants(10)) }] });
    expect(restock.backordersClosed).toBe(2);
    const after = await call(core, 'scheduler.tick', {});
    expect(after.drafted).toBe(2);
    const open = await call(core, 'drafts.list', { status: ['draft'] });
    expect(open.filter((m) => m.stepId === 'restock_notice').map((m) => m.orderName).sort()).toEqual(['#1002', '#1003']);
    const discarded = await call(core, 'drafts.list', { status: ['discarded'] });
    // #1004's unsent hour-0 notice was replaced by its day-3 update; the mug's day-3 drafts by the restock.
    expect(discarded.map((m) => [m.orderName, m.stepId]).sort()).toEqual([['#1002', 'day3_update'], ['#1003', 'day3_update'], ['#1004', 'initial_notice']]);
    expect(discarded.find((m) => m.orderName === '#1004')?.lastError).toMatch(/replaced by the newer "Day 3 update"/);
    expect((await call(core, 'backorders.list', {})).map((b) => b.orderName)).toEqual(['#1004']);
  });

  /** On `c`: the exports imported (two variants sold out) and one tick run; the drafts left for review. */
  const importAndTick = async (c: Core = core): Promise<CommandOutput<'drafts.list'>> => {
    await call(c, 'import.files', { files: [{ name: 'p.csv', content: productsExport(variants(-2)) }, { name: 'o.csv', content: orders }] });
    await call(c, 'scheduler.tick', {});
    return call(c, 'drafts.list', { status: ['draft'] });
  };

  /** [order, step] of every message in the outbox (any status), optionally of these steps only. */
  const drafted = (...steps: string[]): [string, string][] =>
    (core.db.prepare('SELECT o.name, m.step_id FROM messages m JOIN orders o ON o.id = m.order_id ORDER BY o.name, m.step_id').raw().all() as [string, string][])
      .filter(([, step]) => steps.length === 0 || steps.includes(step));

  it('restock and shipping messages go only to customers who were told about the backorder', async () => {
    const notices = await importAndTick();
    const of = (name: string) => notices.find((d) => d.orderName === name)!;
    // #1002 is told; #1003's notice is discarded; #1004's stays an unsent draft.
    await call(core, 'drafts.approve', { ids: [of('#1002').id] });
    expect((await call(core, 'outbox.send', {})).sent).toBe(1);
    await call(core, 'drafts.discard', { ids: [of('#1003').id] });

    clock = hoursLater(2);
    const restock = await call(core, 'import.files', { files: [{ name: 'p2.csv', content: productsExport(variants(10)) }] });
    expect(restock.backordersClosed).toBe(2);
    await call(core, 'scheduler.tick', {});
    expect(drafted('restock_notice', 'shipped_confirmation')).toEqual([['#1002', 'restock_notice']]);

    // Both mug lines ship: only #1002's customer gets the shipping confirmation.
    clock = hoursLater(5);
    const shipped = ordersExport([
      { name: '#1002', id: 9002, email: 'grace@example.com', billingName: 'Grace Hopper', createdAt: '2026-11-01 10:00:00 -0500', total: '18.00',
        fulfillment: 'fulfilled', fulfilledAt: '2026-11-02 16:00:00 -0500',
        lines: [{ qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK', status: 'fulfilled' }] },
      { name: '#1003', id: 9003, email: 'alan@example.com', billingName: 'Alan Turing', createdAt: '2026-11-01 11:00:00 -0500', total: '50.00',
        fulfillment: 'fulfilled', fulfilledAt: '2026-11-02 16:00:00 -0500',
        lines: [
          { qty: 1, name: 'Trail Tee - Medium', price: '32.00', sku: 'TEE-M', status: 'fulfilled' },
          { qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK', status: 'fulfilled' },
        ] },
    ]);
    await call(core, 'import.files', { files: [{ name: 'o2.csv', content: shipped }] });
    const fulfilledEvents = core.db.prepare("SELECT count(*) FROM backorder_events WHERE kind = 'fulfilled'").pluck().get();
    expect(fulfilledEvents).toBe(2);
    await call(core, 'scheduler.tick', {});
    expect(drafted('restock_notice', 'shipped_confirmation')).toEqual([['#1002', 'restock_notice'], ['#1002', 'shipped_confirmation']]);
  });

  it('the backorder list shows a drafted, unsent message before the timeline\'s next step', async () => {
    const notices = await importAndTick();
    const of = (name: string) => notices.find((d) => d.orderName === name)!;
    await call(core, 'drafts.approve', { ids: [of('#1002').id] });
    expect((await call(core, 'outbox.send', {})).sent).toBe(1);
    await call(core, 'drafts.approve', { ids: [of('#1003').id] });
    const list = await call(core, 'backorders.list', {});
    const row = (name: string) => list.find((b) => b.orderName === name)!;
    const initial = of('#1004').stepId;
    // #1002 was told: its next step is the timeline's; #1003 is approved, #1004 still in review.
    expect(row('#1002').pendingMessage).toBeNull();
    expect(row('#1002').nextStep?.stepId).not.toBe(initial);
    expect(row('#1003').pendingMessage).toMatchObject({ stepId: initial, status: 'approved' });
    expect(row('#1004').pendingMessage).toMatchObject({ stepId: initial, status: 'draft' });
    expect(row('#1004').pendingMessage?.label).not.toBe(initial); // the flow's label, not the id
  });

  it('a backorder restocked before its first notice went out gets no restock or shipping message', async () => {
    await call(core, 'import.files', { files: [{ name: 'p.csv', content: productsExport(variants(-2)) }, { name: 'o.csv', content: orders }] });
    clock = hoursLater(0.5);
    expect((await call(core, 'import.files', { files: [{ name: 'p2.csv', content: productsExport(variants(10)) }] })).backordersClosed).toBe(2);
    await call(core, 'scheduler.tick', {});
    // Only #1004 (still waiting) gets its first notice.
    expect(drafted()).toEqual([['#1004', 'initial_notice']]);
    const restocked = core.db.prepare("SELECT count(*) FROM backorder_events WHERE kind = 'restocked'").pluck().get();
    expect(restocked).toBe(2);
    // Later ticks keep it that way (#1004 gets its day-3 update, nobody a restock notice).
    clock = hoursLater(72);
    await call(core, 'scheduler.tick', {});
    expect(drafted()).toEqual([['#1004', 'day3_update'], ['#1004', 'initial_notice']]);
  });

  it('re-importing the same files changes nothing', async () => {
    const files = [
      { name: 'products_export.csv', content: productsExport(variants(-2)) },
      { name: 'orders_export.csv', content: orders },
    ];
    await call(core, 'import.files', { files });
    await call(core, 'scheduler.tick', {});
    const before = core.db.prepare('SELECT count(*) FROM messages').pluck().get();
    const again = await call(core, 'import.files', { files });
    expect(again.backordersOpened).toBe(0);
    expect(again.backordersClosed).toBe(0);
    expect(again.files.every((f) => f.recordsStored === 0)).toBe(true);
    await call(core, 'scheduler.tick', {});
    expect(core.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(before);
  });

  it('settings changed after drafting rewrite untouched drafts, never a person\'s edit', async () => {
    await call(core, 'settings.update', { storeName: 'My store', statusUrlTemplate: '' });
    const [first, second] = await importAndTick();
    expect(first!.body).toContain('The My store team');
    await call(core, 'drafts.update', { id: second!.id, subject: second!.subject, body: second!.body.replace('Thanks for your patience', 'Thank you for waiting') });
    await call(core, 'settings.update', { storeName: 'Juniper & Pine', statusUrlTemplate: 'https://shop.example.com/orders/{order}' });
    const after = await call(core, 'drafts.list', { status: ['draft'] });
    const f = after.find((m) => m.id === first!.id)!;
    expect(f.body).toContain('The Juniper & Pine team');
    expect(f.body).toContain(`https://shop.example.com/orders/${f.orderName.slice(1)}`);
    expect(f.violations).toEqual([]);
    const s = after.find((m) => m.id === second!.id)!;
    expect(s.body).toContain('Thank you for waiting');
    expect(s.body).toContain('The My store team');
  });

  it('a new store without a name gets unsigned drafts held back by store_name until the name is set', async () => {
    const unnamed = createCore({ dbPath: path.join(dir, 'unnamed.db'), now: () => clock, settings: { timezone: 'America/New_York' } });
    try {
      const held = await importAndTick(unnamed);
      expect(held).toHaveLength(3);
      for (const d of held) {
        expect(d.body).not.toContain('My store');
        expect(d.violations).toEqual([{ rule: 'store_name', detail: "Set your store's name in Settings before sending" }]);
      }
      const approve = await call(unnamed, 'drafts.approve', { ids: held.map((d) => d.id) });
      expect(approve.changed).toBe(0);
      expect(approve.refused).toHaveLength(3);
      // A customer's question answered meanwhile: unsigned and held back the same way.
      await call(unnamed, 'replies.import', {
        files: [replyEml({ from: 'Ada Lovelace <ada@example.com>', subject: 'Re: Order #1001', id: 'ask-1001', body: 'Any news on when the mug ships?' })],
      });
      const answer = (await call(unnamed, 'drafts.list', { status: ['draft'] })).find((d) => d.stepId === 'reply_answer');
      expect(answer?.violations).toEqual([{ rule: 'store_name', detail: "Set your store's name in Settings before sending" }]);
      expect(answer?.body).not.toContain('Juniper & Pine');
      await call(unnamed, 'settings.update', { storeName: 'Juniper & Pine' });
      const named = await call(unnamed, 'drafts.list', { status: ['draft'] });
      expect(named).toHaveLength(4);
      for (const d of named) {
        if (d.stepId === 'reply_answer') expect(d.body.endsWith('\n\nJuniper & Pine')).toBe(true);
        else expect(d.body).toContain('The Juniper & Pine team');
        expect(d.violations).toEqual([]);
      }
    } finally {
      unnamed.close();
    }
  });

  it('a later export listing an order\'s rows in another order changes nothing', async () => {
    await call(core, 'import.files', { files: [{ name: 'p.csv', content: productsExport(variants(-2)) }, { name: 'o.csv', content: orders }] });
    await call(core, 'scheduler.tick', {});
    const before = await call(core, 'backorders.list', {});
    const lines = core.db.prepare('SELECT id, name FROM line_items ORDER BY id').all();
    // #1003's two rows swapped, as after sorting the file in a spreadsheet.
    const rows = orders.trimEnd().split('\n');
    const i = rows.findIndex((r) => r.startsWith('#1003,'));
    const swapped = [...rows.slice(0, i), rows[i + 1]!, rows[i]!, ...rows.slice(i + 2)];
    // The first row of an order carries the order-level fields: keep them on the new first row.
    const cols = (r: string) => r.split(',');
    const a = cols(rows[i]!), b = cols(rows[i + 1]!);
    const firstRow = a.map((v, k) => (k >= 16 && k <= 23 ? b[k]! : v)).join(',');
    const secondRow = b.map((v, k) => (k >= 16 && k <= 23 ? a[k]! : k === 0 || k === 1 || k === 15 ? v : '')).join(',');
    swapped[i] = firstRow;
    swapped[i + 1] = secondRow;
    const again = await call(core, 'import.files', { files: [{ name: 'o2.csv', content: swapped.join('\n') + '\n' }] });
    expect(again.backordersOpened).toBe(0);
    expect(again.backordersClosed).toBe(0);
    expect(core.db.prepare('SELECT id, name FROM line_items ORDER BY id').all()).toEqual(lines);
    expect(await call(core, 'backorders.list', {})).toEqual(before);
    expect((await call(core, 'scheduler.tick', {})).drafted).toBe(0);
  });

  it('an edited draft that breaks a content rule cannot be approved', async () => {
    const [d] = await importAndTick();
    const edited = await call(core, 'drafts.update', { id: d!.id, subject: d!.subject, body: 'We apologize for the inconvenience. It ships December 5.' });
    expect(edited.violations.map((v) => v.rule)).toEqual(expect.arrayContaining(['banned_phrase', 'order_number']));
    const r = await call(core, 'drafts.approve', { ids: [d!.id] });
    expect(r.changed).toBe(0);
    expect(r.refused[0]?.id).toBe(d!.id);
  });

  it('a database newer than the app is refused untouched', () => {
    core.close();
    const file = path.join(dir, 'store.db');
    const Database = core.db.constructor as unknown as new (f: string) => { pragma(s: string): unknown; close(): void };
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    const bytes = fs.readFileSync(file);
    expect(() => createCore({ dbPath: file })).toThrow(/newer than this app/);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    core = createCore({ dbPath: path.join(dir, 'other.db') });
  });
});
