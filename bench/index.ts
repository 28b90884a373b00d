/**
 * `npm run bench`: speed and memory figures for the targets, printed, never asserted.
 * Each target is reported next to a baseline measured in the same run on the same machine.
 *
 * - import of a 100,000-line orders export vs the raw better-sqlite3 insert rate (target ≥ 50%)
 * - detection over 100,000 open lines (target < 1 s)
 * - a scheduler tick over 50,000 open backorders (target < 1 s)
 * - peak RSS (target < 400 MB)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { allocateStock, type OpenLine, type VariantStock } from '../src/core/detection/allocate';
import { standardBackorderFlow } from '../src/core/sequence/flow';
import { runDetection } from '../src/main/app/detect';
import { runTick } from '../src/main/app/scheduler';
import { importShopifyCsv } from '../src/main/import/shopify-csv/index';
import { openDatabase } from '../src/main/store/db';
import { defaultSettings } from '../src/main/store/settings';
import { ORDERS_HEADER } from '../test/helpers/shopify-csv';

const HEADER = ORDERS_HEADER;
const COLS = HEADER.split(',');

/** A synthetic orders export: `lines` line items, two per order, over 200 SKUs. */
function ordersExport(lines: number): string {
  const out = [HEADER];
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < lines; i++) {
    const order = Math.floor(i / 2);
    const first = i % 2 === 0;
    const created = new Date(base + order * 60_000).toISOString().replace('T', ' ').slice(0, 19) + ' +0000';
    const row: Record<string, string> = {
      Name: `#${10000 + order}`,
      Email: `customer${order % 5000}@example.com`,
      'Created at': created,
      'Lineitem quantity': String(1 + (i % 3)),
      'Lineitem name': `Product ${i % 200}`,
      'Lineitem price': '19.99',
      'Lineitem sku': `SKU-${i % 200}`,
      'Lineitem requires shipping': 'true',
      'Lineitem taxable': 'true',
      'Lineitem fulfillment status': 'pending',
    };
    if (first) {
      Object.assign(row, {
        'Financial Status': 'paid', 'Fulfillment Status': 'unfulfilled', 'Accepts Marketing': 'no', Currency: 'USD',
        Subtotal: '39.98', Shipping: '0.00', Taxes: '0.00', Total: '39.98', 'Billing Name': `Customer ${order % 5000}`,
        Id: String(5_000_000_000 + order), 'Risk Level': 'Low', Source: 'web',
      });
    }
    out.push(COLS.map((c) => row[c] ?? '').join(','));
  }
  return out.join('\n') + '\n';
}

function productsExport(): string {
  const header = 'Handle,Title,Vendor,Type,Tags,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Price';
  const rows = [header];
  for (let i = 0; i < 200; i++) rows.push(`product-${i},Product ${i},Acme,Gear,,Title,Default Title,SKU-${i},shopify,${i % 4 === 0 ? -50 : 400},continue,19.99`);
  return rows.join('\n') + '\n';
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (n: number, ms: number): number => Math.round((n / ms) * 1000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-bench-'));

// 1. Raw insert baseline: the same number of rows of the same width, one transaction, WAL file.
const LINES = 100_000;
{
  const raw = new Database(path.join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.exec('CREATE TABLE t (id TEXT PRIMARY KEY, order_id TEXT, position INTEGER, name TEXT, sku TEXT, quantity INTEGER, price INTEGER, status TEXT)');
  const ins = raw.prepare('INSERT INTO t VALUES (?,?,?,?,?,?,?,?)');
  const t0 = performance.now();
  raw.transaction(() => {
    for (let i = 0; i < LINES; i++) ins.run(`o${i >> 1}/line/${i & 1}`, `o${i >> 1}`, i & 1, `Product ${i % 200}`, `SKU-${i % 200}`, 1, 1999, 'pending');
  })();
  const ms = performance.now() - t0;
  raw.close();
  const rawRate = rate(LINES, ms);
  console.log(`raw better-sqlite3 insert: ${LINES} rows in ${ms.toFixed(0)} ms = ${rawRate} rows/s (baseline)`);

  // 2. Import of a 100,000-line orders export.
  const db = openDatabase(path.join(dir, 'import.db'));
  importShopifyCsv(db, [{ kind: 'products', name: 'products_export.csv', content: productsExport() }], { now: new Date().toISOString() });
  const csv = ordersExport(LINES);
  const t1 = performance.now();
  importShopifyCsv(db, [{ kind: 'orders', name: 'orders_export.csv', content: csv }], { now: new Date().toISOString() });
  const importMs = performance.now() - t1;
  const importRate = rate(LINES, importMs);
  console.log(
    `orders import: ${LINES} lines (${mb(csv.length)}) in ${importMs.toFixed(0)} ms = ${importRate} lines/s = ${((importRate / rawRate) * 100).toFixed(0)}% of raw insert (target ≥ 50%)`,
  );

  // 3. Detection over 100,000 open lines: the pure allocation, then the stored run.
  const stock: VariantStock[] = Array.from({ length: 200 }, (_, i) => ({ variantId: `v${i}`, tracked: true, onHand: i % 4 === 0 ? 0 : 400 }));
  const lines: OpenLine[] = Array.from({ length: LINES }, (_, i) => ({
    lineItemId: `l${i}`, orderId: `o${i >> 1}`, orderName: `#${10000 + (i >> 1)}`, orderedAt: new Date(Date.UTC(2026, 0, 1) + (i >> 1) * 60_000).toISOString(),
    position: i & 1, variantId: `v${i % 200}`, openQuantity: 1 + (i % 3),
  }));
  const t2 = performance.now();
  const alloc = allocateStock(stock, lines);
  console.log(`detection (pure allocation): ${LINES} open lines in ${(performance.now() - t2).toFixed(0)} ms (target < 1000 ms), ${alloc.allocations.filter((a) => a.backordered > 0).length} backordered`);
  // Half the catalogue sold out: on hand 0, so about 50,000 lines are backordered.
  db.prepare(
    `UPDATE inventory_levels SET on_hand = 0, available = NULL, committed = NULL
      WHERE variant_id IN (SELECT id FROM variants WHERE CAST(substr(sku, 5) AS INTEGER) % 2 = 0)`,
  ).run();
  const t3 = performance.now();
  const det = runDetection(db, new Date().toISOString());
  console.log(`detection (stored, first run): ${LINES} open lines in ${(performance.now() - t3).toFixed(0)} ms, ${det.opened} backorders opened`);
  const t4 = performance.now();
  runDetection(db, new Date().toISOString());
  console.log(`detection (stored, unchanged re-run): ${(performance.now() - t4).toFixed(0)} ms (target < 1000 ms)`);

  // 4. A scheduler tick over the open backorders once every due step is recorded (the steady state).
  const open = db.prepare('SELECT count(*) FROM backorders WHERE closed_at IS NULL').pluck().get() as number;
  db.prepare("INSERT OR IGNORE INTO step_firings (backorder_id, step_id, fired_at, outcome) SELECT id, 'initial_notice', opened_at, 'acted' FROM backorders").run();
  db.prepare("INSERT OR IGNORE INTO step_firings (backorder_id, step_id, fired_at, outcome) SELECT id, 'partial_shipment', opened_at, 'acted' FROM backorders").run();
  const settings = defaultSettings();
  const t5 = performance.now();
  const tick = runTick(db, standardBackorderFlow, settings, new Date().toISOString());
  console.log(`scheduler tick: ${open} open backorders in ${(performance.now() - t5).toFixed(0)} ms (target < 1000 ms for 50,000), ${tick.drafted} drafted`);
  db.close();
}

console.log(`peak RSS: ${mb(process.resourceUsage().maxRSS * 1024)} (target < 400 MB)`);
fs.rmSync(dir, { recursive: true, force: true });

// ==== LLM drafting (issue "Drafts written by a local model") — appended block, self-contained ====
// The tiny generated GGUF (test/helpers/tiny-gguf.ts) in a host child process on one thread, two
// context sequences. Figures: the full drafting path (prompt, grammar, generation, checks in the host
// and the app, storage in SQLite) against raw generation (same prompts, same output token counts, no
// grammar, no checks, no storage) measured in the same run; and the wall time of BENCH_LLM_DRAFTS
// drafts (default 100; target < 30 s) run two at a time. Target: overhead ≤ 10% of raw generation.
{
  const { writeTinyGgufToTemp } = await import('../test/helpers/tiny-gguf');
  const { createModelHost } = await import('../src/main/llm/host');
  const { forkHostPort } = await import('../src/main/llm/child-port');
  const { draftMessage } = await import('../src/main/llm/drafting');
  const { buildDraftPrompt } = await import('../src/core/llm/prompt');
  const n = Number(process.env.BENCH_LLM_DRAFTS ?? 100);
  const llmDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-bench-llm-'));
  const host = createModelHost({ spawn: () => forkHostPort(), threads: 1, sequences: 2, contextSize: 2048, timeouts: { draftMs: 600_000 } });
  const loaded = await host.load(writeTinyGgufToTemp('bench.gguf'));
  if (loaded.state !== 'ready') throw new Error(`bench model failed: ${loaded.reason}`);
  const ldb = new Database(path.join(llmDir, 'drafts.db'));
  ldb.exec('CREATE TABLE drafts (id INTEGER PRIMARY KEY, subject TEXT, body TEXT, produced_by TEXT)');
  const store = ldb.prepare('INSERT INTO drafts (subject, body, produced_by) VALUES (?, ?, ?)');
  const reqFor = (i: number) => ({
    stepId: 'initial_notice' as const,
    channel: 'email' as const,
    facts: { orderName: `#${2000 + i}`, itemName: 'Enamel Mug - Black', status: 'backordered', nextUpdate: 'by Friday, November 6', segments: [], storeName: 'Juniper & Pine', customerFirstName: 'Ada', etaStart: '2026-11-10', etaEnd: '2026-11-17' },
  });
  const t0 = performance.now();
  let next = 0;
  let generationMs = 0;
  const attempts: { user: string; outputTokens: number }[] = [];
  const worker = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) {
      const req = reqFor(i);
      const out = await draftMessage(host, req);
      store.run(out.subject, out.body, out.producedBy);
      for (const a of out.attempts) {
        generationMs += a.ms;
        attempts.push({ user: buildDraftPrompt(req).user, outputTokens: a.outputTokens });
      }
    }
  };
  await Promise.all([worker(), worker()]);
  const fullMs = performance.now() - t0;
  // Raw generation of the same token counts, two at a time like the drafts.
  const system = buildDraftPrompt(reqFor(0)).system;
  const t1 = performance.now();
  let k = 0;
  const rawWorker = async (): Promise<void> => {
    for (let i = k++; i < attempts.length; i = k++) await host.raw(system, attempts[i]!.user, Math.max(1, attempts[i]!.outputTokens), i);
  };
  await Promise.all([rawWorker(), rawWorker()]);
  const rawMs = performance.now() - t1;
  const tokens = attempts.reduce((a, b) => a + b.outputTokens, 0);
  console.log(
    `LLM drafting: ${n} drafts (${attempts.length} generations, ${tokens} output tokens) in ${(fullMs / 1000).toFixed(1)} s (target < 30 s for 100); ` +
      `raw generation of the same tokens ${(rawMs / 1000).toFixed(1)} s; overhead ${(((fullMs - rawMs) / rawMs) * 100).toFixed(1)}% (target ≤ 10%); ` +
      `generation inside the drafting path ${(generationMs / 1000).toFixed(1)} s (sequence-time, two in parallel)`,
  );
  ldb.close();
  await host.dispose();
  fs.rmSync(llmDir, { recursive: true, force: true });
}

// Gmail (issue "Gmail: supplier mail and customer replies in, customer messages out"): MIME parsing
// rate and a first sync of 5,000 messages from the fake Gmail at the quota's pace (bench/gmail.ts).
{
  const { benchGmail } = await import('./gmail');
  await benchGmail();
}

// --- Live Shopify sync (bench/shopify.ts): a 30,000-order store through the bulk path, from the fake Admin API ---
{
  const { benchShopifySync } = await import('./shopify');
  await benchShopifySync(30_000);
}
