import { afterEach, describe, expect, it } from 'vitest';
import { syncShop } from '../../src/main/shopify/sync';
import { getSyncState } from '../../src/main/shopify/state';
import { NESTED } from '../../src/main/shopify/queries';
import { generateStore } from '../helpers/fake-shopify';
import { dumpStore, NOW, startFake, testClient, tmpDb } from '../helpers/shopify-sync';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('Shopify sync: bulk initial sync then incremental', () => {
  it('stores every object of the fake store through three bulk operations', async () => {
    const data = generateStore({ orders: 60, variants: 20, customers: 25 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const { db } = tmpDb();
    const summary = await syncShop(db, testClient(fake), { now: () => NOW, pollMs: 5 });
    expect(summary.mode).toBe('initial');
    expect(fake.bulkOps.map((o) => o.kind)).toEqual(['variants', 'customers', 'orders']);
    expect(fake.ops('BackorderDeskOrders')).toBe(0); // the initial sync never pages through orders

    const n = (sql: string): number => db.prepare(sql).pluck().get() as number;
    expect(n('SELECT count(*) FROM orders')).toBe(60);
    expect(n('SELECT count(*) FROM line_items')).toBe(data.orders.reduce((s, o) => s + o.lines.length, 0));
    expect(n('SELECT count(*) FROM variants')).toBe(20);
    expect(n('SELECT count(*) FROM inventory_levels')).toBe(40);
    expect(n('SELECT count(*) FROM customers')).toBe(25);
    expect(n('SELECT count(*) FROM shopify_fulfillments WHERE tracking_number IS NOT NULL')).toBe(12);

    const o = data.orders[3]!;
    const row = db.prepare('SELECT * FROM orders WHERE id = ?').get(o.id) as Record<string, unknown>;
    expect(row).toMatchObject({ name: o.name, total_minor: Math.round(Number(o.total) * 100), currency: 'USD', customer_id: o.customerId, source_updated_at: o.updatedAt });
    const line = db.prepare('SELECT * FROM line_items WHERE id = ?').get(o.lines[0]!.id) as Record<string, unknown>;
    expect(line).toMatchObject({ order_id: o.id, position: 1, quantity: o.lines[0]!.quantity, fulfilled_quantity: 0, variant_id: o.lines[0]!.variantId });
    const v = data.variants[0]!;
    expect(db.prepare('SELECT inventory_policy, variant_title, price_minor FROM variants WHERE id = ?').get(v.id)).toEqual({
      inventory_policy: 'CONTINUE', variant_title: null, price_minor: Math.round(Number(v.price) * 100),
    });
    expect(db.prepare('SELECT on_hand, incoming FROM inventory_levels WHERE variant_id = ? AND location_id = ?').get(v.id, data.locations[0]!.id)).toEqual({
      on_hand: v.levels[0]!.onHand, incoming: 10,
    });
    const c = data.customers[1]!;
    expect(db.prepare('SELECT email, total_orders, accepts_email_marketing FROM customers WHERE id = ?').get(c.id)).toEqual({
      email: c.email, total_orders: c.numberOfOrders, accepts_email_marketing: 1,
    });
    for (const k of ['variants', 'customers', 'orders'] as const) expect(getSyncState(db, k)).toMatchObject({ bulkDone: true, bulkOperationId: null, lastError: null });
    db.close();
  });

  it('then fetches only what changed (updated_at with overlap), de-duplicated, and never starts another bulk query', async () => {
    const data = generateStore({ orders: 30, variants: 12, customers: 10 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const { db } = tmpDb();
    const client = testClient(fake);
    await syncShop(db, client, { now: () => NOW, pollMs: 5 });
    const before = dumpStore(db);

    // Nothing changed: the overlap window re-reads recent records but writes nothing.
    const again = await syncShop(db, client, { now: () => NOW, pollMs: 5 });
    expect(again.mode).toBe('incremental');
    expect(again.written).toBe(0);
    expect(dumpStore(db)).toEqual(before);

    // Changes after the bulk snapshot: a restock, a fulfilment with tracking, a new order.
    const later = new Date(Date.now() + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const v = data.variants[0]!;
    v.levels[0]!.onHand += 25;
    v.levels[0]!.available += 25;
    v.levels[0]!.updatedAt = later;
    const o = data.orders[1]!;
    o.lines.forEach((l) => (l.unfulfilledQuantity = 0));
    o.fulfillmentStatus = 'FULFILLED';
    o.fulfillments.push({ id: 'gid://shopify/Fulfillment/999001', status: 'SUCCESS', createdAt: later, tracking: [{ number: '1ZNEW', company: 'UPS', url: 'https://www.ups.com/track?tracknum=1ZNEW' }] });
    o.updatedAt = later;
    const fresh = structuredClone(data.orders[2]!);
    fresh.id = 'gid://shopify/Order/777001';
    fresh.name = '#9001';
    fresh.lines = fresh.lines.map((l, i) => ({ ...l, id: `gid://shopify/LineItem/777001${i}` }));
    fresh.fulfillmentOrders = [];
    fresh.fulfillments = [];
    fresh.updatedAt = fresh.createdAt = later;
    data.orders.push(fresh);

    const incr = await syncShop(db, client, { now: () => NOW, pollMs: 5 });
    expect(incr.mode).toBe('incremental');
    expect(fake.bulkOps).toHaveLength(3);
    expect(db.prepare('SELECT on_hand FROM inventory_levels WHERE variant_id = ? AND location_id = ?').pluck().get(v.id, data.locations[0]!.id)).toBe(v.levels[0]!.onHand);
    expect(db.prepare('SELECT tracking_number FROM shopify_fulfillments WHERE order_id = ? AND id = ?').pluck().get(o.id, 'gid://shopify/Fulfillment/999001')).toBe('1ZNEW');
    expect(db.prepare('SELECT sum(fulfilled_quantity = quantity) = count(*) FROM line_items WHERE order_id = ?').pluck().get(o.id)).toBe(1);
    expect(db.prepare('SELECT name FROM orders WHERE id = ?').pluck().get(fresh.id)).toBe('#9001');
    db.close();
  });
});

describe('Shopify sync: nested connections longer than one page', () => {
  it('stores an order with more line items and fulfillment orders than the nested page sizes, the same through bulk and incremental sync', async () => {
    const data = generateStore({ orders: 4, variants: 6, customers: 3, seed: 11 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const live = tmpDb('incremental.db').db;
    const client = testClient(fake);
    await syncShop(live, client, { now: () => NOW, pollMs: 5 });

    // After the bulk snapshot: an order split over many fulfillment orders, one of them long.
    const later = new Date(Date.now() + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const nLines = NESTED.lineItems + 7;
    const nFos = NESTED.fulfillmentOrders + 3;
    const lines = Array.from({ length: nLines }, (_, i) => {
      const v = data.variants[i % data.variants.length]!;
      return { id: `gid://shopify/LineItem/8800${100 + i}`, name: v.product.title, sku: v.sku, quantity: 1, currentQuantity: 1, unfulfilledQuantity: 1, requiresShipping: true, vendor: v.product.vendor, variantId: v.id, price: v.price };
    });
    // Fulfillment order 0 holds more lines than NESTED.foLines; the others one line each.
    const firstFoLines = NESTED.foLines + 4;
    const fos = Array.from({ length: nFos }, (_, k) => {
      const mine = k === 0 ? lines.slice(0, firstFoLines) : lines.slice(firstFoLines + k - 1, firstFoLines + k);
      return { id: `gid://shopify/FulfillmentOrder/88002${k}`, status: 'OPEN', updatedAt: later, holds: [], lines: mine.map((l, j) => ({ id: `gid://shopify/FulfillmentOrderLineItem/88003${k}${String(j).padStart(2, '0')}`, total: 1, remaining: 1, lineItemId: l.id })) };
    });
    expect(fos.reduce((s, f) => s + f.lines.length, 0)).toBeLessThanOrEqual(nLines);
    data.orders.push({
      ...structuredClone(data.orders[0]!), id: 'gid://shopify/Order/880001', name: '#8801', createdAt: later, updatedAt: later, fulfillmentStatus: 'UNFULFILLED',
      lines, fulfillmentOrders: fos, fulfillments: [],
    });
    await syncShop(live, client, { now: () => NOW, pollMs: 5 });
    expect(fake.ops('BackorderDeskOrderFos')).toBeGreaterThan(0);
    expect(fake.ops('BackorderDeskFoLines')).toBeGreaterThan(0);
    const n = (sql: string, ...p: unknown[]): number => live.prepare(sql).pluck().get(...p) as number;
    expect(n("SELECT count(*) FROM line_items WHERE order_id = 'gid://shopify/Order/880001'")).toBe(nLines);
    expect(n("SELECT count(*) FROM shopify_fulfillment_orders WHERE order_id = 'gid://shopify/Order/880001'")).toBe(nFos);
    expect(n("SELECT count(*) FROM shopify_fulfillment_order_lines WHERE fulfillment_order_id = 'gid://shopify/FulfillmentOrder/880020'")).toBe(firstFoLines);

    // A bulk operation returns every nested row: a fresh initial sync stores exactly the same.
    const fresh = tmpDb('bulk.db').db;
    await syncShop(fresh, client, { now: () => NOW, pollMs: 5 });
    expect(dumpStore(fresh)).toEqual(dumpStore(live));
    live.close();
    fresh.close();
  });
});
