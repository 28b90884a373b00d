import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/main/store/db';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-ins-'));
const db = openDatabase(path.join(dir, 'x.db'));
const N = 100000;
const insC = db.prepare('INSERT INTO customers (id, email, updated_at) VALUES (?, ?, ?)');
const insO = db.prepare('INSERT INTO orders (id, name, customer_id, email, phone, customer_name, created_at, currency, total_minor, financial_status, fulfillment_status, cancelled_at, accepts_marketing, tags, source_updated_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)');
const insL = db.prepare('INSERT INTO line_items (id, order_id, position, name, sku, variant_id, quantity, fulfilled_quantity, fulfillment_status, price_minor, requires_shipping, vendor) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
const selO = db.prepare('SELECT name FROM orders WHERE id = ?');
const selL = db.prepare('SELECT order_id, position, name FROM line_items WHERE id = ?');
const now = new Date().toISOString();
let t = performance.now();
db.pragma('foreign_keys = OFF');
db.transaction(() => {
  for (let c = 0; c < 5000; c++) insC.run(`csv-customer:customer${c}@example.com`, `customer${c}@example.com`, now);
  for (let o = 0; o < N / 2; o++) {
    const id = `gid://shopify/Order/${5000000000 + o}`;
    selO.get(id);
    insO.run(id, `#${10000 + o}`, `csv-customer:customer${o % 5000}@example.com`, `customer${o % 5000}@example.com`, null, `Customer ${o%5000}`, '2026-01-01T00:00:00.000+00:00', 'USD', 3998, 'paid', 'unfulfilled', null, 0, '', '2026-01-01T00:00:00.000+00:00', now);
    for (let p = 1; p <= 2; p++) {
      selL.get(`${id}/line/${p}`);
      insL.run(`${id}/line/${p}`, id, p, `Product ${o % 200}`, `SKU-${o % 200}`, null, 1, 0, 'pending', 1999, 1, null);
    }
  }
})();
console.log('schema insert ms', (performance.now() - t).toFixed(0));
const csv = fs.readFileSync(process.argv[2] ?? '/dev/null');
