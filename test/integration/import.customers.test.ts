import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/main/store/db';
import { importShopifyCsv } from '../../src/main/import/shopify-csv/index';
import { fixture, NOW, row, rows, tempDb } from '../fixtures/shopify-csv/harness';
import { csv, ORDERS_HEADER } from '../helpers/shopify-csv';

let db: Db | undefined;
const open = (): Db => (db = tempDb());
afterEach(() => db?.close());

describe('Shopify customers export', () => {
  it('stores customers by Shopify id and links orders to them by email, case-insensitively', () => {
    const d = open();
    const [customers, orders] = importShopifyCsv(d, [fixture('customers_export.csv'), fixture('orders_current.csv')], { now: NOW });
    expect(customers).toMatchObject({ kind: 'customers', layout: 'customers/current', rowsRead: 4, recordsStored: 2, warnings: [] });
    expect(customers?.refused).toEqual([
      // Alice's Note spans lines 2-3.
      { file: 'customers_export.csv', line: 5, column: 'Customer ID', message: 'customers_export.csv line 5, column "Customer ID": "abc" is not a Shopify customer id' },
      { file: 'customers_export.csv', line: 6, column: null, message: 'customers_export.csv line 6: has no Customer ID, Email or Phone, so the customer cannot be identified' },
    ]);
    expect(rows(d, 'SELECT * FROM customers ORDER BY id')).toEqual([
      {
        id: 'gid://shopify/Customer/7001', email: 'alice@example.com', phone: '+15550100', first_name: 'Alice', last_name: 'Martin',
        total_orders: 5, total_spent_minor: 200000, currency: 'USD', accepts_email_marketing: 1, accepts_sms_marketing: 1,
        tags: 'vip, wholesale', updated_at: NOW,
      },
      {
        id: 'gid://shopify/Customer/7002', email: 'bob@example.com', phone: null, first_name: 'Bob', last_name: 'Stone',
        total_orders: 1, total_spent_minor: 2000, currency: 'USD', accepts_email_marketing: 0, accepts_sms_marketing: 0,
        tags: '', updated_at: NOW,
      },
    ]);
    expect(rows(d, 'SELECT name, customer_id FROM orders ORDER BY name')).toEqual([
      { name: '#1001', customer_id: 'gid://shopify/Customer/7001' },
      { name: '#1002', customer_id: 'gid://shopify/Customer/7002' }, // email written 'Bob@Example.com'
      { name: '#1003', customer_id: 'gid://shopify/Customer/7001' },
      { name: '#1004', customer_id: null },
    ]);
    expect(orders?.recordsStored).toBe(4 + 7); // no derived customers: the export covers both emails
  });

  it('a customers export imported after the orders takes over from the derived customers', () => {
    const d = open();
    importShopifyCsv(d, [fixture('orders_current.csv')], { now: NOW });
    expect(rows(d, 'SELECT id FROM customers ORDER BY id')).toEqual([{ id: 'csv-customer:alice@example.com' }, { id: 'csv-customer:bob@example.com' }]);

    importShopifyCsv(d, [fixture('customers_export.csv')], { now: NOW });
    expect(rows(d, 'SELECT id FROM customers ORDER BY id')).toEqual([{ id: 'gid://shopify/Customer/7001' }, { id: 'gid://shopify/Customer/7002' }]);
    expect(row(d, 'SELECT customer_id FROM orders WHERE name = ?', '#1002')).toEqual({ customer_id: 'gid://shopify/Customer/7002' });

    // Orders re-imported later keep pointing at the exported customer; nothing changes.
    const [again] = importShopifyCsv(d, [fixture('orders_current.csv')], { now: NOW });
    expect(again?.recordsStored).toBe(0);
  });

  it('older layout (Accepts Marketing, Company, no Customer ID): id by email; its lifetime totals are not lowered by the orders', () => {
    const d = open();
    const [customers, orders] = importShopifyCsv(d, [fixture('customers_export_old.csv'), fixture('orders_older.csv')], { now: NOW });
    expect(customers).toMatchObject({ layout: 'customers/older', recordsStored: 1, refused: [] });
    expect(row(d, 'SELECT * FROM customers')).toEqual({
      id: 'csv-customer:carol@example.com', email: 'carol@example.com', phone: '+15550300', first_name: 'Carol', last_name: 'Jones',
      total_orders: 7, total_spent_minor: 123450, currency: 'USD', accepts_email_marketing: 1, accepts_sms_marketing: 0, tags: '', updated_at: NOW,
    });
    // The two orders held here are a lower bound of Carol's 7; the customer row is unchanged.
    expect(orders).toMatchObject({ recordsStored: 2 + 2, recordsUnchanged: 1 });
    expect(row(d, 'SELECT customer_id FROM orders WHERE name = ?', '#0990')).toEqual({ customer_id: 'csv-customer:carol@example.com' });
  });

  it('without a known store currency, Total Spent is not stored and a warning says why', () => {
    const d = open();
    const [r] = importShopifyCsv(d, [fixture('customers_export_old.csv')], { now: NOW });
    expect(r?.warnings[0]?.message).toMatch(/Total Spent.*1 amount\(s\) were not stored: the store's currency is not known yet/);
    expect(row(d, 'SELECT total_spent_minor, currency, total_orders FROM customers')).toEqual({ total_spent_minor: null, currency: null, total_orders: 7 });
  });
  it('a derived customer takes name, phone and consent from the latest order; spend leaves out cancelled and other-currency orders', () => {
    const d = open();
    const order = (name: string, email: string, created: string, extra: Record<string, string>): Record<string, string> => ({
      Name: name, Email: email, 'Created at': created, 'Financial Status': 'paid', Currency: 'USD', Total: '10.00',
      'Lineitem quantity': '1', 'Lineitem name': 'Mug', 'Lineitem price': '10.00', 'Lineitem sku': 'MUG', ...extra,
    });
    const file = csv(ORDERS_HEADER, [
      order('#1', 'Dana@Example.com', '2026-03-01 10:00:00 -0500', { 'Billing Name': 'Dana Old', Phone: '+15550001', 'Accepts Marketing': 'yes' }),
      order('#2', 'dana@example.com', '2026-03-05 10:00:00 -0500', { 'Billing Name': 'Dana Lee Hart', 'Accepts Marketing': 'no', Total: '20.00' }),
      order('#3', 'DANA@example.com', '2026-03-04 10:00:00 -0500', { Total: '5.00', 'Cancelled at': '2026-03-04 11:00:00 -0500' }),
      order('#4', 'dana@example.com', '2026-03-03 10:00:00 -0500', { Currency: 'CAD', Total: '99.00' }),
      // A tie on Created at with #2: the row stored later counts as the latest.
      order('#5', 'dana@example.com', '2026-03-05 10:00:00 -0500', { 'Billing Name': 'Dana Tie', 'Accepts Marketing': 'yes', Total: '1.00' }),
      order('#6', 'eve@example.com', '2026-03-02 10:00:00 -0500', { Total: '7.50' }),
    ]);
    importShopifyCsv(d, [{ name: 'orders_export.csv', content: file }], { now: NOW });
    expect(rows(d, 'SELECT id, email, first_name, last_name, phone, total_orders, total_spent_minor, currency, accepts_email_marketing FROM customers ORDER BY id')).toEqual([
      // Latest order #5 (tie with #2, stored after it): its name, currency and consent; the email as first
      // stored; the phone of the latest order that has one.
      { id: 'csv-customer:dana@example.com', email: 'Dana@Example.com', first_name: 'Dana', last_name: 'Tie', phone: '+15550001',
        total_orders: 5, total_spent_minor: 1000 + 2000 + 100, currency: 'USD', accepts_email_marketing: 1 },
      { id: 'csv-customer:eve@example.com', email: 'eve@example.com', first_name: null, last_name: null, phone: null,
        total_orders: 1, total_spent_minor: 750, currency: 'USD', accepts_email_marketing: 0 },
    ]);
  });
  it('one email written with a non-ASCII letter in two cases reaches one derived customer (SQLite lower() folds ASCII only)', () => {
    const d = open();
    const order = (name: string, email: string): Record<string, string> => ({
      Name: name, Email: email, 'Created at': '2026-03-01 10:00:00 -0500', 'Financial Status': 'paid', Currency: 'USD', Total: '10.00',
      'Lineitem quantity': '1', 'Lineitem name': 'Mug', 'Lineitem price': '10.00',
    });
    const file = csv(ORDERS_HEADER, [order('#1', 'ÄB@example.com'), order('#2', 'äb@example.com')]);
    const [r] = importShopifyCsv(d, [{ name: 'orders_export.csv', content: file }], { now: NOW });
    expect(r?.refused).toEqual([]);
    expect(rows(d, 'SELECT id, email FROM customers')).toEqual([{ id: 'csv-customer:äb@example.com', email: 'ÄB@example.com' }]);
    expect(rows(d, 'SELECT name, customer_id FROM orders ORDER BY name')).toEqual([
      { name: '#1', customer_id: 'csv-customer:äb@example.com' },
      { name: '#2', customer_id: 'csv-customer:äb@example.com' },
    ]);
  });
});
