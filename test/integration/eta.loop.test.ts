/**
 * Supplier ETAs in the backorder loop, through the core on a real SQLite file: suppliers from the
 * products' Vendor, a pasted supplier mail becomes a quote for the SKU it names, the customer-facing
 * range reaches the drafts, a moved range records 'eta_changed' and drafts the ETA-change update,
 * a range beyond 30 days escalates, low confidence opens a task, stock arriving records history.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/app/core';
import { ordersExport, productsExport, type VariantSpec } from '../helpers/shopify-csv';
import { call } from '../helpers/core-calls';

let clock = '2026-11-02T16:00:00.000Z';


const variants = (qty: number): VariantSpec[] => [
  { handle: 'enamel-mug', title: 'Enamel Mug', option: 'Black', sku: 'MUG-BLK', qty, policy: 'continue', price: '18.00', vendor: 'Kiln Works' },
];
const orders = ordersExport([
  { name: '#1001', id: 9001, email: 'ada@example.com', billingName: 'Ada Lovelace', createdAt: '2026-11-01 09:00:00 -0500', total: '36.00',
    lines: [{ qty: 2, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }] },
]);

describe('supplier ETAs in the loop', () => {
  let dir: string;
  let core: Core;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-eta-'));
    clock = '2026-11-02T16:00:00.000Z';
    core = createCore({ dbPath: path.join(dir, 'store.db'), now: () => clock, settings: { storeName: 'Test Shop', fromAddress: 'Test <hi@example.com>', timezone: 'America/New_York' } });
    await call(core, 'import.files', { files: [{ name: 'products_export.csv', content: productsExport(variants(-2)) }, { name: 'orders_export.csv', content: orders }] });
  });
  afterEach(() => core.close());

  it('quote from pasted mail → range in the drafts; a delay → eta_changed and the ETA-change update', async () => {
    const suppliers = await call(core, 'suppliers.list', {});
    expect(suppliers.map((s) => [s.name, s.variantCount])).toEqual([['Kiln Works', 1]]);
    await call(core, 'suppliers.update', { name: 'Kiln Works', transitDays: 3, dateLocale: 'en-US', emails: ['orders@kiln.example'] });

    const [q] = await call(core, 'eta.addQuote', { text: 'Hi! PO 5512: MUG-BLK ships on Nov 16.', quotedAt: '2026-11-02' });
    expect(q).toMatchObject({ sku: 'MUG-BLK', kind: 'date', start: '2026-11-16', isShipDate: true, arrivalStart: '2026-11-19', poNumber: '5512', supplierName: 'Kiln Works' });

    await call(core, 'scheduler.tick', {});
    const drafts = await call(core, 'drafts.list', { status: ['draft'] });
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.body).toMatch(/Nov 19/); // quote + transit; no history yet, so the quote itself
    expect(drafts[0]!.violations).toEqual([]);

    clock = '2026-11-03T16:00:00.000Z';
    await call(core, 'eta.addQuote', { text: 'Sorry, MUG-BLK is delayed by 2 weeks.', quotedAt: '2026-11-03' });
    const quotes = await call(core, 'eta.quotes', {});
    expect(quotes[0]).toMatchObject({ rule: 'delay-relative', status: 'active' });
    // Without a prior ETA in the text's context the delay is counted from the sending day: low confidence → a task, not used.
    const tasks = await call(core, 'tasks.list', { status: 'open' });
    expect(tasks.some((t) => t.kind === 'eta_low_confidence')).toBe(true);

    const variantId = core.db.prepare("SELECT id FROM variants WHERE sku = 'MUG-BLK'").pluck().get() as string;
    await call(core, 'eta.addQuote', { variantId, start: '2026-12-01', end: '2026-12-04', quotedAt: '2026-11-03' });
    const tick = await call(core, 'scheduler.tick', {});
    expect(tick.drafted).toBe(1);
    const update = (await call(core, 'drafts.list', { status: ['draft'] })).find((m) => m.stepId === 'eta_change_update');
    expect(update?.body).toMatch(/Dec 1/);
    expect(update?.body).toMatch(/delayed/);
    const ev = core.db.prepare("SELECT count(*) FROM backorder_events WHERE kind = 'eta_changed'").pluck().get();
    expect(ev).toBe(1);
  });

  it('a range ending beyond 30 days escalates; "no ETA" gives no dates', async () => {
    await call(core, 'suppliers.list', {});
    await call(core, 'eta.addQuote', { text: 'MUG-BLK: expected in Q1 2027.', quotedAt: '2026-11-02' });
    await call(core, 'scheduler.tick', {});
    const tasks = await call(core, 'tasks.list', { status: 'open' });
    expect(tasks.map((t) => t.kind)).toContain('eta_beyond_limit');

    await call(core, 'eta.addQuote', { text: 'MUG-BLK is on hold until further notice.', quotedAt: '2026-11-02' });
    const q = (await call(core, 'eta.quotes', {}))[0]!;
    expect(q).toMatchObject({ kind: 'unknown', start: null });
  });

  it('stock arriving for a quoted variant records an arrival and the scorecard shows it', async () => {
    await call(core, 'suppliers.list', {});
    await call(core, 'eta.addQuote', { variantId: core.db.prepare("SELECT id FROM variants WHERE sku = 'MUG-BLK'").pluck().get() as string, start: '2026-11-05', quotedAt: '2026-11-02' });
    await call(core, 'scheduler.tick', {});
    clock = '2026-11-09T16:00:00.000Z';
    await call(core, 'import.files', { files: [{ name: 'products_export.csv', content: productsExport(variants(5)) }] });
    await call(core, 'scheduler.tick', {});
    const card = await call(core, 'suppliers.scorecard', {});
    expect(card).toEqual([expect.objectContaining({ supplier: 'Kiln Works', arrivals: 1, onTimeRate: 0, medianSlipDays: 4, missesInRow: 1 })]);
  });

  it('imports delivery history and refuses bad rows by line and field', async () => {
    const r = await call(core, 'eta.importHistory', {
      name: 'history.csv',
      content: 'supplier,ordered_at,quoted_date,received_at\nKiln Works,2026-01-02,2026-01-20,2026-01-25\nKiln Works,2026-02-02,20/02/2026,\n',
    });
    expect(r).toMatchObject({ mapping: 'backorder-desk', stored: 1, refused: [{ line: 3, field: 'quoted_date' }] });
    const again = await call(core, 'eta.importHistory', { name: 'history.csv', content: 'supplier,ordered_at,quoted_date,received_at\nKiln Works,2026-01-02,2026-01-20,2026-01-25\nKiln Works,2026-02-02,20/02/2026,\n' });
    expect(again).toMatchObject({ stored: 0, unchanged: 1 });
  });
});
