import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/main/store/db';
import { importShopifyCsv } from '../../src/main/import/shopify-csv/index';
import { variantStockView } from '../../src/main/store/stock';
import { fixture, NOW, row, rows, tempDb } from '../fixtures/shopify-csv/harness';

let db: Db | undefined;
const open = (): Db => (db = tempDb());
afterEach(() => db?.close());

const ICE = 'csv-variant:the-complete-snowboard/Ice';
const POWDER = 'csv-variant:the-complete-snowboard/Powder';
const ELECTRIC = 'csv-variant:the-complete-snowboard/Electric';
const WAX = 'csv-variant:ski-wax';
const RED = 'csv-variant:tee/S/Red';
const BLUE = 'csv-variant:tee/M/Blue';
const DOWEL = 'csv-variant:dowel/1%2F2 in';
const GIFT = 'csv-variant:gift-card/$10';

interface LevelRow {
  variant_id: string;
  location_id: string;
  available: number | null;
  on_hand: number | null;
  committed: number | null;
  incoming: number | null;
}
const levels = (d: Db): LevelRow[] =>
  rows<LevelRow>(d, 'SELECT variant_id, location_id, available, on_hand, committed, incoming FROM inventory_levels ORDER BY variant_id, location_id');
const onHand = (d: Db): Record<string, number | null> =>
  Object.fromEntries([...variantStockView(d)].map(([id, s]) => [id, s.onHand]));

describe('Shopify products export', () => {
  it('stores variants with options, fills continuation rows from the first row, skips image-only rows', () => {
    const d = open();
    const [products] = importShopifyCsv(d, [fixture('products_export.csv')], { now: NOW, storeCurrency: 'USD' });
    expect(products).toMatchObject({ kind: 'products', layout: 'products/classic', rowsRead: 10, recordsStored: 8 + 8, recordsUnchanged: 0, warnings: [] });
    expect(products?.refused).toEqual([
      {
        file: 'products_export.csv',
        line: 12, // the first product's Body (HTML) spans lines 2-3
        column: 'Variant Inventory Policy',
        message: 'products_export.csv line 12, column "Variant Inventory Policy": "sometimes" is not deny or continue',
      },
    ]);

    const variants = rows(d, 'SELECT id, product_handle, product_title, variant_title, sku, vendor, product_type, tags, price_minor, currency, inventory_policy, inventory_tracked FROM variants ORDER BY id');
    expect(variants).toEqual([
      { id: DOWEL, product_handle: 'dowel', product_title: 'Dowel', variant_title: '1/2 in', sku: 'DOWEL-HALF', vendor: 'Wood Co', product_type: null, tags: '', price_minor: 250, currency: 'USD', inventory_policy: 'DENY', inventory_tracked: 0 },
      { id: GIFT, product_handle: 'gift-card', product_title: 'Gift Card', variant_title: '$10', sku: null, vendor: 'Snowboard Vendor', product_type: null, tags: '', price_minor: 1000, currency: 'USD', inventory_policy: 'DENY', inventory_tracked: 0 },
      { id: WAX, product_handle: 'ski-wax', product_title: 'Ski Wax', variant_title: null, sku: null, vendor: 'Wax Co', product_type: 'accessories', tags: '', price_minor: 3000, currency: 'USD', inventory_policy: 'DENY', inventory_tracked: 1 },
      { id: BLUE, product_handle: 'tee', product_title: 'Tee', variant_title: 'M / Blue', sku: 'TEE-M-BLUE', vendor: 'Tee Co', product_type: 'shirts', tags: 'cotton', price_minor: 1500, currency: 'USD', inventory_policy: 'DENY', inventory_tracked: 1 },
      { id: RED, product_handle: 'tee', product_title: 'Tee', variant_title: 'S / Red', sku: 'TEE-S-RED', vendor: 'Tee Co', product_type: 'shirts', tags: 'cotton', price_minor: 1000, currency: 'USD', inventory_policy: 'DENY', inventory_tracked: 1 },
      { id: ELECTRIC, product_handle: 'the-complete-snowboard', product_title: 'The Complete Snowboard', variant_title: 'Electric', sku: 'SB-ELEC', vendor: 'Snowboard Vendor', product_type: 'snowboard', tags: 'Premium, Snow', price_minor: 94995, currency: 'USD', inventory_policy: 'CONTINUE', inventory_tracked: 1 },
      { id: ICE, product_handle: 'the-complete-snowboard', product_title: 'The Complete Snowboard', variant_title: 'Ice', sku: 'SB-ICE', vendor: 'Snowboard Vendor', product_type: 'snowboard', tags: 'Premium, Snow', price_minor: 69995, currency: 'USD', inventory_policy: 'DENY', inventory_tracked: 1 },
      { id: POWDER, product_handle: 'the-complete-snowboard', product_title: 'The Complete Snowboard', variant_title: 'Powder', sku: null, vendor: 'Snowboard Vendor', product_type: 'snowboard', tags: 'Premium, Snow', price_minor: 89995, currency: 'USD', inventory_policy: 'DENY', inventory_tracked: 1 },
    ]);
    // Variant Inventory Qty is Shopify's *available* at the default location.
    expect(rows(d, 'SELECT id, name FROM locations')).toEqual([{ id: 'csv-location:Default', name: 'Default' }]);
    expect(levels(d).map((l) => [l.variant_id, l.available, l.on_hand])).toEqual([
      [DOWEL, 0, null], [GIFT, 0, null], [WAX, 10, null], [BLUE, 5, null], [RED, 1, null], [ELECTRIC, -2, null], [ICE, 0, null], [POWDER, 3, null],
    ]);

    const [again] = importShopifyCsv(d, [fixture('products_export.csv')], { now: '2025-06-03T00:00:00Z', storeCurrency: 'USD' });
    expect(again).toMatchObject({ recordsStored: 0, recordsUnchanged: 16 });
  });

  it('learns the currency from the orders of the same run, and without it stores no price', () => {
    const d = open();
    const [alone] = importShopifyCsv(d, [fixture('products_export.csv')], { now: NOW });
    expect(alone?.warnings[0]?.message).toMatch(/8 price\(s\) were not stored: the export has no currency/);
    expect(row(d, 'SELECT price_minor, currency FROM variants WHERE id = ?', ICE)).toEqual({ price_minor: null, currency: null });

    importShopifyCsv(d, [fixture('orders_current.csv'), fixture('products_export.csv')], { now: NOW });
    expect(row(d, 'SELECT price_minor, currency FROM variants WHERE id = ?', ICE)).toEqual({ price_minor: 69995, currency: 'USD' });
  });

  it('reads the 2024 product header (URL handle, SKU, Price, Inventory quantity)', () => {
    const d = open();
    const csv =
      'Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,Barcode,Option1 name,Option1 value,Option2 name,Option2 value,Option3 name,Option3 value,Price,Compare-at price,Inventory tracker,Inventory quantity,Continue selling when out of stock\n' +
      'Mug,mug,A mug,Acme,,Kitchen,,TRUE,Active,MUG-1,,Title,Default Title,,,,,9.50,,shopify,4,CONTINUE\n';
    const [r] = importShopifyCsv(d, [{ name: 'products_2024.csv', content: csv }], { now: NOW, storeCurrency: 'eur' });
    expect(r).toMatchObject({ layout: 'products/2024', refused: [] });
    expect(row(d, 'SELECT id, sku, price_minor, currency, inventory_policy, inventory_tracked FROM variants')).toEqual({
      id: 'csv-variant:mug', sku: 'MUG-1', price_minor: 950, currency: 'EUR', inventory_policy: 'CONTINUE', inventory_tracked: 1,
    });
    expect(levels(d)).toEqual([{ variant_id: 'csv-variant:mug', location_id: 'csv-location:Default', available: 4, on_hand: null, committed: null, incoming: null }]);
  });
});

describe('matching line items to variants', () => {
  it('matches by SKU, then by "product - variant" title, then by product title for single-variant products', () => {
    const d = open();
    const [orders] = importShopifyCsv(d, [fixture('orders_current.csv'), fixture('products_export.csv')], { now: NOW });
    const links = rows<{ id: string; variant_id: string | null }>(d, 'SELECT id, variant_id FROM line_items ORDER BY id');
    expect(links).toEqual([
      { id: 'gid://shopify/Order/9001/line/1', variant_id: ICE }, // SKU
      { id: 'gid://shopify/Order/9001/line/2', variant_id: POWDER }, // no SKU: "The Complete Snowboard - Powder"
      { id: 'gid://shopify/Order/9001/line/3', variant_id: WAX }, // no SKU: single-variant "Ski Wax"
      { id: 'gid://shopify/Order/9002/line/1', variant_id: RED },
      { id: 'gid://shopify/Order/9003/line/1', variant_id: BLUE },
      { id: 'gid://shopify/Order/9003/line/2', variant_id: WAX },
      { id: 'gid://shopify/Order/9004/line/1', variant_id: null }, // SKU NOPE-1 unknown
    ]);
    expect(orders?.warnings).toHaveLength(1);
    expect(orders?.warnings[0]).toMatchObject({ line: 9, column: 'Lineitem sku' });
    expect(orders?.warnings[0]?.message).toMatch(/1 line item\(s\) are stored without a variant because no variant has their SKU.*"Mystery Item"/);
  });

  it('links line items imported before their products once the products arrive', () => {
    const d = open();
    importShopifyCsv(d, [fixture('orders_current.csv')], { now: NOW });
    expect(row<{ n: number }>(d, 'SELECT count(*) AS n FROM line_items WHERE variant_id IS NOT NULL')?.n).toBe(0);
    importShopifyCsv(d, [fixture('products_export.csv')], { now: NOW });
    expect(row<{ n: number }>(d, 'SELECT count(*) AS n FROM line_items WHERE variant_id IS NOT NULL')?.n).toBe(6);
  });

  it('does not guess when two variants share a SKU', () => {
    const d = open();
    const products =
      'Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Tracker,Variant Inventory Qty\n' +
      'a,A,Title,Default Title,DUP,1.00,shopify,1\n' +
      'b,B,Title,Default Title,DUP,1.00,shopify,1\n';
    const orders =
      'Name,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem fulfillment status,Currency,Total\n' +
      '#1,2025-05-11 09:55:16 -0400,1,A,1.00,DUP,,USD,1.00\n';
    const [, o] = importShopifyCsv(d, [{ name: 'p.csv', content: products }, { name: 'o.csv', content: orders }], { now: NOW });
    expect(row(d, 'SELECT variant_id FROM line_items')).toEqual({ variant_id: null });
    expect(o?.warnings[0]?.message).toMatch(/\(1 matched several variants\)/);
  });
});

describe('Shopify inventory export', () => {
  it('older layout: one column per location of available quantities; creates unknown variants', () => {
    const d = open();
    importShopifyCsv(d, [fixture('products_export.csv')], { now: NOW, storeCurrency: 'USD' });
    const [inv] = importShopifyCsv(d, [fixture('inventory_export_old.csv')], { now: NOW });
    expect(inv).toMatchObject({ kind: 'inventory', layout: 'inventory/column-per-location', rowsRead: 5 });
    expect(inv?.refused).toEqual([
      {
        file: 'inventory_export_old.csv',
        line: 6,
        column: 'Warehouse',
        message: `inventory_export_old.csv line 6, column "Warehouse": "lots" is not a whole number or 'not stocked'`,
      },
    ]);
    // New: beanie + 6 levels + 3 'Default' levels replaced by real locations. Same: 3 variants, Ice not stocked at Shop.
    expect(inv).toMatchObject({ recordsStored: 1 + 6 + 3, recordsUnchanged: 3 + 1 });
    expect(row(d, 'SELECT product_title, variant_title, sku, inventory_tracked FROM variants WHERE id = ?', 'csv-variant:beanie')).toEqual({
      product_title: 'Beanie', variant_title: null, sku: 'BEANIE-1', inventory_tracked: 1,
    });
    const byVariant = levels(d).filter((l) => [ICE, POWDER, RED, BLUE, 'csv-variant:beanie'].includes(l.variant_id));
    expect(byVariant.map((l) => [l.variant_id, l.location_id, l.available, l.on_hand])).toEqual([
      ['csv-variant:beanie', 'csv-location:Warehouse', 4, null], // empty Shop cell: nothing said
      [BLUE, 'csv-location:Default', 5, null], // its row was refused: the products figure stays
      [RED, 'csv-location:Shop', -1, null],
      [RED, 'csv-location:Warehouse', 0, null],
      [ICE, 'csv-location:Warehouse', 2, null], // 'not stocked' at Shop: no level
      [POWDER, 'csv-location:Shop', 1, null],
      [POWDER, 'csv-location:Warehouse', 1, null],
    ]);

    // The products export's quantity no longer applies to variants with per-location stock.
    const [products] = importShopifyCsv(d, [fixture('products_export.csv')], { now: NOW, storeCurrency: 'USD' });
    expect(products).toMatchObject({ recordsStored: 0, warnings: [] });
    expect(levels(d).filter((l) => [ICE, POWDER, RED].includes(l.variant_id) && l.location_id === 'csv-location:Default')).toEqual([]);
    const [again] = importShopifyCsv(d, [fixture('inventory_export_old.csv')], { now: NOW });
    expect(again?.recordsStored).toBe(0);
  });

  it('newer layout: one row per variant and location with on hand, committed, incoming', () => {
    const d = open();
    importShopifyCsv(d, [fixture('products_export.csv')], { now: NOW, storeCurrency: 'USD' });
    const [inv] = importShopifyCsv(d, [fixture('inventory_export_new.csv')], { now: NOW });
    expect(inv).toMatchObject({ layout: 'inventory/row-per-location', rowsRead: 6 });
    expect(inv?.refused.map((p) => [p.line, p.column])).toEqual([[7, 'Location']]);
    const real = levels(d).filter((l) => l.location_id !== 'csv-location:Default');
    expect(real).toEqual([
      { variant_id: WAX, location_id: 'csv-location:Warehouse', available: 9, on_hand: 10, committed: 0, incoming: 0 },
      { variant_id: RED, location_id: 'csv-location:Warehouse', available: 1, on_hand: 3, committed: 2, incoming: 5 }, // bins A1 + B2
      { variant_id: ICE, location_id: 'csv-location:Warehouse', available: 1, on_hand: 2, committed: 1, incoming: 0 },
    ]);
    expect(row(d, 'SELECT count(*) AS n FROM inventory_levels WHERE location_id = ? AND variant_id IN (?, ?, ?)', 'csv-location:Default', WAX, RED, ICE)).toEqual({ n: 0 });
    const [again] = importShopifyCsv(d, [fixture('inventory_export_new.csv')], { now: NOW });
    expect(again?.recordsStored).toBe(0);
  });
});

describe('variantStockView (on hand per variant)', () => {
  it('adds back what open orders committed when the source gave only available', () => {
    const d = open();
    importShopifyCsv(d, [fixture('orders_current.csv'), fixture('products_export.csv')], { now: NOW });
    expect(onHand(d)).toMatchObject({
      [ICE]: 0 + 1, // #1001 waits for 1
      [POWDER]: 3 + 1,
      [WAX]: 10 + 2 + 1, // #1001 (2) and #1003 (1)
      [RED]: 1 + 2, // #1002
      [BLUE]: 5 + 0, // #1003's line is fulfilled
      [ELECTRIC]: -2,
    });
    const view = variantStockView(d);
    expect(view.get(DOWEL)).toEqual({ tracked: false, policy: 'DENY', onHand: 0 });
    expect(view.get(ELECTRIC)).toMatchObject({ tracked: true, policy: 'CONTINUE' });

    // Fulfilled and cancelled orders no longer hold stock; a new order does.
    importShopifyCsv(d, [fixture('orders_newer.csv')], { now: NOW });
    expect(onHand(d)).toMatchObject({ [RED]: 1 + 3, [WAX]: 10 + 2 });
  });

  it('uses on hand where the inventory export gave it, and null when nothing is known', () => {
    const d = open();
    importShopifyCsv(d, [fixture('orders_current.csv'), fixture('products_export.csv'), fixture('inventory_export_new.csv')], { now: NOW });
    expect(onHand(d)).toMatchObject({ [ICE]: 2, [RED]: 3, [WAX]: 10, [POWDER]: 3 + 1 });
    d.prepare("INSERT INTO variants (id, product_title, updated_at) VALUES ('csv-variant:ghost', 'Ghost', ?)").run(NOW);
    expect(variantStockView(d).get('csv-variant:ghost')).toEqual({ tracked: true, policy: 'DENY', onHand: null });
  });
});
