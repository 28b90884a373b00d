/**
 * Bench of the live Shopify sync (issue: "30,000-order store synced from the fake through the bulk
 * path in < 60 s, with database writes ≥ 50% of the raw insert rate measured in the same run").
 *
 * 1. Full initial sync of a generated 30,000-order store from the fake Admin API on 127.0.0.1
 *    (three bulk operations, JSONL download, validation, stitching, writes), wall time.
 * 2. The write step alone: the stitched orders written by the sync's writer into a fresh database,
 *    rows per second, against 3. raw better-sqlite3 INSERTs of the same rows (same tables, one
 *    transaction, no compare) in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ShopifyClient } from '../src/main/shopify/client';
import { JsonlStitcher, streamJsonl } from '../src/main/shopify/jsonl';
import type { StitchedOrder } from '../src/main/shopify/schemas';
import { syncShop } from '../src/main/shopify/sync';
import { shopifyRoute } from '../src/main/shopify/transport';
import { newTally, writeOrders } from '../src/main/shopify/write';
import { openDatabase } from '../src/main/store/db';
import { FakeShopify, generateStore } from '../test/helpers/fake-shopify';

export async function benchShopifySync(orders = 30_000): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-bench-shopify-'));
  const fake = new FakeShopify(generateStore({ orders, variants: 600, customers: 8000, seed: 9 }), { bulkPolls: 1 });
  await fake.start();
  const unroute = shopifyRoute(fake.shop, fake.origin);
  const client = new ShopifyClient({ shop: fake.shop, credentials: { kind: 'token', accessToken: 'shpat_test_token' } });
  const now = new Date().toISOString();

  const db = openDatabase(path.join(dir, 'sync.db'));
  const t0 = performance.now();
  await syncShop(db, client, { now: () => now, pollMs: 50 });
  const syncMs = performance.now() - t0;
  const lineCount = db.prepare('SELECT count(*) FROM line_items').pluck().get() as number;

  // The stitched orders again (from the completed operation's file), for the write-only measurement.
  const op = fake.bulkOps.find((o) => o.kind === 'orders')!;
  const stitcher = new JsonlStitcher('orders');
  await streamJsonl(`${fake.origin}/bulk/${op.id.split('/').pop()}.jsonl`, (l) => stitcher.push(l));
  const records = stitcher.result().records as StitchedOrder[];

  const wdb = openDatabase(path.join(dir, 'write.db'));
  // The orders' customers and variants exist in a real sync; copy them so foreign keys hold.
  wdb.exec(`ATTACH '${path.join(dir, 'sync.db')}' AS src; INSERT INTO customers SELECT * FROM src.customers; INSERT INTO variants SELECT * FROM src.variants; DETACH src;`);
  const tally = newTally();
  const t1 = performance.now();
  wdb.transaction(() => writeOrders(wdb, records, now, tally)).immediate();
  const writeMs = performance.now() - t1;
  const rows = records.reduce((n, r) => n + 1 + r.lines.length + r.fulfillmentOrders.reduce((m, f) => m + 1 + f.lines.length, 0) + r.order.fulfillments.length, 0);

  const rdb = openDatabase(path.join(dir, 'raw.db'));
  rdb.exec(`ATTACH '${path.join(dir, 'sync.db')}' AS src; INSERT INTO customers SELECT * FROM src.customers; INSERT INTO variants SELECT * FROM src.variants; DETACH src;`);
  const insOrder = rdb.prepare(
    'INSERT INTO orders (id, name, customer_id, email, phone, customer_name, created_at, currency, total_minor, financial_status, fulfillment_status, cancelled_at, accepts_marketing, tags, source_updated_at, updated_at) VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, NULL, 0, ?, ?, ?)',
  );
  const insLine = rdb.prepare(
    'INSERT INTO line_items (id, order_id, position, name, sku, variant_id, quantity, fulfilled_quantity, fulfillment_status, price_minor, requires_shipping, vendor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)',
  );
  const insFo = rdb.prepare('INSERT INTO shopify_fulfillment_orders (id, order_id, status, updated_at) VALUES (?, ?, ?, ?)');
  const insFol = rdb.prepare('INSERT INTO shopify_fulfillment_order_lines (id, fulfillment_order_id, line_item_id, total_quantity, remaining_quantity) VALUES (?, ?, ?, ?, ?)');
  const insF = rdb.prepare('INSERT INTO shopify_fulfillments (id, order_id, status, created_at, tracking_number, tracking_company, tracking_url) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const t2 = performance.now();
  rdb.transaction(() => {
    for (const { order: o, lines, fulfillmentOrders } of records) {
      insOrder.run(o.id, o.name, o.customer?.id ?? null, o.email, o.createdAt, o.currencyCode, 100, 'paid', 'unfulfilled', o.tags.join(', '), o.updatedAt, now);
      lines.forEach((l, i) => insLine.run(l.id, o.id, i + 1, l.name, l.sku, l.variant?.id ?? null, l.currentQuantity, 0, 'unfulfilled', 100, l.vendor));
      for (const { fo, lines: fl } of fulfillmentOrders) {
        insFo.run(fo.id, o.id, fo.status, fo.updatedAt);
        for (const x of fl) insFol.run(x.id, fo.id, x.lineItem.id, x.totalQuantity, x.remainingQuantity);
      }
      for (const f of o.fulfillments) insF.run(f.id, o.id, f.status, f.createdAt, null, null, null);
    }
  }).immediate();
  const rawMs = performance.now() - t2;

  const writeRate = rows / (writeMs / 1000);
  const rawRate = rows / (rawMs / 1000);
  console.log(
    `Shopify bulk sync: ${orders} orders (${lineCount} line items, 8,000 customers, 600 variants) from the fake Admin API in ${(syncMs / 1000).toFixed(1)} s (target < 60 s); ` +
      `sync writes ${Math.round(writeRate)} rows/s vs raw inserts ${Math.round(rawRate)} rows/s = ${((writeRate / rawRate) * 100).toFixed(0)}% (target ≥ 50%)`,
  );
  db.close();
  wdb.close();
  rdb.close();
  unroute();
  await fake.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

const isEntry = process.argv[1] && /bench[\\/]shopify\.ts$/.test(process.argv[1]);
if (isEntry) await benchShopifySync(Number(process.argv[2] ?? 30_000));
