/**
 * The orders parse worker (orders-parts.ts, order-batches.ts, orders-stream.ts, orders-worker.ts):
 * whatever reads an orders export — the whole-file readers on the importing thread, or the worker
 * that reads it in parts while the first orders are stored — the database and the report come out
 * the same; where the parts reader cannot promise that, it falls back and the file is read whole.
 * The worker here is a real worker_threads Worker on the TypeScript sources.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/main/store/db';
import { readCsv } from '../../src/main/import/shopify-csv/csv';
import { importShopifyCsv, type ShopifyCsvFile } from '../../src/main/import/shopify-csv/index';
import { OrderBatchDecoder, OrderBatchEncoder } from '../../src/main/import/shopify-csv/order-batches';
import { readOrders, type OrderRecord } from '../../src/main/import/shopify-csv/orders';
import { readOrdersInParts, type OrdersPartMessage } from '../../src/main/import/shopify-csv/orders-parts';
import { OrdersParseStream } from '../../src/main/import/shopify-csv/orders-stream';
import { CORPUS, fixture, NOW, rows, tempDb } from '../fixtures/shopify-csv/harness';
import { csv, ORDERS_HEADER } from '../helpers/shopify-csv';

const CORPUS_ORDERS = path.join(CORPUS, 'shopify/csv/forezia-mock-data/orders_export.csv');
const haveCorpus = fs.existsSync(CORPUS_ORDERS);
if (!haveCorpus) console.log(`skipping the corpus part of the parse worker tests: ${CORPUS_ORDERS} is absent`);

const dbs: Db[] = [];
const open = (): Db => {
  const d = tempDb();
  dbs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dbs.splice(0)) d.close();
});

/** An orders export with what real files hold: quoted commas and line breaks, apostrophe ids, non-ASCII, refusals. */
function awkwardExport(lineEnding: '\n' | '\r\n'): string {
  const order = (n: number, extra: Record<string, string> = {}): Record<string, string> => ({
    Name: `#${n}`, Email: `Buyer${n % 3}@Example.com`, 'Financial Status': 'paid', Currency: 'EUR', Total: `${n}.50`,
    'Created at': `2026-02-0${1 + (n % 9)} 10:00:00 +0100`, 'Lineitem quantity': '2', 'Lineitem name': `Teapot "Ōsaka", ${n}`,
    'Lineitem price': '12.25', 'Lineitem sku': `TP-${n % 4}`, 'Billing Name': `Zoë ${n} Müller`, Id: String(7_000_000 + n),
    Notes: n % 5 === 0 ? 'leave at the door,\nring twice' : '', Phone: n % 2 ? "'+33612345678" : '', ...extra,
  });
  const line = (n: number, extra: Record<string, string> = {}): Record<string, string> => ({
    Name: `#${n}`, 'Lineitem quantity': '1', 'Lineitem name': `Cup ${n}`, 'Lineitem price': '3.00', 'Lineitem sku': '',
    'Lineitem fulfillment status': n % 4 === 0 ? 'partial' : n % 7 === 0 ? 'restocked' : 'pending', ...extra,
  });
  const rows: Record<string, string>[] = [];
  for (let n = 1000; n < 1040; n++) {
    rows.push(order(n, n === 1013 ? { 'Created at': 'yesterday' } : n === 1021 ? { Total: '', Currency: '' } : {}));
    rows.push(line(n, n === 1017 ? { 'Lineitem quantity': 'two' } : {}));
    if (n % 3 === 0) rows.push(line(n, { 'Lineitem name': '' }));
  }
  rows.splice(10, 0, { Name: '', 'Lineitem name': 'orphan' }); // a row without its order's name
  // csv() ends records with LF; a quoted Notes cell keeps its own LF either way.
  const records = csv(ORDERS_HEADER, rows).split(/\n(?!ring twice)/);
  return records.join(lineEnding);
}

/** The awkward export with order #1001's second row moved to the end, as a spreadsheet sort might leave it. */
function resorted(): string {
  const lines = awkwardExport('\n').split('\n');
  const i = lines.findIndex((l) => l.includes('Cup 1001'));
  return [...lines.slice(0, i), ...lines.slice(i + 1, -1), lines[i], ''].join('\n');
}

/** Runs the parts reader on `content` in tiny batches and collects what it hands on. */
function inParts(file: string, content: string | Buffer): { orders: OrderRecord[]; messages: OrdersPartMessage[] } {
  const messages: OrdersPartMessage[] = [];
  readOrdersInParts({ file, content, fallbackCurrency: 'EUR', firstBatch: 1, batch: 3 }, (m) => messages.push(m));
  const decoder = new OrderBatchDecoder();
  const orders = messages.flatMap((m) => (m.type === 'batch' ? decoder.decode(m.batch) : []));
  return { orders, messages };
}

/** Everything the import wrote, but for the clock columns. */
function dump(d: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of ['customers', 'orders', 'line_items', 'variants', 'inventory_levels']) out[t] = rows(d, `SELECT * FROM ${t} ORDER BY rowid`);
  out['imports'] = rows(d, 'SELECT kind, file_name, sha256, layout, report FROM imports ORDER BY id');
  return out;
}

/** Imports the same runs into two fresh databases, whole-file and through the worker; both must agree. */
function importBothWays(runs: ShopifyCsvFile[][], ordersBatchSize?: number): { whole: Db; worker: Db; logs: string[] } {
  const whole = open();
  const worker = open();
  const logs: string[] = [];
  for (const files of runs) {
    const a = importShopifyCsv(whole, files, { now: NOW, ordersWorker: 'never' });
    const b = importShopifyCsv(worker, files, { now: NOW, ordersWorker: 'always', log: (l) => logs.push(l), ...(ordersBatchSize ? { ordersBatchSize } : {}) });
    expect(b).toEqual(a);
  }
  expect(dump(worker)).toEqual(dump(whole));
  return { whole, worker, logs };
}

describe('order batches', () => {
  it('carry every field of every order, nulls and repeated strings included, across batches of one file', () => {
    const table = readCsv('awkward.csv', awkwardExport('\n'));
    const { orders } = readOrders(table, 'EUR');
    expect(orders.length).toBeGreaterThan(30);
    const encoder = new OrderBatchEncoder();
    const decoder = new OrderBatchDecoder();
    const back: OrderRecord[] = [];
    for (let i = 0; i < orders.length; i += 7) back.push(...decoder.decode(encoder.encode(orders.slice(i, i + 7))));
    expect(back).toEqual(orders);
    // A string crosses once: the second batch of the same orders adds no strings.
    const again = encoder.encode(orders.slice(0, 7));
    expect(again.newStringCount).toBe(0);
  });

  it('refuses a string with NUL, which no CSV the reader accepts can hold', () => {
    const [order] = readOrders(readCsv('a.csv', awkwardExport('\n')), 'EUR').orders;
    expect(() => new OrderBatchEncoder().encode([{ ...order!, tags: 'a\u0000b' }])).toThrow(/NUL/);
  });
});

describe('reading an orders export in parts', () => {
  const cases: [string, () => string | Buffer][] = [
    ['awkward export, LF', () => awkwardExport('\n')],
    ['awkward export, CRLF', () => awkwardExport('\r\n')],
    ['orders_current.csv', () => fixture('orders_current.csv').content],
    ['orders_newer.csv', () => fixture('orders_newer.csv').content],
    ['orders_older.csv', () => fixture('orders_older.csv').content],
  ];
  it.each(cases)('%s: the same orders, refusals, warnings and rows read as the whole-file readers', (_name, content) => {
    const file = 'orders_export.csv';
    const table = readCsv(file, content());
    const whole = readOrders(table, 'EUR');
    const { orders, messages } = inParts(file, content());
    const done = messages.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') return;
    expect(orders).toEqual(whole.orders);
    expect([...done.csvRefused, ...done.readRefused]).toEqual([...table.refused, ...whole.refused]);
    expect([...done.csvWarnings, ...done.readWarnings]).toEqual([...table.warnings, ...whole.warnings]);
    expect(done.rowsRead).toBe(table.rows.length + table.refused.length);
    expect(messages.filter((m) => m.type === 'batch').length).toBeGreaterThan(orders.length > 3 ? 1 : 0);
  });

  it.skipIf(!haveCorpus)('the corpus export written by the Shopify admin', () => {
    const content = fs.readFileSync(CORPUS_ORDERS);
    const whole = readOrders(readCsv('orders_export.csv', content), 'EUR');
    const { orders, messages } = inParts('orders_export.csv', content);
    expect(messages.at(-1)?.type).toBe('done');
    expect(orders).toEqual(whole.orders);
  });

  it('falls back where only the whole file can give the same result', () => {
    const reasons = (content: string): string[] =>
      inParts('x.csv', content).messages.flatMap((m) => (m.type === 'fallback' ? [m.reason] : m.type === 'done' ? ['done'] : []));
    const base = awkwardExport('\n');
    expect(reasons(resorted())).toEqual(['the rows of order #1001 are not together']);
    expect(reasons(base.replace('Cup 1001', 'Cup "1001'))).toEqual(['the text is not well-formed CSV throughout']);
    expect(reasons(base.replace('\n', '\r\n'))).toEqual(['the text is not well-formed CSV throughout']); // mixed line endings
    expect(reasons(base.replace('Cup 1002', 'Cup \u0000'))).toEqual(['the text is empty or binary']);
    expect(reasons(base.replace('Cup 1003', 'Cup \uD800'))).toEqual(['the text has an unpaired surrogate']);
  });
});

describe('importing through the parse worker', () => {
  it('a real worker thread hands over the batches and the end', () => {
    const stream = OrdersParseStream.start({ file: 'orders_export.csv', content: awkwardExport('\n'), fallbackCurrency: 'EUR', firstBatch: 2, batch: 5 });
    expect(stream).not.toBeNull();
    if (!stream) return;
    try {
      const got: OrderRecord[] = [];
      let item = stream.next();
      while (item.type === 'batch') {
        got.push(...item.orders);
        item = stream.next();
      }
      expect(got.map((o) => o.name)).toEqual(readOrders(readCsv('o.csv', awkwardExport('\n')), 'EUR').orders.map((o) => o.name));
      expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      stream.close();
    }
  });

  it('stores the same rows and reports the same as the whole-file import (fixtures, re-imports, newer exports)', () => {
    const awkward = { name: 'awkward.csv', content: awkwardExport('\r\n') };
    const { logs } = importBothWays([
      [fixture('orders_older.csv')],
      [fixture('orders_current.csv'), awkward],
      [fixture('orders_current.csv')], // unchanged
      [fixture('orders_newer.csv')], // fulfilled, cancelled
    ]);
    expect(logs).toContain('awkward.csv: read by the parse worker while its orders are stored');
    expect(logs.some((l) => l.includes('reading the files on this thread instead'))).toBe(false);
  });

  it('with products and inventory in the same run, and derived customers the same whether or not orders were stored before', () => {
    importBothWays([[fixture('inventory_export_new.csv'), fixture('products_export.csv'), fixture('orders_current.csv', 'orders')]]);
    // The store already has an order: derived customers are then read back from the table, not summed from the run.
    importBothWays([[fixture('orders_older.csv')], [{ name: 'awkward.csv', content: awkwardExport('\n') }]]);
  });

  it.skipIf(!haveCorpus)('the corpus export', () => {
    importBothWays([[{ name: 'orders_export.csv', content: fs.readFileSync(CORPUS_ORDERS) }]]);
  });

  it('a file the worker cannot read in parts is read whole, with the same result, and the log says so', () => {
    const { logs } = importBothWays([[{ name: 'resorted.csv', content: resorted() }]]);
    expect(logs.at(-1)).toBe('orders parse worker: the rows of order #1001 are not together; reading the files on this thread instead');
    // Malformed CSV: refused rows are reported by the whole-file reader, and nothing is lost.
    importBothWays([[fixture('orders_malformed.csv')]]);
  });

  it('bad input is refused with the whole-file message, and nothing is written', () => {
    const d = open();
    const binary = { name: 'orders_export.csv', content: `${ORDERS_HEADER}\n#1,a@b.c,paid\u0000\n` };
    expect(() => importShopifyCsv(d, [binary], { now: NOW, ordersWorker: 'always' })).toThrow(/orders_export.csv: this is not a CSV text file/);
    expect(rows(d, 'SELECT count(*) AS n FROM orders')).toEqual([{ n: 0 }]);
    expect(rows(d, 'SELECT count(*) AS n FROM imports')).toEqual([{ n: 0 }]);
  });
  it('an order named like another order\'s line ids ("#1/line/5") neither hides nor renumbers the line items of order #1', () => {
    const order = (name: string, extra: Record<string, string> = {}): Record<string, string> => ({
      Name: name, Email: 'tie@example.com', 'Financial Status': 'paid', Currency: 'USD', Total: '3.00', 'Created at': '2026-03-03 10:00:00 -0400',
      'Lineitem quantity': '1', 'Lineitem name': 'Cup', 'Lineitem price': '1.00', ...extra,
    });
    const line = (name: string, price = '1.00'): Record<string, string> => ({ Name: name, 'Lineitem quantity': '1', 'Lineitem name': `Cup ${price}`, 'Lineitem price': price });
    const seed = { name: 'seed.csv', content: csv(ORDERS_HEADER, [order('#seed', { Id: '1', Email: 'seed@example.com' })]) };
    const file = {
      name: 'orders.csv',
      content: csv(ORDERS_HEADER, [
        order('#1/line/5'), line('#1/line/5'), line('#1/line/5'),
        ...Array.from({ length: 8 }, (_, i) => order(`#${2000 + i}`, { Id: String(9000 + i), Email: `b${i}@example.com` })),
        order('#1', { 'Billing Name': 'Bob Brown' }), line('#1', 'oops'), line('#1'),
      ]),
    };
    // Batches of three orders: #1 is decided after #1/line/5's line items are stored.
    const { worker } = importBothWays([[seed], [file]], 3);
    expect(rows(worker, "SELECT id, position FROM line_items WHERE order_id = 'csv-order:#1' ORDER BY id")).toEqual([
      { id: 'csv-order:#1/line/1', position: 1 },
      { id: 'csv-order:#1/line/3', position: 3 },
    ]);
  });

  it('a BOM before text that is not UTF-8 is refused the same way (the header reads differently once decoded)', () => {
    const row = '#1001,a@x.com,paid,,unfulfilled,,no,USD,,,,10.00,,,,2025-01-01 10:00:00 -0400,1,Caf\xe9 mug,10.00,,SKU1,true,true,pending';
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${ORDERS_HEADER}\n${row}\n`, 'latin1')]);
    for (const ordersWorker of ['never', 'always'] as const) {
      expect(() => importShopifyCsv(open(), [{ name: 'orders_export.csv', content }], { now: NOW, ordersWorker })).toThrow(/lacks the column "Name"/);
    }
  });
  it('rows are stored in file order however the file is cut into batches (a stored order gaining a line among new orders)', () => {
    const order = (name: string, id: number, lines: number): Record<string, string>[] =>
      Array.from({ length: lines }, (_, i) => ({
        Name: name, 'Lineitem quantity': '1', 'Lineitem name': `Cup ${i}`, 'Lineitem price': '1.00', 'Lineitem sku': `C-${i}`,
        ...(i === 0 ? { Email: `o${id}@example.com`, 'Financial Status': 'paid', Currency: 'USD', Total: '1.00', 'Created at': '2026-03-03 10:00:00 -0400', Id: String(id) } : {}),
      }));
    const first = { name: 'a.csv', content: csv(ORDERS_HEADER, order('#1', 1, 1)) };
    const second = {
      name: 'b.csv',
      content: csv(ORDERS_HEADER, [...Array.from({ length: 9 }, (_, i) => order(`#${100 + i}`, 100 + i, 1)).flat(), ...order('#1', 1, 2), ...order('#200', 200, 1)]),
    };
    importBothWays([[first], [second]], 2);
    // Physical order too: dump() reads every table ORDER BY rowid.
  });

  it('binary content is refused before the header is looked at, as on the whole-file path', () => {
    const binary = { name: 'a.csv', content: `${ORDERS_HEADER}\n#1,a@b.c,paid\u0000\n` };
    const unknown = { name: 'b.csv', content: 'Foo,Bar\n1,2\n' };
    for (const ordersWorker of ['never', 'always'] as const) {
      expect(() => importShopifyCsv(open(), [binary, unknown], { now: NOW, ordersWorker })).toThrow(/^a\.csv: this is not a CSV text file/);
      expect(() => importShopifyCsv(open(), [{ ...binary, kind: 'customers' }], { now: NOW, ordersWorker })).toThrow(/^a\.csv: this is not a CSV text file/);
    }
  });
});
