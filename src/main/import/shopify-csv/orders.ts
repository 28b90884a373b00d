/**
 * The orders export (Shopify Help Center: "Exporting orders"): one row per line item; the order's own
 * fields (Financial Status, Fulfillment Status, Total, Currency, Cancelled at, Email, Billing Name, …)
 * are filled only on the order's first row. Rows are grouped by Name, so a file re-sorted in a
 * spreadsheet still groups, and the order fields are taken from the group's row that has them.
 *
 * Ids: 'gid://shopify/Order/<Id column>' when the Id column is there, else 'csv-order:<Name>'. An
 * order already stored under the same Name keeps its id (an older export without Id and a newer one
 * with it describe the same order). Line item id: '<order id>/line/<n>', n = 1-based row of the order
 * in the file, counted over every row so that one refused row does not renumber the others.
 *
 * Values: amounts to minor units of the order's Currency (string arithmetic, see values.ts);
 * 'YYYY-MM-DD HH:MM:SS -0400' to ISO 8601 with that offset. Lineitem fulfillment status: 'fulfilled'
 * → fulfilled quantity = quantity; 'pending', 'unfulfilled' and empty → 0; 'partial' → 0 as well,
 * because the export does not say how many units shipped, and counting the line as still waiting
 * errs towards telling a customer too much rather than dropping them (reported as a warning).
 * Cancelled at set → the order is cancelled.
 *
 * Updates: the newest timestamp an order row gives (Created at, Paid at, Fulfilled at, Cancelled at)
 * is its `source_updated_at`. A file whose order is at least as new as the stored one updates it
 * (fulfilled, cancelled…); a strictly older export of it is ignored with a warning, so importing last
 * month's file after this month's never un-fulfils an order.
 */
import type { Statement } from 'better-sqlite3';
import type { ImportProblem } from '../../../shared/domain';
import type { Db } from '../../store/db';
import { Columns, problem, RowRefusal, type CsvRow, type CsvTable } from './csv';
import { ensureCustomerForOrder } from './customers';
import type { VariantMatcher } from './match';
import type { OrderFacts, RunOrders } from './run-orders';
import { count, prepared, rowWriter, type RowWriter, type SqlValue, type Tally } from './store';
import {
  instantMillis,
  parseCurrency,
  parseFlag,
  parseMoneyMinor,
  parseShopifyInstant,
  parseWholeNumber,
  stripTextMarker,
  textOrNull,
} from './values';

/** One line item row, ready to store. */
export interface LineRecord {
  line: number;
  position: number;
  name: string;
  sku: string | null;
  quantity: number;
  fulfilledQuantity: number;
  fulfillmentStatus: string | null;
  /** Minor units of the order's currency. */
  priceMinor: number;
  requiresShipping: 0 | 1;
  vendor: string | null;
}

/** One order of the export with the line items that could be read. */
export interface OrderRecord {
  /** Line of the row that carries the order's fields. */
  line: number;
  name: string;
  /** The numeric Id column, when present. */
  shopifyId: string | null;
  createdAt: string;
  currency: string;
  totalMinor: number;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: string | null;
  email: string | null;
  phone: string | null;
  customerName: string | null;
  acceptsMarketing: 0 | 1;
  tags: string;
  /** "Shipping Method" as the export names it (e.g. "Expedited Shipping"), or null. */
  shippingMethod: string | null;
  /** Newest instant the rows give for the order (ISO 8601 with offset). */
  sourceUpdatedAt: string;
  lines: LineRecord[];
  /** Rows of the order in the file, refused ones included. */
  rowCount: number;
}

/** Result of reading an orders export. */
export interface OrdersRead {
  orders: OrderRecord[];
  refused: ImportProblem[];
  warnings: ImportProblem[];
}

function optionalInstant(cols: Columns, row: CsvRow, key: string): string | null {
  return cols.get(row, key) === '' ? null : cols.read(row, key, parseShopifyInstant);
}

function newest(instants: readonly (string | null)[]): string {
  let best: string | null = null;
  for (const i of instants) {
    if (i !== null && (best === null || instantMillis(i) > instantMillis(best))) best = i;
  }
  return best ?? '';
}

/**
 * Reads the orders of an export one order at a time: {@link group} takes all the rows of one order,
 * {@link finish} gives the orders, refusals and file-level warnings. {@link readOrders} feeds it the
 * groups of a whole table; the parse worker (orders-worker.ts) feeds it each order as the file is
 * scanned, so both read an order the same way.
 */
export class OrdersReader {
  private readonly cols: Columns;
  /** Rows refused before grouping (no order name); reported before the groups' refusals, as readOrders reads them. */
  private readonly unnamed: ImportProblem[] = [];
  private readonly refused: ImportProblem[] = [];
  private orders: OrderRecord[] = [];
  private partial = 0;
  private firstPartialLine = 0;
  private readonly odd = new Map<string, { n: number; line: number }>();
  private computedTotals = 0;
  private firstComputedLine = 0;

  /**
   * @param fallbackCurrency used only for an order whose Currency cell is missing (an export from
   *   before the column existed); null refuses such orders.
   */
  constructor(
    private readonly file: string,
    header: readonly string[],
    private readonly fallbackCurrency: string | null,
  ) {
    this.cols = new Columns(header);
  }

  /** The row's order name (trimmed); '' when it has none, and then the row is refused here. */
  nameOf(row: CsvRow): string {
    const name = this.cols.get(row, 'name');
    if (name === '') this.unnamed.push(problem(this.file, row.line, this.cols.original('name'), 'is empty; every row needs the order name it belongs to'));
    return name;
  }

  /** Orders read since the last call (for a reader that hands them on in batches). */
  take(): OrderRecord[] {
    const out = this.orders;
    this.orders = [];
    return out;
  }

  /** Reads one order from all of its rows (in file order; at least one). */
  group(name: string, rows: readonly CsvRow[]): void {
    const { cols, file } = this;
    const refused = this.refused;
    const head =
      rows.find((r) => cols.get(r, 'financial status') !== '' || cols.get(r, 'total') !== '' || cols.get(r, 'currency') !== '') ??
      rows[0];
    if (!head) return;

    let order: Omit<OrderRecord, 'lines' | 'totalMinor' | 'rowCount'> & { totalMinor: number | null };
    try {
      const shopifyId = stripTextMarker(cols.get(head, 'id'));
      if (shopifyId !== '' && !/^\d+$/.test(shopifyId)) {
        throw new RowRefusal(cols.original('id'), `"${shopifyId}" is not a Shopify order id`);
      }
      const currencyCell = cols.get(head, 'currency');
      let currency: string;
      if (currencyCell !== '') currency = cols.read(head, 'currency', parseCurrency);
      else if (this.fallbackCurrency) currency = this.fallbackCurrency;
      else throw new RowRefusal(cols.original('currency'), "is empty and the store's currency is not known");
      const createdAt = cols.read(head, 'created at', parseShopifyInstant);
      const paidAt = optionalInstant(cols, head, 'paid at');
      const fulfilledAt = optionalInstant(cols, head, 'fulfilled at');
      const cancelledAt = optionalInstant(cols, head, 'cancelled at');
      const phone =
        textOrNull(stripTextMarker(cols.get(head, 'phone'))) ??
        textOrNull(stripTextMarker(cols.get(head, 'billing phone'))) ??
        textOrNull(stripTextMarker(cols.get(head, 'shipping phone')));
      order = {
        line: head.line,
        name,
        shopifyId: shopifyId || null,
        createdAt,
        currency,
        totalMinor: cols.get(head, 'total') === '' ? null : cols.read(head, 'total', (raw) => parseMoneyMinor(raw, currency)),
        financialStatus: textOrNull(cols.get(head, 'financial status').toLowerCase()),
        fulfillmentStatus: textOrNull(cols.get(head, 'fulfillment status').toLowerCase()),
        cancelledAt,
        email: textOrNull(cols.get(head, 'email')),
        phone,
        customerName: textOrNull(cols.get(head, 'billing name')) ?? textOrNull(cols.get(head, 'shipping name')),
        acceptsMarketing: cols.has('accepts marketing') ? cols.read(head, 'accepts marketing', (raw) => parseFlag(raw, 0)) : 0,
        tags: cols.get(head, 'tags'),
        shippingMethod: textOrNull(cols.get(head, 'shipping method')),
        sourceUpdatedAt: newest([createdAt, paidAt, fulfilledAt, cancelledAt]),
      };
    } catch (err) {
      if (!(err instanceof RowRefusal)) throw err;
      refused.push(problem(file, head.line, err.column, `${err.message} (order ${name} is not imported)`));
      for (const r of rows) {
        if (r !== head) refused.push(problem(file, r.line, null, `belongs to order ${name}, refused at line ${head.line}`));
      }
      return;
    }

    const lines: LineRecord[] = [];
    rows.forEach((row, i) => {
      try {
        const lineName = cols.get(row, 'lineitem name');
        if (lineName === '') throw new RowRefusal(cols.original('lineitem name'), 'is empty');
        const quantity = cols.read(row, 'lineitem quantity', (raw) => parseWholeNumber(raw));
        const priceMinor = cols.read(row, 'lineitem price', (raw) => parseMoneyMinor(raw, order.currency));
        const status = cols.get(row, 'lineitem fulfillment status').toLowerCase();
        let fulfilledQuantity = 0;
        if (status === 'fulfilled') fulfilledQuantity = quantity;
        else if (status === 'partial') {
          this.partial += 1;
          this.firstPartialLine ||= row.line;
        } else if (status !== '' && status !== 'pending' && status !== 'unfulfilled') {
          const o = this.odd.get(status) ?? { n: 0, line: row.line };
          o.n += 1;
          this.odd.set(status, o);
        }
        lines.push({
          line: row.line,
          position: i + 1,
          name: lineName,
          sku: textOrNull(cols.get(row, 'lineitem sku')),
          quantity,
          fulfilledQuantity,
          fulfillmentStatus: status === '' ? null : status,
          priceMinor,
          requiresShipping: cols.has('lineitem requires shipping')
            ? cols.read(row, 'lineitem requires shipping', (raw) => parseFlag(raw, 1))
            : 1,
          vendor: textOrNull(cols.get(row, 'vendor')),
        });
      } catch (err) {
        if (!(err instanceof RowRefusal)) throw err;
        refused.push(problem(file, row.line, err.column, err.message));
      }
    });

    let totalMinor = order.totalMinor;
    if (totalMinor === null) {
      // Only exports without a Total column (or a hand-cleared cell) get here.
      totalMinor = lines.reduce((sum, l) => sum + l.priceMinor * l.quantity, 0);
      this.computedTotals += 1;
      this.firstComputedLine ||= head.line;
    }
    // Spelled out rather than spread: V8 gave each spread copy a hidden class of its own, which
    // took a third of the memory of a large export's records.
    this.orders.push({
      line: order.line,
      name: order.name,
      shopifyId: order.shopifyId,
      createdAt: order.createdAt,
      currency: order.currency,
      totalMinor,
      financialStatus: order.financialStatus,
      fulfillmentStatus: order.fulfillmentStatus,
      cancelledAt: order.cancelledAt,
      email: order.email,
      phone: order.phone,
      customerName: order.customerName,
      acceptsMarketing: order.acceptsMarketing,
      tags: order.tags,
      shippingMethod: order.shippingMethod,
      sourceUpdatedAt: order.sourceUpdatedAt,
      lines,
      rowCount: rows.length,
    });
  }

  /** The orders not yet taken, every refusal (unnamed rows first) and the file-level warnings. */
  finish(): OrdersRead {
    const { cols, file } = this;
    const warnings: ImportProblem[] = [];
    if (this.partial > 0) {
      warnings.push(
        problem(file, this.firstPartialLine, cols.original('lineitem fulfillment status'),
          `${this.partial} line item(s) are 'partial': the export does not say how many units shipped, so they are stored as not yet fulfilled`),
      );
    }
    for (const [status, o] of this.odd) {
      warnings.push(
        problem(file, o.line, cols.original('lineitem fulfillment status'),
          `${o.n} line item(s) have the status "${status}", which this importer does not know; they are stored as not yet fulfilled`),
      );
    }
    if (this.computedTotals > 0) {
      warnings.push(
        problem(file, this.firstComputedLine, 'Total',
          `${this.computedTotals} order(s) have no Total; it was computed from their line items (without shipping, taxes or discounts)`),
      );
    }
    return { orders: this.take(), refused: [...this.unnamed, ...this.refused], warnings };
  }
}

/**
 * Reads an orders export: rows are grouped by Name wherever they are in the file.
 * @param fallbackCurrency see {@link OrdersReader}.
 */
export function readOrders(table: CsvTable, fallbackCurrency: string | null): OrdersRead {
  const reader = new OrdersReader(table.file, table.header, fallbackCurrency);
  const groups = new Map<string, CsvRow[]>();
  for (const row of table.rows) {
    const name = reader.nameOf(row);
    if (name === '') continue;
    const group = groups.get(name);
    if (group) group.push(row);
    else groups.set(name, [row]);
  }
  for (const [name, rows] of groups) reader.group(name, rows);
  return reader.finish();
}

/** What `writeOrders` needs from the run around it. */
export interface OrdersWriteContext {
  now: string;
  matcher: VariantMatcher;
  /** Called once per order email, with whether a bare derived customer row was created for it. */
  customerSeen: (email: string, created: boolean) => void;
  /** Where each order written is recorded, when the run keeps its orders (see run-orders.ts). */
  runOrders: RunOrders | null;
}

const factsOf = (o: OrderRecord): OrderFacts => ({
  email: o.email,
  customerName: o.customerName,
  phone: o.phone,
  acceptsMarketing: o.acceptsMarketing,
  currency: o.currency,
  totalMinor: o.totalMinor,
  cancelledAt: o.cancelledAt,
  createdAt: o.createdAt,
});

/** `absent`: no stored order has this id, so its stored row is not read. */
type Resolved = { id: string; note: string | null; absent: boolean } | { refusal: string };

const orderGid = (shopifyId: string): string => `gid://shopify/Order/${shopifyId}`;
/** The id an order of the file has when nothing stored says otherwise (see the module comment on ids). */
const ownId = (o: OrderRecord): string => (o.shopifyId ? orderGid(o.shopifyId) : `csv-order:${o.name}`);

/**
 * The stored orders a file's orders may be — by their own id or by name — read in one query per batch
 * of orders rather than one or two lookups per order, and kept up to date as the file's orders are
 * written. When the orders table was empty before the file, nothing needs reading: every order stored
 * since is one this writer recorded with {@link written}.
 */
class StoredOrders {
  private readonly nameById = new Map<string, string>();
  private readonly idByName = new Map<string, string>();
  private readonly readNeeded: boolean;

  constructor(private readonly db: Db) {
    this.readNeeded = db.prepare('SELECT EXISTS (SELECT 1 FROM orders)').pluck().get() === 1;
  }

  /** Reads the stored orders the batch's orders may be. */
  load(orders: readonly OrderRecord[]): void {
    if (!this.readNeeded) return;
    const rows = prepared(
      this.db,
      `SELECT id, name FROM orders WHERE name IN (SELECT value FROM json_each(?))
       UNION SELECT id, name FROM orders WHERE id IN (SELECT value FROM json_each(?))`,
    )
      .raw(true)
      .iterate(JSON.stringify(orders.map((o) => o.name)), JSON.stringify(orders.map(ownId))) as IterableIterator<[string, string]>;
    for (const [id, name] of rows) {
      this.nameById.set(id, name);
      this.idByName.set(name, id);
    }
  }

  nameOf(id: string): string | undefined {
    return this.nameById.get(id);
  }

  idOf(name: string): string | undefined {
    return this.idByName.get(name);
  }

  /** Records that order `id` is now stored under `name` (names are unique in the schema). */
  written(id: string, name: string): void {
    const old = this.nameById.get(id);
    if (old !== undefined && old !== name && this.idByName.get(old) === id) this.idByName.delete(old);
    this.nameById.set(id, name);
    this.idByName.set(name, id);
  }
}

/** Which stored order a record is (see the module comment on ids). */
function resolveOrderId(stored: StoredOrders, o: OrderRecord): Resolved {
  const gid = o.shopifyId ? orderGid(o.shopifyId) : null;
  if (gid) {
    const nameOfId = stored.nameOf(gid);
    if (nameOfId !== undefined) {
      if (nameOfId !== o.name) {
        const other = stored.idOf(o.name);
        if (other !== undefined && other !== gid) {
          return { refusal: `order ${o.name} is already stored as ${other}, but this file gives it Id ${o.shopifyId}, which belongs to order ${nameOfId}` };
        }
      }
      return { id: gid, note: null, absent: false };
    }
  }
  const byName = stored.idOf(o.name);
  if (byName === undefined) {
    const id = gid ?? `csv-order:${o.name}`;
    return { id, note: null, absent: stored.nameOf(id) === undefined };
  }
  if (!gid || byName === gid) return { id: byName, note: null, absent: false };
  if (byName.startsWith('csv-order:')) {
    return { id: byName, note: 'first imported from an export without the Id column; it keeps that id', absent: false };
  }
  return { refusal: `order ${o.name} is already stored with ${byName}, but this file gives it Id ${o.shopifyId}` };
}

const ORDER_COLUMNS = [
  'name', 'customer_id', 'email', 'phone', 'customer_name', 'created_at', 'currency', 'total_minor', 'financial_status',
  'fulfillment_status', 'cancelled_at', 'accepts_marketing', 'tags', 'source_updated_at', 'shipping_method',
] as const;
const ORDER_SOURCE_UPDATED_AT = ORDER_COLUMNS.indexOf('source_updated_at');

const LINE_COLUMNS = [
  'order_id', 'position', 'name', 'sku', 'variant_id', 'quantity', 'fulfilled_quantity', 'fulfillment_status', 'price_minor',
  'requires_shipping', 'vendor',
] as const;
const LINE_VARIANT_ID = LINE_COLUMNS.indexOf('variant_id');

/** An order's values in ORDER_COLUMNS order. */
const orderValues = (o: OrderRecord, customerId: string | null): SqlValue[] => [
  o.name, customerId, o.email, o.phone, o.customerName, o.createdAt, o.currency, o.totalMinor, o.financialStatus,
  o.fulfillmentStatus, o.cancelledAt, o.acceptsMarketing, o.tags, o.sourceUpdatedAt || null, o.shippingMethod,
];

/**
 * Where each of an order's rows goes among the line items already stored for it: the stored line
 * with the same item (SKU, or the name when there is no SKU) — the one at the same row first — or,
 * for an item not stored yet, a new id after the last stored position.
 */
function linePlaces(db: Db, orderId: string, lines: readonly LineRecord[]): Map<LineRecord, { id: string; position: number }> {
  const stored = prepared(db, 'SELECT id, position, sku, name FROM line_items WHERE order_id = ? ORDER BY position').all(orderId) as {
    id: string; position: number; sku: string | null; name: string;
  }[];
  const key = (sku: string | null, name: string): string => (sku ? `sku:${sku}` : `name:${name}`);
  const free = new Set(stored);
  const out = new Map<LineRecord, { id: string; position: number }>();
  for (const pass of ['same-row', 'any-row'] as const) {
    for (const l of lines) {
      if (out.has(l)) continue;
      const k = key(l.sku, l.name);
      const hit = [...free].find((x) => key(x.sku, x.name) === k && (pass === 'any-row' || x.position === l.position));
      if (hit) {
        free.delete(hit);
        out.set(l, { id: hit.id, position: hit.position });
      }
    }
  }
  let next = stored.reduce((m, x) => Math.max(m, x.position), 0);
  const taken = new Set(stored.map((x) => x.id));
  for (const l of lines) {
    if (out.has(l)) continue;
    let id: string;
    do id = `${orderId}/line/${++next}`;
    while (taken.has(id));
    out.set(l, { id, position: next });
  }
  return out;
}

/** New orders and their line items waiting to be inserted, table by table (see OrdersWriter.write). */
class PendingInserts {
  private orders: SqlValue[][] = [];
  private lines: SqlValue[][] = [];
  private readonly ids = new Set<string>();

  constructor(
    private readonly orderWriter: RowWriter,
    private readonly lineWriter: RowWriter,
  ) {}

  has(orderId: string): boolean {
    return this.ids.has(orderId);
  }

  /**
   * @param order [id, ...values in ORDER_COLUMNS order, updated_at]
   * @param lines per line item, [id, ...values in LINE_COLUMNS order]
   */
  add(orderId: string, order: SqlValue[], lines: SqlValue[][]): void {
    this.orders.push(order);
    for (const l of lines) this.lines.push(l);
    this.ids.add(orderId);
  }

  /** Inserts what is waiting: the orders, then their line items. */
  flush(): void {
    for (const o of this.orders) this.orderWriter.insert(o, true);
    for (const l of this.lines) this.lineWriter.insert(l, false);
    this.orders = [];
    this.lines = [];
    this.ids.clear();
  }
}

/**
 * Stores the orders of one file and their line items (customers first, for the foreign key), matching
 * each line item to a variant; {@link write} takes the file's orders in one or more batches, in file
 * order, and {@link finish} adds the file's summary warning. Counts one record per order and per line
 * item into `tally`; problems found against stored data go to `refused` / `warnings`.
 *
 * Reads are kept to what a decision needs, because an export can hold a shop's whole history: each
 * stored order is read once (for its age and the compare-then-write), an order's customer is looked
 * up once per email, and for an order that was not stored before one query per batch confirms it has
 * no line items yet (foreign keys make that the rule, but it is checked, not assumed) instead of a read
 * per line; none of this is read when the tables were empty before the file.
 */
export class OrdersWriter {
  private readonly orderWriter: RowWriter;
  private readonly lineWriter: RowWriter;
  private readonly hasLineItems: Statement;
  private readonly stored: StoredOrders;
  private readonly linesWereStored: boolean;
  // Only this writer writes customers until it ends, and it creates one only for an email no customer
  // has (case-insensitively), so an email's answer cannot change once known.
  private readonly customerByEmail = new Map<string, string>();
  private readonly unmatched: LineRecord[] = [];
  private ambiguous = 0;

  constructor(
    private readonly db: Db,
    private readonly file: string,
    private readonly ctx: OrdersWriteContext,
    private readonly tally: Tally,
    private readonly refused: ImportProblem[],
    private readonly warnings: ImportProblem[],
  ) {
    this.orderWriter = rowWriter(db, 'orders', ['id'], ORDER_COLUMNS);
    this.lineWriter = rowWriter(db, 'line_items', ['id'], LINE_COLUMNS);
    // Line ids are '<order id>/line/<n>': with BINARY collation they sort between '<id>/line/' and
    // '<id>/line0' ('0' follows '/'), so one range on the primary key finds them all. Only a number
    // after the prefix is one of them: '#1/line/5' is an order name a CSV may hold, and the line ids
    // of order 'csv-order:#1/line/5' fall in the range of 'csv-order:#1'.
    this.hasLineItems = prepared(
      db,
      `SELECT EXISTS (SELECT 1 FROM line_items WHERE id >= ? AND id < ? AND substr(id, length(?) + 1) NOT GLOB '*[^0-9]*')
           OR EXISTS (SELECT 1 FROM line_items WHERE order_id = ?)`,
    ).pluck();
    this.stored = new StoredOrders(db);
    this.linesWereStored = db.prepare('SELECT EXISTS (SELECT 1 FROM line_items)').pluck().get() === 1;
  }

  /**
   * Stores one batch of the file's orders.
   *
   * An order that is new — not stored, and no line items under its id — is inserted with its line
   * items after the batch's other decisions, all orders first and then all line items: SQLite
   * inserted the same rows 12–20% faster table by table than interleaved. Everything that decides
   * (ids, customers, variant matches, what the report says) still happens in file order, and any
   * other order has the pending inserts made first, so rows are stored in file order.
   */
  write(orders: readonly OrderRecord[]): void {
    const { db, file, ctx, tally, refused, warnings, stored, orderWriter, lineWriter } = this;
    stored.load(orders);
    // The same question for every order of the batch not stored yet, asked once: the ones that do
    // have line items (none, unless the database is inconsistent). Not asked when the table had no
    // line items before the file: every line item written since belongs to an order written since.
    let unstoredWithLines = new Set<string>();
    let askedUnstored = new Set<string>();
    if (this.linesWereStored) {
      const unstored = orders.map(ownId).filter((id) => stored.nameOf(id) === undefined);
      askedUnstored = new Set(unstored);
      unstoredWithLines = new Set(
        prepared(
          db,
          `SELECT value FROM json_each(?)
            WHERE EXISTS (SELECT 1 FROM line_items WHERE id >= value || '/line/' AND id < value || '/line0'
                                  AND substr(id, length(value) + 7) NOT GLOB '*[^0-9]*')
               OR EXISTS (SELECT 1 FROM line_items WHERE order_id = value)`,
        )
          .pluck()
          .all(JSON.stringify(unstored)) as string[],
      );
    }
    const pending = new PendingInserts(orderWriter, lineWriter);
    for (const o of orders) {
      const resolved = resolveOrderId(stored, o);
      if ('refusal' in resolved) {
        refused.push(problem(file, o.line, 'Id', resolved.refusal));
        continue;
      }
      const orderId = resolved.id;
      if (resolved.note) warnings.push(problem(file, o.line, 'Id', `order ${o.name} was ${resolved.note}`));
      if (pending.has(orderId)) pending.flush();

      const current = resolved.absent ? null : orderWriter.current([orderId]);
      const storedUpdatedAt = (current?.[ORDER_SOURCE_UPDATED_AT] ?? null) as string | null;
      if (storedUpdatedAt && o.sourceUpdatedAt && instantMillis(storedUpdatedAt) > instantMillis(o.sourceUpdatedAt)) {
        warnings.push(
          problem(file, o.line, null,
            `order ${o.name} is older here (${o.sourceUpdatedAt}) than the stored one (${storedUpdatedAt}); the stored order was kept`),
        );
        tally.unchanged += 1 + o.lines.length;
        continue;
      }

      let customerId: string | null = null;
      if (o.email) {
        const known = this.customerByEmail.get(o.email);
        if (known !== undefined) {
          customerId = known;
          ctx.customerSeen(o.email, false);
        } else {
          const c = ensureCustomerForOrder(db, o.email, ctx.now);
          customerId = c.id;
          this.customerByEmail.set(o.email, c.id);
          ctx.customerSeen(o.email, c.created);
        }
      }
      stored.written(orderId, o.name);

      // New: nothing stored under this id, so it is inserted, and no line items are stored for it.
      const isNew =
        resolved.absent && (!this.linesWereStored || (askedUnstored.has(orderId) && !unstoredWithLines.has(orderId)));
      if (isNew) {
        const lines: SqlValue[][] = [];
        for (const l of o.lines) {
          const variantId = this.variantOf(l, null);
          lines.push([
            `${orderId}/line/${l.position}`,
            orderId, l.position, l.name, l.sku, variantId, l.quantity, l.fulfilledQuantity, l.fulfillmentStatus, l.priceMinor,
            l.requiresShipping, l.vendor,
          ]);
        }
        pending.add(orderId, [orderId, ...orderValues(o, customerId), ctx.now], lines);
        ctx.runOrders?.record(orderId, factsOf(o));
        tally.stored += 1 + lines.length;
        continue;
      }

      // Whatever this order inserts goes after the pending inserts, so rows are stored in file order
      // however the file was cut into batches (run-orders.ts relies on it for orders).
      pending.flush();
      const outcome = orderWriter.write([orderId], orderValues(o, customerId), ctx.now, current);
      count(tally, outcome);
      ctx.runOrders?.record(orderId, factsOf(o));
      const fresh =
        outcome === 'inserted' &&
        (askedUnstored.has(orderId)
          ? !unstoredWithLines.has(orderId)
          : this.hasLineItems.get(`${orderId}/line/`, `${orderId}/line0`, `${orderId}/line/`, orderId) === 0);
      const placeOf = fresh ? null : linePlaces(db, orderId, o.lines);
      for (const l of o.lines) {
        // A line keeps the id it was first stored under even when a later export lists the order's rows
        // in another order (sorted in a spreadsheet, edited in the admin): the id follows the item.
        const place = placeOf?.get(l) ?? { id: `${orderId}/line/${l.position}`, position: l.position };
        const lineId = place.id;
        const storedLine = fresh ? null : lineWriter.current([lineId]);
        const variantId = this.variantOf(l, storedLine);
        count(
          tally,
          lineWriter.write(
            [lineId],
            [
              orderId, place.position, l.name, l.sku, variantId, l.quantity, l.fulfilledQuantity, l.fulfillmentStatus, l.priceMinor,
              l.requiresShipping, l.vendor,
            ],
            null,
            storedLine,
          ),
        );
      }
      if (fresh) continue; // no stored line items, so none beyond this file's rows
      const extra = prepared(db, 'SELECT count(*) AS n FROM line_items WHERE order_id = ? AND position > ?').get(orderId, o.rowCount) as {
        n: number;
      };
      if (extra.n > 0) {
        warnings.push(
          problem(file, o.line, null,
            `order ${o.name} has ${o.rowCount} row(s) here but ${o.rowCount + extra.n} line items stored; the ${extra.n} extra stored line item(s) were left as they were`),
        );
      }
    }
    pending.flush();
  }

  /**
   * The variant a line item is linked to: the one its SKU or title matches, else the one a stored
   * line (`storedLine`, in LINE_COLUMNS order) was linked to earlier (e.g. by an API sync); null when
   * neither, and then the line counts towards the file's unmatched warning.
   */
  private variantOf(l: LineRecord, storedLine: SqlValue[] | null): string | null {
    const m = this.ctx.matcher.match(l.sku, l.name);
    if (m.ambiguous) this.ambiguous += 1;
    const variantId = m.variantId ?? ((storedLine?.[LINE_VARIANT_ID] ?? null) as string | null);
    if (!variantId) this.unmatched.push(l);
    return variantId;
  }

  /** Adds the file's warning about line items stored without a variant, when there are any. */
  finish(): void {
    const first = this.unmatched[0];
    if (!first) return;
    const names = [...new Set(this.unmatched.map((l) => l.name))];
    const shown = names.slice(0, 3).map((n) => `"${n}"`).join(', ');
    const why =
      this.ctx.matcher.size === 0
        ? 'no products or inventory export has been imported yet'
        : `no variant has their SKU or, for lines without SKU, their "product - variant" title${this.ambiguous ? ` (${this.ambiguous} matched several variants)` : ''}`;
    this.warnings.push(
      problem(this.file, first.line, 'Lineitem sku',
        `${this.unmatched.length} line item(s) are stored without a variant because ${why}: ${shown}${names.length > 3 ? `, and ${names.length - 3} more` : ''}`),
    );
  }
}

/** Stores the orders of one file read whole (see {@link OrdersWriter}). */
export function writeOrders(
  db: Db,
  file: string,
  read: OrdersRead,
  ctx: OrdersWriteContext,
  tally: Tally,
  refused: ImportProblem[],
  warnings: ImportProblem[],
): void {
  const writer = new OrdersWriter(db, file, ctx, tally, refused, warnings);
  writer.write(read.orders);
  writer.finish();
}
