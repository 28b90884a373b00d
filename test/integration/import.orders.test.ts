import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/main/store/db';
import { importShopifyCsv } from '../../src/main/import/shopify-csv/index';
import { fixture, NOW, row, rows, tempDb } from '../fixtures/shopify-csv/harness';

interface OrderRow {
  id: string;
  name: string;
  customer_id: string | null;
  email: string | null;
  phone: string | null;
  customer_name: string | null;
  created_at: string;
  currency: string;
  total_minor: number;
  financial_status: string | null;
  fulfillment_status: string | null;
  cancelled_at: string | null;
  accepts_marketing: number;
  tags: string;
  source_updated_at: string | null;
  updated_at: string;
}

interface LineRow {
  id: string;
  order_id: string;
  position: number;
  name: string;
  sku: string | null;
  variant_id: string | null;
  quantity: number;
  fulfilled_quantity: number;
  fulfillment_status: string | null;
  price_minor: number;
  requires_shipping: number;
  vendor: string | null;
}

let db: Db | undefined;
const open = (): Db => (db = tempDb());
afterEach(() => db?.close());

const order = (d: Db, name: string): OrderRow => {
  const o = row<OrderRow>(d, 'SELECT * FROM orders WHERE name = ?', name);
  if (!o) throw new Error(`order ${name} not stored`);
  return o;
};
const lines = (d: Db, orderId: string): LineRow[] => rows<LineRow>(d, 'SELECT * FROM line_items WHERE order_id = ? ORDER BY position', orderId);

describe('Shopify orders export (current 79-column header)', () => {
  it('stores orders, line items and derived customers with GIDs, minor units and ISO dates', () => {
    const d = open();
    const [report] = importShopifyCsv(d, [fixture('orders_current.csv')], { now: NOW });

    expect(report).toMatchObject({
      file: 'orders_current.csv',
      kind: 'orders',
      layout: 'orders/current',
      rowsRead: 7,
      recordsStored: 4 + 7 + 2, // orders + line items + derived customers
      recordsUnchanged: 0,
      refused: [],
    });

    const o1001 = order(d, '#1001');
    expect(o1001).toMatchObject({
      id: 'gid://shopify/Order/9001',
      email: 'alice@example.com',
      phone: '+15550100', // Shopify's leading apostrophe removed
      customer_name: 'Alice Martin',
      created_at: '2025-05-11T09:55:16-04:00',
      currency: 'USD',
      total_minor: 166990,
      financial_status: 'paid',
      fulfillment_status: 'unfulfilled',
      cancelled_at: null,
      accepts_marketing: 1,
      tags: 'vip, wholesale',
      source_updated_at: '2025-05-11T09:55:16-04:00',
      customer_id: 'csv-customer:alice@example.com',
      updated_at: NOW,
    });
    // The quoted Notes field spans two physical lines; the rows after it are still one record each.
    expect(lines(d, o1001.id)).toEqual([
      expect.objectContaining({ id: 'gid://shopify/Order/9001/line/1', position: 1, name: 'The Complete Snowboard - Ice', sku: 'SB-ICE', quantity: 1, price_minor: 69995, fulfilled_quantity: 0, fulfillment_status: 'pending', vendor: 'Snowboard Vendor' }),
      expect.objectContaining({ id: 'gid://shopify/Order/9001/line/2', position: 2, name: 'The Complete Snowboard - Powder', sku: null, price_minor: 89995 }),
      expect.objectContaining({ id: 'gid://shopify/Order/9001/line/3', position: 3, name: 'Ski Wax', quantity: 2, price_minor: 3000, variant_id: null }),
    ]);

    const o1003 = order(d, '#1003');
    expect(o1003.fulfillment_status).toBe('partial');
    expect(lines(d, o1003.id).map((l) => [l.fulfillment_status, l.quantity, l.fulfilled_quantity])).toEqual([
      ['fulfilled', 1, 1],
      ['pending', 1, 0],
    ]);

    const o1004 = order(d, '#1004');
    expect(o1004).toMatchObject({ email: null, customer_id: null, phone: '+16135550127', customer_name: null });

    // Customers derived from the orders: count of orders with the email, spend = sum of totals.
    expect(rows(d, 'SELECT id, email, first_name, last_name, phone, total_orders, total_spent_minor, currency FROM customers ORDER BY id')).toEqual([
      { id: 'csv-customer:alice@example.com', email: 'alice@example.com', first_name: 'Alice', last_name: 'Martin', phone: '+15550100', total_orders: 2, total_spent_minor: 166990 + 4500, currency: 'USD' },
      { id: 'csv-customer:bob@example.com', email: 'Bob@Example.com', first_name: 'Bob', last_name: 'Stone', phone: null, total_orders: 1, total_spent_minor: 2000, currency: 'USD' },
    ]);
    expect(order(d, '#1002').customer_id).toBe('csv-customer:bob@example.com');

    // No products imported: every line is unmatched, counted in one warning that points at the first.
    expect(report?.warnings).toHaveLength(1);
    expect(report?.warnings[0]).toMatchObject({ file: 'orders_current.csv', line: 2, column: 'Lineitem sku' });
    expect(report?.warnings[0]?.message).toMatch(/7 line item\(s\) are stored without a variant because no products or inventory export/);

    const imp = rows<{ kind: string; file_name: string; sha256: string; layout: string; imported_at: string; report: string }>(d, 'SELECT * FROM imports');
    expect(imp).toHaveLength(1);
    expect(imp[0]).toMatchObject({ kind: 'orders', file_name: 'orders_current.csv', layout: 'orders/current', imported_at: NOW });
    expect(imp[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(imp[0]?.report ?? '{}')).toEqual(report);
  });

  it('re-importing the same file changes nothing and counts every record as unchanged', () => {
    const d = open();
    importShopifyCsv(d, [fixture('orders_current.csv')], { now: NOW });
    const before = rows(d, 'SELECT * FROM orders ORDER BY id');
    const beforeLines = rows(d, 'SELECT * FROM line_items ORDER BY id');
    const beforeCustomers = rows(d, 'SELECT * FROM customers ORDER BY id');

    const [again] = importShopifyCsv(d, [fixture('orders_current.csv')], { now: '2025-06-03T08:00:00Z' });
    expect(again).toMatchObject({ recordsStored: 0, recordsUnchanged: 13, refused: [] });
    expect(rows(d, 'SELECT * FROM orders ORDER BY id')).toEqual(before);
    expect(rows(d, 'SELECT * FROM line_items ORDER BY id')).toEqual(beforeLines);
    expect(rows(d, 'SELECT * FROM customers ORDER BY id')).toEqual(beforeCustomers);
    expect(row<{ n: number }>(d, 'SELECT count(*) AS n FROM imports')?.n).toBe(2);
  });

  it('a newer overlapping export marks one order fulfilled and another cancelled; an older one never undoes it', () => {
    const d = open();
    importShopifyCsv(d, [fixture('orders_current.csv')], { now: NOW });
    const [newer] = importShopifyCsv(d, [fixture('orders_newer.csv')], { now: '2025-06-03T08:00:00Z' });

    // #1001 same (1+3), #1002 order+line changed, #1003 order changed (lines same), #1005 new (+ customer dave).
    expect(newer).toMatchObject({ rowsRead: 7, recordsStored: 2 + 1 + 2 + 1, recordsUnchanged: 4 + 2 + 2, refused: [] });

    const o1002 = order(d, '#1002');
    expect(o1002).toMatchObject({ fulfillment_status: 'fulfilled', source_updated_at: '2025-05-20T09:00:00-04:00', updated_at: '2025-06-03T08:00:00Z' });
    expect(lines(d, o1002.id)[0]).toMatchObject({ quantity: 2, fulfilled_quantity: 2, fulfillment_status: 'fulfilled' });

    const o1003 = order(d, '#1003');
    expect(o1003).toMatchObject({ cancelled_at: '2025-05-21T08:00:00-04:00', financial_status: 'refunded' });
    expect(order(d, '#1001').updated_at).toBe(NOW); // untouched
    expect(order(d, '#1004').name).toBe('#1004'); // not in the newer file, kept
    expect(order(d, '#1005').customer_id).toBe('csv-customer:dave@example.com');

    // Importing last month's file again must not un-fulfil or un-cancel anything.
    const snapshot = rows(d, 'SELECT * FROM orders ORDER BY id');
    const snapshotLines = rows(d, 'SELECT * FROM line_items ORDER BY id');
    const [stale] = importShopifyCsv(d, [fixture('orders_current.csv')], { now: '2025-06-04T08:00:00Z' });
    expect(stale?.recordsStored).toBe(0);
    expect(stale?.warnings.filter((w) => /is older here/.test(w.message)).map((w) => w.line)).toEqual([6, 7]);
    expect(rows(d, 'SELECT * FROM orders ORDER BY id')).toEqual(snapshot);
    expect(rows(d, 'SELECT * FROM line_items ORDER BY id')).toEqual(snapshotLines);
  });

  it('several files of one run merge, whatever their order', () => {
    const a = open();
    importShopifyCsv(a, [fixture('orders_newer.csv'), fixture('orders_current.csv')], { now: NOW });
    const merged = rows(a, 'SELECT id, name, fulfillment_status, cancelled_at FROM orders ORDER BY name');
    expect(merged).toEqual([
      { id: 'gid://shopify/Order/9001', name: '#1001', fulfillment_status: 'unfulfilled', cancelled_at: null },
      { id: 'gid://shopify/Order/9002', name: '#1002', fulfillment_status: 'fulfilled', cancelled_at: null },
      { id: 'gid://shopify/Order/9003', name: '#1003', fulfillment_status: 'partial', cancelled_at: '2025-05-21T08:00:00-04:00' },
      { id: 'gid://shopify/Order/9004', name: '#1004', fulfillment_status: 'unfulfilled', cancelled_at: null },
      { id: 'gid://shopify/Order/9005', name: '#1005', fulfillment_status: 'unfulfilled', cancelled_at: null },
    ]);
    expect(row<{ n: number }>(a, 'SELECT count(*) AS n FROM line_items')?.n).toBe(8);
  });
});

describe('older orders export headers', () => {
  it('imports a header without Id and the newer columns; ids fall back to csv-order:<Name>', () => {
    const d = open();
    const [report] = importShopifyCsv(d, [fixture('orders_older.csv')], { now: NOW });
    expect(report).toMatchObject({ layout: 'orders/older', rowsRead: 2, refused: [] });
    expect(order(d, '#0990')).toMatchObject({ id: 'csv-order:#0990', created_at: '2024-12-01T09:00:00-05:00', total_minor: 6000, fulfillment_status: 'fulfilled', source_updated_at: '2024-12-02T09:00:00-05:00' });
    expect(lines(d, 'csv-order:#0990')[0]).toMatchObject({ id: 'csv-order:#0990/line/1', fulfilled_quantity: 2 });
    expect(order(d, '#0991')).toMatchObject({ id: 'csv-order:#0991', cancelled_at: '2024-12-03T10:00:00-05:00', financial_status: 'voided' });
    // Two orders; the cancelled one is left out of the spend.
    expect(row(d, 'SELECT total_orders, total_spent_minor FROM customers WHERE id = ?', 'csv-customer:carol@example.com')).toEqual({ total_orders: 2, total_spent_minor: 6000 });
  });

  it('needs only the core columns, and keeps the csv-order id when a later export adds the Id column', () => {
    const d = open();
    const minimal =
      'Name,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem fulfillment status,Currency,Total\n' +
      '#1001,2025-05-11 09:55:16 -0400,1,The Complete Snowboard - Ice,699.95,SB-ICE,pending,USD,1669.90\n';
    const [first] = importShopifyCsv(d, [{ name: 'old.csv', content: minimal }], { now: NOW });
    expect(first).toMatchObject({ layout: 'orders/older', recordsStored: 2, refused: [] });
    expect(order(d, '#1001').id).toBe('csv-order:#1001');

    const [second] = importShopifyCsv(d, [fixture('orders_current.csv')], { now: NOW });
    expect(order(d, '#1001').id).toBe('csv-order:#1001');
    expect(lines(d, 'csv-order:#1001')).toHaveLength(3);
    expect(second?.warnings.some((w) => w.line === 2 && /without the Id column; it keeps that id/.test(w.message))).toBe(true);
  });

  it('computes a total from the lines when the export has no Total column, and says so', () => {
    const d = open();
    const csv =
      'Name,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem fulfillment status,Currency\n' +
      '#7,2025-05-11 09:55:16 +0000,2,A,1.25,A-1,,JPY\n';
    const [r] = importShopifyCsv(d, [{ name: 'no-total.csv', content: csv }], { now: NOW });
    expect(r?.refused[0]?.message).toBe('no-total.csv line 2, column "Lineitem price": "1.25" has more decimals than JPY allows (0)');

    const ok = csv.replace('1.25', '125');
    const [r2] = importShopifyCsv(d, [{ name: 'no-total.csv', content: ok }], { now: NOW });
    expect(r2?.refused).toEqual([]);
    expect(order(d, '#7')).toMatchObject({ total_minor: 250, currency: 'JPY', created_at: '2025-05-11T09:55:16+00:00' });
    expect(r2?.warnings.some((w) => /have no Total; it was computed from their line items/.test(w.message))).toBe(true);
  });
});
