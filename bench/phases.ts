/**
 * The phases of `npm run bench` (bench/index.ts) for the targets, each run in a child process
 * of its own: `tsx bench/phases.ts <phase> <dir>` prints one JSON line with its figures and the
 * child's peak RSS. A phase's peak RSS is then its own — not the benchmark's synthetic data of
 * another phase, nor what an earlier phase left in the heap — and a phase that needs the database
 * of an earlier one opens the same file in `dir`.
 *
 * Phases, in the order index.ts runs them:
 * - import: a products export, then the timed import of the orders export `dir/orders_export.csv`
 *   (written by index.ts), read as text the way the CLI reads it;
 * - raw: the baseline of the import target, the same records raw: every customer, order and line
 *   item row the import stored, read back from its database (untimed), then inserted with plain
 *   single-row prepared INSERT statements into the same tables of a fresh database opened as the app
 *   opens it (WAL, foreign keys on), in one transaction — the cost of storing those records with no
 *   reading, parsing, matching or comparing. bench/shopify.ts measures the live sync's writes the
 *   same way;
 * - bare: a second reference, a raw insert of as many rows as the export has lines into one
 *   8-column table with a text primary key, one transaction, into a WAL file: what better-sqlite3
 *   does with the smallest table, so a change in the schema's own cost shows too;
 * - allocation: the pure FIFO allocation over as many synthetic open lines;
 * - detection: half the catalogue sold out, a first detection run, then an unchanged re-run;
 * - tick: every step due so far recorded (the steady state), then one scheduler tick.
 */
import fs from 'node:fs';
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

/** Line items of the orders export, and rows of the bare-table reference. */
export const LINES = 100_000;

export type Phase = 'import' | 'raw' | 'bare' | 'allocation' | 'detection' | 'tick';
export const PHASES: readonly Phase[] = ['import', 'raw', 'bare', 'allocation', 'detection', 'tick'];

/** A phase's figures; times in ms. */
type Figures =
  | { phase: 'raw'; ms: number; rows: number }
  | { phase: 'bare'; ms: number }
  | { phase: 'import'; ms: number; bytes: number }
  | { phase: 'allocation'; ms: number; backordered: number }
  | { phase: 'detection'; firstMs: number; opened: number; rerunMs: number }
  | { phase: 'tick'; ms: number; firstMs: number; open: number; drafted: number };

/** What a phase prints: its figures, and the child's peak RSS in bytes. */
export type PhaseResult = Figures & { rssBytes: number };

const COLS = ORDERS_HEADER.split(',');

/** A synthetic orders export: `lines` line items, two per order, over 200 SKUs. */
export function ordersExport(lines: number): string {
  const out = [ORDERS_HEADER];
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

/** The orders export index.ts writes before the import phase. */
export const ordersFile = (dir: string): string => path.join(dir, 'orders_export.csv');

/**
 * Runs `phase` on the files of `dir`. `round` (import and raw only) names the import's database of a
 * repeated measurement: round 0 is `import.db`, which the later phases use; round n, `import-n.db`.
 */
function run(phase: Phase, dir: string, round: number): Figures {
  const dbFile = path.join(dir, round === 0 ? 'import.db' : `import-${round}.db`);
  switch (phase) {
    case 'raw': {
      // The import's own rows, in the order it stored them; variants first (untimed) for the foreign keys.
      const src = new Database(dbFile, { readonly: true });
      const tables = (['customers', 'orders', 'line_items'] as const).map((table) => {
        const select = src.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw(true);
        return { table, cols: select.columns().map((c) => c.name), rows: select.all() as unknown[][] };
      });
      src.close();
      const db = openDatabase(path.join(dir, `raw-${round}.db`));
      db.exec(`ATTACH '${dbFile}' AS src; INSERT INTO variants SELECT * FROM src.variants; DETACH src;`);
      const t0 = performance.now();
      db.transaction(() => {
        for (const { table, cols, rows } of tables) {
          const insert = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
          for (const row of rows) insert.run(row);
        }
      })();
      const ms = performance.now() - t0;
      db.close();
      return { phase, ms, rows: tables.reduce((n, t) => n + t.rows.length, 0) };
    }
    case 'bare': {
      const raw = new Database(path.join(dir, 'bare.db'));
      raw.pragma('journal_mode = WAL');
      raw.exec('CREATE TABLE t (id TEXT PRIMARY KEY, order_id TEXT, position INTEGER, name TEXT, sku TEXT, quantity INTEGER, price INTEGER, status TEXT)');
      const ins = raw.prepare('INSERT INTO t VALUES (?,?,?,?,?,?,?,?)');
      const t0 = performance.now();
      raw.transaction(() => {
        for (let i = 0; i < LINES; i++) ins.run(`o${i >> 1}/line/${i & 1}`, `o${i >> 1}`, i & 1, `Product ${i % 200}`, `SKU-${i % 200}`, 1, 1999, 'pending');
      })();
      const ms = performance.now() - t0;
      raw.close();
      return { phase, ms };
    }
    case 'import': {
      const db = openDatabase(dbFile);
      importShopifyCsv(db, [{ kind: 'products', name: 'products_export.csv', content: productsExport() }], { now: new Date().toISOString() });
      const csv = fs.readFileSync(ordersFile(dir), 'utf8');
      const t0 = performance.now();
      importShopifyCsv(db, [{ kind: 'orders', name: 'orders_export.csv', content: csv }], { now: new Date().toISOString() });
      const ms = performance.now() - t0;
      db.close();
      return { phase, ms, bytes: Buffer.byteLength(csv) };
    }
    case 'allocation': {
      const stock: VariantStock[] = Array.from({ length: 200 }, (_, i) => ({ variantId: `v${i}`, tracked: true, onHand: i % 4 === 0 ? 0 : 400 }));
      const lines: OpenLine[] = Array.from({ length: LINES }, (_, i) => ({
        lineItemId: `l${i}`, orderId: `o${i >> 1}`, orderName: `#${10000 + (i >> 1)}`, orderedAt: new Date(Date.UTC(2026, 0, 1) + (i >> 1) * 60_000).toISOString(),
        position: i & 1, variantId: `v${i % 200}`, openQuantity: 1 + (i % 3),
      }));
      const t0 = performance.now();
      const alloc = allocateStock(stock, lines);
      const ms = performance.now() - t0;
      return { phase, ms, backordered: alloc.allocations.filter((a) => a.backordered > 0).length };
    }
    case 'detection': {
      const db = openDatabase(dbFile);
      // Half the catalogue sold out: on hand 0, so about 50,000 lines are backordered.
      db.prepare(
        `UPDATE inventory_levels SET on_hand = 0, available = NULL, committed = NULL
          WHERE variant_id IN (SELECT id FROM variants WHERE CAST(substr(sku, 5) AS INTEGER) % 2 = 0)`,
      ).run();
      const t0 = performance.now();
      const det = runDetection(db, new Date().toISOString());
      const firstMs = performance.now() - t0;
      const t1 = performance.now();
      runDetection(db, new Date().toISOString());
      const rerunMs = performance.now() - t1;
      db.close();
      return { phase, firstMs, opened: det.opened, rerunMs };
    }
    case 'tick': {
      const db = openDatabase(dbFile);
      const open = db.prepare('SELECT count(*) FROM backorders WHERE closed_at IS NULL').pluck().get() as number;
      db.prepare("INSERT OR IGNORE INTO step_firings (backorder_id, step_id, fired_at, outcome) SELECT id, 'initial_notice', opened_at, 'acted' FROM backorders").run();
      db.prepare("INSERT OR IGNORE INTO step_firings (backorder_id, step_id, fired_at, outcome) SELECT id, 'partial_shipment', opened_at, 'acted' FROM backorders").run();
      const settings = defaultSettings();
      // The first tick after detection also stores each backorder's ETA state once; the ticks after
      // it (every minute in the app) are the steady state the target is about. Both are reported.
      const t0 = performance.now();
      runTick(db, standardBackorderFlow, settings, new Date().toISOString());
      const firstMs = performance.now() - t0;
      const t1 = performance.now();
      const tick = runTick(db, standardBackorderFlow, settings, new Date(Date.now() + 60_000).toISOString());
      const ms = performance.now() - t1;
      db.close();
      return { phase, ms, firstMs, open, drafted: tick.drafted };
    }
  }
}

/** Runs `phase` in this process and prints its {@link PhaseResult} as one JSON line. */
function main(): void {
  const [phase, dir, round = '0'] = process.argv.slice(2);
  if (!PHASES.includes(phase as Phase) || !dir) throw new Error(`usage: tsx bench/phases.ts <${PHASES.join('|')}> <dir> [round]`);
  const figures = run(phase as Phase, dir, Number(round));
  const result: PhaseResult = { ...figures, rssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, 'phases.ts')) main();
