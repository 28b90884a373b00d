/**
 * A merchant who started from CSV exports, ran the sequence (messages sent), then connected the
 * live store: the Admin API returns the same orders, line items, variants and customers under their
 * GIDs, and the CSV rows are adopted in place — no duplicate backorders, no step sent twice, history
 * attached to the live records.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeData, FakeLine, FakeOrder, FakeVariant } from '../helpers/fake-shopify';
import { ordersExport, productsExport, type VariantSpec } from '../helpers/shopify-csv';
import { coreForShopify, startFake } from '../helpers/shopify-sync';
import { startSmtpServer } from '../helpers/smtp-server';
import { call } from '../helpers/core-calls';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});


const csvVariants: VariantSpec[] = [
  { handle: 'enamel-mug', title: 'Enamel Mug', option: 'Black', sku: 'MUG-BLK', qty: -2, policy: 'continue', price: '18.00' },
  { handle: 'trail-tee', title: 'Trail Tee', option: 'Medium', sku: 'TEE-M', qty: 5, policy: 'deny', price: '32.00' },
  { handle: 'trail-pack', title: 'Trail Pack', option: 'Green', sku: '', qty: -1, policy: 'continue', price: '120.00' },
];
const people = [
  ['#1001', 9001, 'ada@example.com', 'Ada Lovelace'],
  ['#1002', 9002, 'grace@example.com', 'Grace Hopper'],
  ['#1003', 9003, 'alan@example.com', 'Alan Turing'],
  ['#1004', 9004, 'katherine@example.com', 'Katherine Johnson'],
] as const;
const csvLines: Record<string, { qty: number; name: string; price: string; sku: string }[]> = {
  '#1001': [{ qty: 2, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }],
  '#1002': [{ qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }],
  '#1003': [
    { qty: 1, name: 'Trail Tee - Medium', price: '32.00', sku: 'TEE-M' },
    { qty: 1, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' },
  ],
  '#1004': [{ qty: 1, name: 'Trail Pack - Green', price: '120.00', sku: '' }],
};
const totals: Record<string, string> = { '#1001': '36.00', '#1002': '18.00', '#1003': '50.00', '#1004': '120.00' };

/** The same store as the Admin API sees it. */
function liveStore(): FakeData {
  const at = '2026-11-01T17:00:00Z';
  const loc = { id: 'gid://shopify/Location/1', name: 'Warehouse' };
  const variant = (n: number, s: VariantSpec, levels: { onHand: number; available: number; committed: number }): FakeVariant => ({
    id: `gid://shopify/ProductVariant/${n}`, sku: s.sku || null, title: s.option!, price: s.price, inventoryPolicy: s.policy === 'continue' ? 'CONTINUE' : 'DENY', updatedAt: at,
    product: { id: `gid://shopify/Product/${n}`, title: s.title, handle: s.handle, productType: 'Gear', vendor: 'Acme Supply', tags: [] },
    inventoryItemId: `gid://shopify/InventoryItem/${n}`, tracked: true, levels: [{ locationId: loc.id, ...levels, incoming: 0, updatedAt: at }],
  });
  const variants = [
    variant(501, csvVariants[0]!, { onHand: 2, available: -2, committed: 4 }),
    variant(502, csvVariants[1]!, { onHand: 5, available: 4, committed: 1 }),
    variant(503, csvVariants[2]!, { onHand: 0, available: -1, committed: 1 }),
  ];
  const bySku = (name: string): FakeVariant => variants.find((v) => `${v.product.title} - ${v.title}` === name)!;
  let lineSeq = 700;
  const orders: FakeOrder[] = people.map(([name, id, email], k) => {
    const specs = [...csvLines[name]!];
    // Shopify lists #1003's lines in the other order than the export: matched by variant, not row.
    if (name === '#1003') specs.reverse();
    const lines: FakeLine[] = specs.map((l) => {
      const v = bySku(l.name);
      return { id: `gid://shopify/LineItem/${++lineSeq}`, name: l.name, sku: l.sku || null, quantity: l.qty, currentQuantity: l.qty, unfulfilledQuantity: l.qty, requiresShipping: true, vendor: 'Acme Supply', variantId: v.id, price: l.price };
    });
    return {
      id: `gid://shopify/Order/${id}`, name, createdAt: `2026-11-01T${14 + k}:00:00Z`, updatedAt: `2026-11-01T${14 + k}:00:05Z`, cancelledAt: null, email, phone: null, tags: [],
      financialStatus: 'PAID', fulfillmentStatus: 'UNFULFILLED', currency: 'USD', total: totals[name]!, customerId: `gid://shopify/Customer/${id}`, lines,
      fulfillmentOrders: [{ id: `gid://shopify/FulfillmentOrder/${id}`, status: 'OPEN', updatedAt: at, holds: [], lines: lines.map((l, j) => ({ id: `gid://shopify/FulfillmentOrderLineItem/${id}${j}`, total: l.quantity, remaining: l.quantity, lineItemId: l.id })) }],
      fulfillments: [], metafields: {},
    };
  });
  const customers = people.map(([, id, email, full]) => ({
    id: `gid://shopify/Customer/${id}`, firstName: full.split(' ')[0]!, lastName: full.split(' ')[1]!, numberOfOrders: 1, tags: [], updatedAt: at,
    amountSpent: '10.00', email, emailState: 'NOT_SUBSCRIBED', phone: null, smsState: 'NOT_SUBSCRIBED',
  }));
  return { currency: 'USD', locations: [loc], variants, customers, orders };
}

describe('CSV → live merge', () => {
  it('adopts CSV-imported variants, customers, orders and line items, keeping backorders, firings, messages and tasks', async () => {
    const smtp = await startSmtpServer();
    cleanup.push(() => smtp.close());
    let clock = '2026-11-02T16:00:00.000Z';
    const { core } = coreForShopify('merge.db', {
      now: () => clock,
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' },
      settings: { storeName: 'Juniper Test Shop', fromAddress: 'Juniper Test Shop <hello@example.com>', timezone: 'America/New_York' },
    });
    cleanup.push(() => core.close());
    const db = core.db;

    // Months of CSV: two of the orders come from an export without the Id column ('csv-order:' ids).
    const orders = ordersExport(people.map(([name, id, email, billingName], k) => ({
      name, id, email, billingName, createdAt: `2026-11-01 ${String(9 + k).padStart(2, '0')}:00:00 -0500`, total: totals[name]!, lines: csvLines[name]!,
    }))).replace(',9002,', ',,').replace(',9004,', ',,');
    await call(core, 'import.files', { files: [{ name: 'products_export.csv', content: productsExport(csvVariants) }, { name: 'orders_export.csv', content: orders }] });
    expect(db.prepare("SELECT id FROM orders WHERE name IN ('#1002', '#1004') ORDER BY name").pluck().all()).toEqual(['csv-order:#1002', 'csv-order:#1004']);
    await call(core, 'scheduler.tick', {});
    const hour0 = await call(core, 'drafts.list', { status: ['draft'] });
    await call(core, 'drafts.approve', { ids: hour0.filter((d) => d.orderName !== '#1004').map((d) => d.id) });
    expect((await call(core, 'outbox.send', {})).sent).toBe(2);
    clock = new Date(Date.parse(clock) + 72 * 3_600_000).toISOString();
    expect((await call(core, 'scheduler.tick', {})).drafted).toBe(3);

    const snapshot = () => ({
      backorders: db.prepare('SELECT b.id, o.name, li.name AS line, b.quantity_backordered AS q, b.opened_at, b.closed_at FROM backorders b JOIN orders o ON o.id = b.order_id JOIN line_items li ON li.id = b.line_item_id ORDER BY b.id').all(),
      firings: db.prepare('SELECT backorder_id, step_id, fired_at, outcome FROM step_firings ORDER BY 1, 2').all(),
      messages: db.prepare('SELECT m.id, m.backorder_id, o.name, m.step_id, m.status, m.message_id FROM messages m JOIN orders o ON o.id = m.order_id ORDER BY m.id').all(),
      tasks: db.prepare('SELECT t.id, t.backorder_id, o.name, t.kind, t.status FROM tasks t JOIN orders o ON o.id = t.order_id ORDER BY t.id').all(),
    });
    const before = snapshot();
    expect(before.backorders).toHaveLength(3);
    expect(before.tasks.length).toBeGreaterThan(0);
    expect(db.prepare("SELECT count(*) FROM variants WHERE id LIKE 'csv-variant:%'").pluck().get()).toBe(3);

    // The merchant connects the live store.
    const data = liveStore();
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    await call(core, 'shopify.connect', { shop: fake.shop, auth: { kind: 'token', accessToken: 'shpat_test_token' } });
    await call(core, 'shopify.syncNow', {});

    const n = (sql: string): number => db.prepare(sql).pluck().get() as number;
    expect(n('SELECT count(*) FROM orders')).toBe(4);
    expect(n('SELECT count(*) FROM line_items')).toBe(5);
    expect(n('SELECT count(*) FROM variants')).toBe(3);
    expect(n("SELECT count(*) FROM variants WHERE id NOT LIKE 'gid://shopify/ProductVariant/%'")).toBe(0);
    expect(n("SELECT count(*) FROM line_items WHERE id NOT LIKE 'gid://shopify/LineItem/%'")).toBe(0);
    expect(n("SELECT count(*) FROM orders WHERE id NOT LIKE 'gid://shopify/Order/%'")).toBe(0);
    expect(n("SELECT count(*) FROM customers WHERE email LIKE '%@example.com'")).toBe(4);
    // Each live line item is the CSV row it replaced: same position, same backorder.
    for (const o of data.orders) {
      for (const l of o.lines) {
        const row = db.prepare('SELECT order_id, variant_id, name FROM line_items WHERE id = ?').get(l.id);
        expect(row).toEqual({ order_id: o.id, variant_id: l.variantId, name: l.name });
      }
    }
    // No stock counted twice: only the live location's levels remain for the adopted variants.
    expect(n("SELECT count(*) FROM inventory_levels WHERE location_id LIKE 'csv-location:%'")).toBe(0);
    expect(snapshot()).toEqual(before);

    // Nothing is sent or drafted again, now or at the next sync.
    expect((await call(core, 'outbox.send', {})).sent).toBe(0);
    await call(core, 'shopify.syncNow', {});
    await call(core, 'scheduler.tick', {});
    expect(snapshot()).toEqual(before);
    expect(smtp.received).toHaveLength(2);
  });
});

describe('CSV → live merge: fallbacks', () => {
  it('adopts a variant by its titles when its SKU changed, and line items by name when they have no variant', async () => {
    const { core } = coreForShopify('merge-fallback.db', { settings: { timezone: 'America/New_York' } });
    cleanup.push(() => core.close());
    const db = core.db;
    const stove: VariantSpec = { handle: 'camp-stove', title: 'Camp Stove', sku: 'STOVE-OLD', qty: -1, policy: 'continue', price: '80.00' };
    const orders = ordersExport([
      { name: '#2001', id: 0, email: 'rosalind@example.com', billingName: 'Rosalind Franklin', createdAt: '2026-11-01 09:00:00 -0500', total: '85.00',
        lines: [{ qty: 1, name: 'Camp Stove', price: '80.00', sku: 'STOVE-OLD' }, { qty: 1, name: 'Gift Note', price: '5.00', sku: '' }] },
    ]).replace(',0,', ',,');
    await call(core, 'import.files', { files: [{ name: 'products_export.csv', content: productsExport([stove]) }, { name: 'orders_export.csv', content: orders }] });
    const csvStoveLine = db.prepare("SELECT id FROM line_items WHERE name = 'Camp Stove'").pluck().get() as string;
    const bo = db.prepare('SELECT id FROM backorders WHERE line_item_id = ? AND closed_at IS NULL').pluck().get(csvStoveLine) as number;
    expect(bo).toBeGreaterThan(0);

    const at = '2026-11-01T15:00:00Z';
    const loc = { id: 'gid://shopify/Location/1', name: 'Warehouse' };
    const data: FakeData = {
      currency: 'USD', locations: [loc],
      variants: [{
        id: 'gid://shopify/ProductVariant/901', sku: 'STOVE-NEW', title: 'Default Title', price: '80.00', inventoryPolicy: 'CONTINUE', updatedAt: at,
        product: { id: 'gid://shopify/Product/901', title: 'Camp Stove', handle: 'camp-stove', productType: 'Gear', vendor: 'Acme Supply', tags: [] },
        inventoryItemId: 'gid://shopify/InventoryItem/901', tracked: true, levels: [{ locationId: loc.id, onHand: 0, available: -1, committed: 1, incoming: 0, updatedAt: at }],
      }],
      customers: [],
      orders: [{
        id: 'gid://shopify/Order/2001', name: '#2001', createdAt: '2026-11-01T14:00:00Z', updatedAt: at, cancelledAt: null, email: 'rosalind@example.com', phone: null, tags: [],
        financialStatus: 'PAID', fulfillmentStatus: 'UNFULFILLED', currency: 'USD', total: '85.00', customerId: null,
        // Shopify lists the note first; it has no variant (a custom item).
        lines: [
          { id: 'gid://shopify/LineItem/9011', name: 'Gift Note', sku: null, quantity: 1, currentQuantity: 1, unfulfilledQuantity: 1, requiresShipping: true, vendor: null, variantId: null, price: '5.00' },
          { id: 'gid://shopify/LineItem/9012', name: 'Camp Stove', sku: 'STOVE-NEW', quantity: 1, currentQuantity: 1, unfulfilledQuantity: 1, requiresShipping: true, vendor: 'Acme Supply', variantId: 'gid://shopify/ProductVariant/901', price: '80.00' },
        ],
        fulfillmentOrders: [], fulfillments: [], metafields: {},
      }],
    };
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    await call(core, 'shopify.connect', { shop: fake.shop, auth: { kind: 'token', accessToken: 'shpat_test_token' } });
    await call(core, 'shopify.syncNow', {});

    expect(db.prepare('SELECT id, sku FROM variants').all()).toEqual([{ id: 'gid://shopify/ProductVariant/901', sku: 'STOVE-NEW' }]);
    expect(db.prepare('SELECT id, name FROM line_items ORDER BY position').all()).toEqual([
      { id: 'gid://shopify/LineItem/9012', name: 'Camp Stove' },
      { id: 'gid://shopify/LineItem/9011', name: 'Gift Note' },
    ]);
    expect(db.prepare('SELECT id, line_item_id FROM backorders WHERE closed_at IS NULL').all()).toEqual([{ id: bo, line_item_id: 'gid://shopify/LineItem/9012' }]);
  });
});
