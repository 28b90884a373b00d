/**
 * Importer for Shopify's own CSV exports (orders, products, inventory, customers), exactly as the
 * Shopify admin writes them, into the app's SQLite schema.
 *
 * Usage (main process, CLI, web mode):
 *
 *   const reports = importShopifyCsv(db, [{ name: 'orders_export.csv', content: buffer }], { now: clock.now() });
 *
 * One call is one import run: every file is read and checked first, then everything is written in one
 * SQLite transaction, in the order inventory → products → customers → orders, whatever order the
 * files were given in, so line items can be matched to the variants of the same run. A large orders
 * export is the exception to "read first": a worker thread reads it while the transaction stores the
 * orders it has read so far (orders-stream.ts, orders-parts.ts), with the same result; where that
 * cannot give the same result, the run starts over reading everything first. Re-importing the
 * same files changes nothing and reports every record as unchanged; a newer export of the same orders
 * updates them (fulfilled, cancelled).
 *
 * Records counted in a report are database rows: orders, line items, customers (including customers
 * derived from an orders file's emails), variants and inventory levels.
 *
 * See the modules for the rules and their sources: csv.ts (reading), layout.ts (header detection),
 * values.ts (money and dates), orders.ts, products.ts, inventory.ts, customers.ts, match.ts; the
 * on-hand computation shared with detection is `variantStockView` in src/main/store/stock.ts.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { ImportFileReport, ImportKind, ImportProblem } from '../../../shared/domain';
import { AppError } from '../../../shared/result';
import type { Db } from '../../store/db';
import { markStockChanged } from '../../store/stock-changes';
import { Columns, readCsv, type CsvTable } from './csv';
import { readCustomers, refreshDerivedCustomers, writeCustomers, type CustomersRead } from './customers';
import { readInventory, writeInventory, type InventoryRead } from './inventory';
import { detectLayout, type Layout } from './layout';
import { linkUnmatchedLineItems, loadVariantMatcher } from './match';
import { OrdersWriter, readOrders, writeOrders, type OrdersRead, type OrdersWriteContext } from './orders';
import { OrdersParseStream, ParseStreamFallback } from './orders-stream';
import { readProducts, writeProducts, type ProductsRead } from './products';
import { RunOrders } from './run-orders';
import { count, type Tally } from './store';
import { CellError, parseCurrency } from './values';

export { variantStockView, type VariantStock } from '../../store/stock';
export { ORDERS_CURRENT_HEADER, REQUIRED_COLUMNS, type Layout } from './layout';

/** One file to import. `kind` is detected from the header when absent, and checked when given. */
export interface ShopifyCsvFile {
  kind?: ImportKind;
  /** File name as the person knows it; used in every message. */
  name: string;
  /** Raw bytes (any BOM, UTF-8 or UTF-16) or already-decoded text. */
  content: string | Buffer;
}

/** Options of an import run. */
export interface ImportShopifyCsvOptions {
  /** The clock's now, ISO 8601 UTC; written to `updated_at` of changed rows and `imports.imported_at`. */
  now: string;
  /**
   * The store's currency (ISO 4217). Products and customers exports carry amounts without a currency;
   * when this is absent it is learned from the orders of the run, then from the stored orders.
   */
  storeCurrency?: string;
  /**
   * Whether an orders file is read by the parse worker while its first orders are stored
   * (orders-stream.ts): 'auto' (default) for files of {@link STREAM_MIN_BYTES} or more, 'always'
   * for every orders file (tests), 'never'. The result is the same either way.
   */
  ordersWorker?: 'auto' | 'always' | 'never';
  /** Orders per batch the parse worker hands over (default 1,000, the first 200); small in tests. */
  ordersBatchSize?: number;
  /** Receives a line for a person about how files were read (the parse worker, a fallback); optional. */
  log?: (line: string) => void;
}

/**
 * Orders files at least this large (bytes) are read by the parse worker. Below it, starting the
 * worker (about 140 ms on the 2-core build machine: a thread, its modules, a copy of the text) costs
 * more than reading on this thread does.
 */
export const STREAM_MIN_BYTES = 2 * 1024 * 1024;

type Parsed =
  | { kind: 'orders'; read: OrdersRead }
  | { kind: 'products'; read: ProductsRead }
  | { kind: 'inventory'; read: InventoryRead }
  | { kind: 'customers'; read: CustomersRead };

interface Loaded {
  file: ShopifyCsvFile;
  /** The file read whole; absent for an orders file the parse worker reads. */
  table?: CsvTable;
  /** The parse worker reading this orders file. */
  stream?: OrdersParseStream;
  layout: Layout;
  /** Set when the worker finishes, for a streamed file. */
  sha256: string;
  /** Rows of the table plus rows the CSV reader refused; set when the worker finishes, for a streamed file. */
  rowsRead: number;
  parsed?: Parsed;
  tally: Tally;
  refused: ImportProblem[];
  warnings: ImportProblem[];
}

function mostFrequent(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let bestN = 0;
  for (const [v, n] of counts) {
    if (n > bestN) {
      best = v;
      bestN = n;
    }
  }
  return best;
}

function checkOptions(opts: ImportShopifyCsvOptions): { now: string; storeCurrency: string | null } {
  if (typeof opts.now !== 'string' || !DateTime.fromISO(opts.now, { setZone: true }).isValid) {
    throw new AppError('BAD_INPUT', `importShopifyCsv: now must be an ISO 8601 instant, got ${JSON.stringify(opts.now)}`);
  }
  if (opts.storeCurrency === undefined) return { now: opts.now, storeCurrency: null };
  try {
    return { now: opts.now, storeCurrency: parseCurrency(opts.storeCurrency) };
  } catch (err) {
    if (err instanceof CellError) throw new AppError('BAD_INPUT', `importShopifyCsv: storeCurrency ${err.message}`);
    throw err;
  }
}

/**
 * Imports Shopify CSV exports into `db` (see the module comment).
 *
 * @param files the exports of one run; several orders files merge (the newest facts per order win).
 * @returns one report per file, in the order given: rows read, records stored or unchanged, rows
 *   refused (file, 1-based line, column, reason) and warnings. A refused row is left out; the rest of
 *   its file imports and nothing already stored is lost.
 * @throws AppError('BAD_INPUT') before writing anything when a file is empty, binary, not CSV, has a
 *   header that is none of Shopify's exports (the message names the file and lists the expected
 *   columns), lacks a required column, or is another kind than its `kind` says; or when `opts` is
 *   invalid.
 */
export function importShopifyCsv(db: Db, files: readonly ShopifyCsvFile[], opts: ImportShopifyCsvOptions): ImportFileReport[] {
  const mode = opts.ordersWorker ?? 'auto';
  if (mode !== 'never') {
    try {
      return importRun(db, files, opts, mode);
    } catch (err) {
      // The transaction was rolled back: read every file on this thread instead.
      if (!(err instanceof ParseStreamFallback)) throw err;
      opts.log?.(`${err.message}; reading the files on this thread instead`);
    }
  }
  return importRun(db, files, opts, 'never');
}

/** The column names of a file's first line when it is plain ASCII without quotes (as Shopify writes headers), else null. */
function plainHeader(content: string | Buffer): string[] | null {
  let line: string;
  if (typeof content === 'string') {
    const end = content.indexOf('\n');
    line = content.slice(content.charCodeAt(0) === 0xfeff ? 1 : 0, end < 0 ? content.length : end);
  } else {
    const from = content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf ? 3 : 0;
    const end = content.indexOf(0x0a);
    line = content.subarray(from, end < 0 ? content.length : end).toString('latin1');
  }
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (line.trim() === '' || !/^[\x20-\x7e]*$/.test(line) || line.includes('"')) return null;
  return line.split(',').map((h) => h.trim());
}

/**
 * Whether the content holds a NUL. For a file whose first line is plain ASCII (the only ones
 * {@link plainHeader} accepts), a NUL byte in a Buffer is a NUL in readCsv's decoded text.
 */
function hasNul(content: string | Buffer): boolean {
  return typeof content === 'string' ? content.includes('\u0000') : content.indexOf(0) >= 0;
}

/** What readCsv makes of a file, as a {@link Loaded}. */
function loadWhole(file: ShopifyCsvFile): Loaded {
  const table = readCsv(file.name, file.content);
  const layout = detectLayout(file.name, new Columns(table.header), file.kind);
  return {
    file,
    table,
    layout,
    // A string is hashed as its UTF-8 bytes, without copying it into a Buffer first.
    sha256: createHash('sha256').update(file.content).digest('hex'),
    rowsRead: table.rows.length + table.refused.length,
    tally: { stored: 0, unchanged: 0 },
    refused: [...table.refused],
    warnings: [...table.warnings],
  };
}

/**
 * One attempt at the run (see importShopifyCsv): loads the files, starts a parse worker for each
 * large orders file `mode` allows, and stores everything in one transaction.
 * @throws ParseStreamFallback when a worker falls back (nothing is stored), besides importShopifyCsv's errors.
 */
function importRun(db: Db, files: readonly ShopifyCsvFile[], opts: ImportShopifyCsvOptions, mode: 'auto' | 'always' | 'never'): ImportFileReport[] {
  const { now, storeCurrency: givenCurrency } = checkOptions(opts);

  // Orders files big enough for the parse worker are only looked at by their header here.
  const loaded: (Loaded | { file: ShopifyCsvFile; layout: Layout; header: string[] })[] = files.map((file) => {
    // A string's length (UTF-16 units) is at most its UTF-8 size: near enough to tell a big file.
    const big = mode === 'always' || (mode === 'auto' && file.content.length >= STREAM_MIN_BYTES);
    // Binary content is refused before the header is looked at, as readCsv refuses it: the same
    // error, in the same file order, whichever way the file is then read.
    const header = big && !hasNul(file.content) ? plainHeader(file.content) : null;
    if (header) {
      const layout = detectLayout(file.name, new Columns(header), file.kind);
      if (layout.kind === 'orders') return { file, layout, header };
    }
    return loadWhole(file);
  });
  if (loaded.length === 0) return [];

  const storedCurrency =
    (db.prepare('SELECT currency FROM orders GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1').get() as
      | { currency: string }
      | undefined)?.currency ?? null;

  // Products and customers exports need the store's currency, learned from the orders of the run
  // unless given: then every orders file is read whole first.
  const canStream = givenCurrency !== null || !loaded.some((l) => l.layout.kind === 'products' || l.layout.kind === 'customers');
  const fallbackCurrency = givenCurrency ?? storedCurrency;
  const all: Loaded[] = [];
  try {
    for (const l of loaded) {
      if ('tally' in l) {
        all.push(l);
        continue;
      }
      const stream = canStream
        ? OrdersParseStream.start({
            file: l.file.name,
            content: l.file.content,
            fallbackCurrency,
            header: l.header,
            ...(opts.ordersBatchSize ? { batch: opts.ordersBatchSize, firstBatch: Math.min(200, opts.ordersBatchSize) } : {}),
          })
        : null;
      opts.log?.(stream ? `${l.file.name}: read by the parse worker while its orders are stored` : `${l.file.name}: read on this thread`);
      all.push(
        stream
          ? { file: l.file, layout: l.layout, stream, sha256: '', rowsRead: 0, tally: { stored: 0, unchanged: 0 }, refused: [], warnings: [] }
          : loadWhole(l.file),
      );
    }
    return writeRun(db, all, now, givenCurrency, storedCurrency);
  } finally {
    for (const l of all) l.stream?.close();
  }
}

/** Reads what is read whole, then stores the run in one transaction (see importShopifyCsv). */
function writeRun(db: Db, loaded: Loaded[], now: string, givenCurrency: string | null, storedCurrency: string | null): ImportFileReport[] {
  // Orders first: their currency is the store's, which products and customers exports need.
  for (const l of loaded) {
    if (l.layout.kind === 'orders' && l.table) l.parsed = { kind: 'orders', read: readOrders(l.table, givenCurrency ?? storedCurrency) };
  }
  const runCurrencies = loaded.flatMap((l) => (l.parsed?.kind === 'orders' ? l.parsed.read.orders.map((o) => o.currency) : []));
  const storeCurrency = givenCurrency ?? mostFrequent(runCurrencies) ?? storedCurrency;
  for (const l of loaded) {
    if (!l.table) continue;
    if (l.layout.kind === 'products') l.parsed = { kind: 'products', read: readProducts(l.table, storeCurrency) };
    else if (l.layout.kind === 'inventory') l.parsed = { kind: 'inventory', read: readInventory(l.table, l.layout) };
    else if (l.layout.kind === 'customers') l.parsed = { kind: 'customers', read: readCustomers(l.table, storeCurrency) };
    if (l.parsed) {
      l.refused.push(...l.parsed.read.refused);
      l.warnings.push(...l.parsed.read.warnings);
    }
  }

  db.transaction(() => {
    markStockChanged(db); // for the scheduler's detection (src/main/store/stock-changes.ts)
    for (const l of loaded) if (l.parsed?.kind === 'inventory') writeInventory(db, l.parsed.read, now, l.tally);
    for (const l of loaded) if (l.parsed?.kind === 'products') writeProducts(db, l.parsed.read, now, l.tally);
    for (const l of loaded) if (l.parsed?.kind === 'customers') writeCustomers(db, l.parsed.read, now, l.tally);

    const matcher = loadVariantMatcher(db);
    const emails = new Map<string, { email: string; owner: Loaded; created: boolean }>();
    const runOrders = db.prepare('SELECT EXISTS (SELECT 1 FROM orders)').pluck().get() === 0 ? new RunOrders() : null;
    for (const l of loaded) {
      if (l.layout.kind !== 'orders') continue;
      const ctx: OrdersWriteContext = {
        now,
        matcher,
        customerSeen: (email, created) => {
          const key = email.trim().toLowerCase();
          const seen = emails.get(key);
          if (seen) seen.created ||= created;
          else emails.set(key, { email, owner: l, created });
        },
        runOrders,
      };
      if (l.parsed?.kind === 'orders') {
        writeOrders(db, l.file.name, l.parsed.read, ctx, l.tally, l.refused, l.warnings);
      } else if (l.stream) {
        writeStreamedOrders(db, l, l.stream, ctx);
      }
    }
    const seen = [...emails.values()];
    refreshDerivedCustomers(db, seen, now, runOrders).forEach((outcome, i) => {
      const { owner, created } = seen[i]!;
      if (outcome !== null) count(owner.tally, created ? 'inserted' : outcome);
    });
    // Orders imported before their products or inventory export get their variants now.
    linkUnmatchedLineItems(db, matcher);

    const record = db.prepare(
      'INSERT INTO imports (kind, file_name, sha256, layout, imported_at, report) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const l of loaded) record.run(l.layout.kind, l.file.name, l.sha256, l.layout.name, now, JSON.stringify(report(l)));
  }).immediate();

  return loaded.map(report);
}

/**
 * Stores the orders of a file as the parse worker hands them over, batch by batch, then takes what
 * its readers found; problems are kept in the order the whole-file path gives them (CSV reader,
 * orders reader, then storing).
 * @throws ParseStreamFallback when the worker falls back (the caller's transaction rolls back).
 */
function writeStreamedOrders(db: Db, l: Loaded, stream: OrdersParseStream, ctx: OrdersWriteContext): void {
  const refused: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  const writer = new OrdersWriter(db, l.file.name, ctx, l.tally, refused, warnings);
  for (;;) {
    const item = stream.next();
    if (item.type === 'batch') {
      writer.write(item.orders);
      continue;
    }
    writer.finish();
    l.sha256 = item.sha256;
    l.rowsRead = item.rowsRead;
    l.refused.push(...item.csvRefused, ...item.readRefused, ...refused);
    l.warnings.push(...item.csvWarnings, ...item.readWarnings, ...warnings);
    return;
  }
}

function report(l: Loaded): ImportFileReport {
  const byLine = (a: ImportProblem, b: ImportProblem): number => a.line - b.line;
  return {
    file: l.file.name,
    kind: l.layout.kind,
    layout: l.layout.name,
    rowsRead: l.rowsRead,
    recordsStored: l.tally.stored,
    recordsUnchanged: l.tally.unchanged,
    refused: [...l.refused].sort(byLine),
    warnings: [...l.warnings].sort(byLine),
  };
}
