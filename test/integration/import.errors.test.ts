import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/main/store/db';
import { importShopifyCsv } from '../../src/main/import/shopify-csv/index';
import { AppError } from '../../src/shared/result';
import { fixture, FIXTURES, NOW, row, rows, tempDb } from '../fixtures/shopify-csv/harness';

let db: Db | undefined;
const open = (): Db => (db = tempDb());
afterEach(() => db?.close());

const count = (d: Db, table: string): number => row<{ n: number }>(d, `SELECT count(*) AS n FROM ${table}`)?.n ?? -1;

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('bad rows are refused one by one; the rest of the file imports', () => {
  it('names file, line and column for each refused row, including an unterminated quote', () => {
    const d = open();
    importShopifyCsv(d, [fixture('orders_current.csv')], { now: NOW });
    const before = rows(d, 'SELECT * FROM orders ORDER BY id');

    const [r] = importShopifyCsv(d, [fixture('orders_malformed.csv')], { now: NOW });
    expect(r?.refused.map((p) => p.message)).toEqual([
      // line 2-3 is #2001, whose Notes spans two lines
      'orders_malformed.csv line 4, column "Lineitem quantity": "abc" is not a whole number of zero or more',
      'orders_malformed.csv line 5, column "Created at": "yesterday" is not a date and time like 2025-05-11 09:55:16 -0400 (order #2002 is not imported)',
      'orders_malformed.csv line 6: belongs to order #2002, refused at line 5',
      `orders_malformed.csv line 7, column "Lineitem price": "$12.50" is not an amount (expected digits with a '.' decimal point, like 1659.95)`,
      'orders_malformed.csv line 8: the row has 80 fields but the header has 79; a comma or quote is probably out of place',
      'orders_malformed.csv line 10: a quoted field opened on this line is never closed; lines 10–12 were not read',
    ]);
    expect(r?.refused.map((p) => [p.line, p.column])).toEqual([
      [4, 'Lineitem quantity'], [5, 'Created at'], [6, null], [7, 'Lineitem price'], [8, null], [10, null],
    ]);
    // #2001 (its good line), #2003 (no readable line), #2005, and the derived customer erin.
    expect(r).toMatchObject({ rowsRead: 8, recordsStored: 3 + 2 + 1 });
    expect(rows(d, "SELECT name FROM orders WHERE name LIKE '#20%' ORDER BY name")).toEqual([{ name: '#2001' }, { name: '#2003' }, { name: '#2005' }]);
    expect(rows(d, "SELECT id, quantity FROM line_items WHERE order_id = 'gid://shopify/Order/9201'")).toEqual([
      { id: 'gid://shopify/Order/9201/line/1', quantity: 1 },
    ]);
    // Nothing stored before is lost.
    expect(rows(d, "SELECT * FROM orders WHERE name LIKE '#10%' ORDER BY id")).toEqual(before);
  });

  it('a refused row of an already stored order leaves the stored line item as it was', () => {
    const d = open();
    importShopifyCsv(d, [fixture('orders_current.csv')], { now: NOW });
    const line2 = row(d, "SELECT * FROM line_items WHERE id = 'gid://shopify/Order/9001/line/2'");
    const broken = fs
      .readFileSync(path.join(FIXTURES, 'orders_current.csv'), 'utf8')
      .replace(',1,The Complete Snowboard - Powder,', ',x,The Complete Snowboard - Powder,');
    const [r] = importShopifyCsv(d, [{ name: 'edited.csv', content: broken }], { now: NOW });
    expect(r?.refused).toEqual([
      { file: 'edited.csv', line: 4, column: 'Lineitem quantity', message: 'edited.csv line 4, column "Lineitem quantity": "x" is not a whole number of zero or more' },
    ]);
    expect(row(d, "SELECT * FROM line_items WHERE id = 'gid://shopify/Order/9001/line/2'")).toEqual(line2);
    // Line 3 keeps its position (and id) although line 2 was refused.
    expect(row(d, "SELECT name FROM line_items WHERE id = 'gid://shopify/Order/9001/line/3'")).toEqual({ name: 'Ski Wax' });
  });
});

describe('files refused whole, before anything is written', () => {
  it('an unknown header names the file and lists the columns each export needs', () => {
    const d = open();
    const err = refusal(() => importShopifyCsv(d, [fixture('orders_current.csv'), fixture('bank_statement.csv')], { now: NOW }));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(/^bank_statement\.csv: the header is not one of Shopify's CSV exports \(it has 3 column\(s\): "Date", "Description", "Amount"\)/);
    expect(err.message).toContain('orders export: Name, Created at, Lineitem quantity, Lineitem name, Lineitem price, Lineitem sku, Lineitem fulfillment status');
    expect(err.message).toContain('products export (classic): Handle, Title');
    expect(err.message).toContain('customers export: First Name, Last Name, Email, Total Spent, Total Orders');
    // The good file of the same run was not imported either.
    expect(count(d, 'orders')).toBe(0);
    expect(count(d, 'imports')).toBe(0);
  });

  it('a binary file, an empty file and a file of the wrong kind are refused', () => {
    const d = open();
    expect(refusal(() => importShopifyCsv(d, [fixture('photo.csv')], { now: NOW })).message).toMatch(/^photo\.csv: this is not a CSV text file/);
    expect(refusal(() => importShopifyCsv(d, [{ name: 'empty.csv', content: '' }], { now: NOW })).message).toMatch(/^empty\.csv: the file is empty/);
    const wrongKind = refusal(() => importShopifyCsv(d, [fixture('products_export.csv', 'orders')], { now: NOW }));
    expect(wrongKind.message).toMatch(/^products_export\.csv: was given as a orders export but its header is a products export\. Expected the columns of orders export: Name, Created at/);
    expect(count(d, 'variants')).toBe(0);
  });

  it('a known export missing a required column is refused with the columns it lacks', () => {
    const d = open();
    const csv = 'Name,Created at,Lineitem quantity,Lineitem name,Lineitem price\n#1,2025-05-11 09:55:16 -0400,1,A,1.00\n';
    const err = refusal(() => importShopifyCsv(d, [{ name: 'cut.csv', content: csv }], { now: NOW }));
    expect(err.message).toBe(
      'cut.csv: looks like a Shopify orders export but lacks the columns "Lineitem sku", "Lineitem fulfillment status". ' +
        'Expected at least: Name, Created at, Lineitem quantity, Lineitem name, Lineitem price, Lineitem sku, Lineitem fulfillment status.',
    );
  });

  it('an invalid clock or currency option is refused', () => {
    const d = open();
    expect(refusal(() => importShopifyCsv(d, [fixture('orders_current.csv')], { now: 'soon' })).code).toBe('BAD_INPUT');
    expect(refusal(() => importShopifyCsv(d, [fixture('orders_current.csv')], { now: NOW, storeCurrency: 'dollars' })).message).toMatch(/storeCurrency "dollars" is not an ISO 4217/);
  });
});

describe('encodings and CSV dialect', () => {
  it('reads CRLF, BOM and LF files alike, and a Windows-1252 file with a warning', () => {
    const d = open();
    const text = 'Handle,Title,Option1 Name,Option1 Value,SKU,Loja Centro\r\ncalca,Calça Luna,Size,34,SKU-34,2\r\n';
    const [r] = importShopifyCsv(d, [{ name: 'inventory.csv', content: Buffer.from(text, 'latin1') }], { now: NOW });
    expect(r?.warnings[0]?.message).toMatch(/^inventory\.csv line 1: the file is not UTF-8/);
    expect(row(d, 'SELECT product_title FROM variants')).toEqual({ product_title: 'Calça Luna' });
    expect(row(d, 'SELECT name FROM locations')).toEqual({ name: 'Loja Centro' });
  });

  it('never throws anything but AppError on mangled input', () => {
    const d = open();
    const base = fs.readFileSync(path.join(FIXTURES, 'orders_current.csv'), 'utf8');
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const noise = ['"', ',', '\n', '\r', '""', '\u0000', 'é', ' '];
    for (let i = 0; i < 150; i++) {
      let s = base;
      for (let j = 0; j < 1 + rand(6); j++) {
        const at = rand(s.length);
        const cut = rand(3);
        s = s.slice(0, at) + (noise[rand(noise.length)] ?? '') + s.slice(at + cut);
      }
      try {
        const reports = importShopifyCsv(d, [{ name: `mangled-${i}.csv`, content: s }], { now: NOW });
        for (const rep of reports) for (const p of rep.refused) expect(p.line).toBeGreaterThanOrEqual(1);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
      }
    }
  });
});

describe('a spreadsheet re-save', () => {
  it('a semicolon-separated export is refused with the reason and the fix', () => {
    const db = openDatabase(':memory:');
    const content = 'Name;Email;Created at;Lineitem quantity;Lineitem name;Lineitem price;Lineitem sku\n#1;a@example.com;2026-11-01 10:00:00 -0500;1;Mug;10.00;M-1\n';
    expect(() => importShopifyCsv(db, [{ name: 'orders_excel.csv', content }], { now: '2026-11-30T00:00:00Z' })).toThrow(
      /orders_excel\.csv: its columns are separated by semicolons.*CSV UTF-8/,
    );
  });
});
