/**
 * Real Shopify exports from public repositories (../shared/corpus, see its SOURCES.md). Skipped, with
 * the reason printed, where that folder is absent (a fresh clone elsewhere).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/main/store/db';
import { importShopifyCsv } from '../../src/main/import/shopify-csv/index';
import { variantStockView } from '../../src/main/store/stock';
import { CORPUS, NOW, row, rows, tempDb } from '../fixtures/shopify-csv/harness';

const ORDERS = path.join(CORPUS, 'shopify/csv/forezia-mock-data/orders_export.csv');
const INVENTORY = path.join(CORPUS, 'shopify/csv/robertam_HiperShopify/inventory_export.csv');
const haveOrders = fs.existsSync(ORDERS);
const haveInventory = fs.existsSync(INVENTORY);
if (!haveOrders) console.log(`skipping the corpus orders test: ${ORDERS} is absent (../shared/corpus is not next to this clone)`);
if (!haveInventory) console.log(`skipping the corpus inventory test: ${INVENTORY} is absent (../shared/corpus is not next to this clone)`);

let db: Db | undefined;
const open = (): Db => (db = tempDb());
afterEach(() => db?.close());

describe('shared corpus: Shopify exports written by the Shopify admin', () => {
  it.skipIf(!haveOrders)('forezia-mock-data/orders_export.csv (current 79-column header)', () => {
    const d = open();
    const file = { name: 'orders_export.csv', content: fs.readFileSync(ORDERS) };
    const [r] = importShopifyCsv(d, [file], { now: NOW });
    expect(r).toMatchObject({ kind: 'orders', layout: 'orders/current', rowsRead: 40, refused: [] });
    expect(row(d, 'SELECT count(*) AS n FROM orders')).toEqual({ n: 19 });
    expect(row(d, 'SELECT count(*) AS n FROM line_items')).toEqual({ n: 40 });

    expect(row(d, 'SELECT * FROM orders WHERE name = ?', '#1001')).toMatchObject({
      id: 'gid://shopify/Order/6634244374859',
      created_at: '2025-05-11T09:55:16-04:00',
      currency: 'EUR',
      total_minor: 165995,
      financial_status: 'paid',
      fulfillment_status: 'fulfilled',
      source_updated_at: '2025-05-11T09:57:05-04:00',
      email: null,
      customer_id: null,
    });
    expect(rows(d, "SELECT position, name, price_minor, requires_shipping, fulfilled_quantity FROM line_items WHERE order_id = 'gid://shopify/Order/6634244374859' ORDER BY position")).toEqual([
      { position: 1, name: 'Gift Card - $10', price_minor: 1000, requires_shipping: 0, fulfilled_quantity: 1 },
      { position: 2, name: 'Selling Plans Ski Wax - Selling Plans Ski Wax', price_minor: 2495, requires_shipping: 1, fulfilled_quantity: 1 },
      { position: 3, name: 'The Collection Snowboard: Hydrogen', price_minor: 60000, requires_shipping: 1, fulfilled_quantity: 1 },
      { position: 4, name: 'The Collection Snowboard: Oxygen', price_minor: 102500, requires_shipping: 1, fulfilled_quantity: 1 },
    ]);
    // #1011 is partially fulfilled: its gift card line is still pending.
    expect(rows(d, "SELECT l.fulfillment_status, l.fulfilled_quantity FROM line_items l JOIN orders o ON o.id = l.order_id WHERE o.name = '#1011' ORDER BY l.position")).toEqual([
      { fulfillment_status: 'pending', fulfilled_quantity: 0 },
      { fulfillment_status: 'fulfilled', fulfilled_quantity: 1 },
      { fulfillment_status: 'fulfilled', fulfilled_quantity: 1 },
      { fulfillment_status: 'fulfilled', fulfilled_quantity: 1 },
    ]);
    expect(row(d, 'SELECT count(*) AS n FROM line_items WHERE fulfilled_quantity < quantity')).toEqual({ n: 8 });

    expect(rows(d, 'SELECT id, first_name, last_name, phone, total_orders, total_spent_minor, currency FROM customers ORDER BY id')).toEqual([
      { id: 'csv-customer:ayumu.hirano@example.com', first_name: 'Ayumu', last_name: 'Hirano', phone: '+16135550127', total_orders: 4, total_spent_minor: 3495 + 94995 + 10000 + 10000, currency: 'EUR' },
      { id: 'csv-customer:karine.ruby@example.com', first_name: 'Karine', last_name: 'Ruby', phone: '+16135550142', total_orders: 2, total_spent_minor: 163555 + 12759, currency: 'EUR' },
      { id: 'csv-customer:russel.winfield@example.com', first_name: 'Russell', last_name: 'Winfield', phone: '+16135550135', total_orders: 3, total_spent_minor: 18980 + 18980 + 995, currency: 'EUR' },
    ]);

    const [again] = importShopifyCsv(d, [file], { now: '2025-06-03T00:00:00Z' });
    expect(again).toMatchObject({ recordsStored: 0, recordsUnchanged: 19 + 40 + 3 });
  });

  it.skipIf(!haveInventory)('robertam_HiperShopify/inventory_export.csv (older column-per-location layout)', () => {
    const d = open();
    const [r] = importShopifyCsv(d, [{ name: 'inventory_export.csv', content: fs.readFileSync(INVENTORY) }], { now: NOW });
    expect(r).toMatchObject({ kind: 'inventory', layout: 'inventory/column-per-location', rowsRead: 36, recordsStored: 36 + 36, refused: [], warnings: [] });
    expect(rows(d, 'SELECT id, name FROM locations')).toEqual([{ id: 'csv-location:Rua Padre Anchieta', name: 'Rua Padre Anchieta' }]);
    expect(row(d, 'SELECT * FROM variants WHERE id = ?', 'csv-variant:calca-luna-jacquard-marfim/34')).toMatchObject({
      product_handle: 'calca-luna-jacquard-marfim',
      product_title: 'Calça Saphira jacquard marfim',
      variant_title: '34',
      sku: '9990000000746',
    });
    const view = variantStockView(d);
    expect(view.size).toBe(36);
    expect([...view.values()].reduce((sum, s) => sum + (s.onHand ?? 0), 0)).toBe(67);
    expect(view.get('csv-variant:blusa-saphira-jaquard-marfim/34')).toEqual({ tracked: true, policy: 'DENY', onHand: 4 });
  });
});
