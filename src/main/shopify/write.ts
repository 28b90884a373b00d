/**
 * Writes Admin API records into the store's tables (migration 1 schema, plus migration 6's Shopify
 * tables). Mapping rules:
 *
 * - ids stay Shopify GIDs; money goes to minor units of its currency (`parseMoneyMinor` of the CSV
 *   importer); tags are joined with ', ' as in Shopify's exports; a 'Default Title' variant has no
 *   variant title.
 * - line items: `quantity` = currentQuantity (after removals and edits), fulfilled = currentQuantity −
 *   unfulfilledQuantity; position = their order in the reply (a stored line keeps its position).
 * - inventory levels store available, on_hand, committed and incoming as Shopify reports them.
 * - customers: email/SMS consent = marketingState SUBSCRIBED.
 * - an order older (updatedAt) than the stored one is skipped, so an overlap window or a retried
 *   page never rolls data back.
 * - rows first imported from CSV exports are adopted (re-keyed to the GID) before writing (merge.ts).
 *
 * Every write is compare-then-write in one statement (INSERT … ON CONFLICT DO UPDATE … WHERE a value
 * differs), so a record fetched twice writes nothing the second time and `updated_at` moves only on a
 * real change — the same contract as the CSV importer's `upsertRow`, which does a SELECT per row and
 * is too slow for a 30,000-order bulk sync. Statements are cached with the importer's `prepared`.
 */
import { prepared } from '../import/shopify-csv/store';
import { parseMoneyMinor } from '../import/shopify-csv/values';
import type { Db } from '../store/db';
import { adoptCustomer, adoptOrder, adoptVariant, hasCsvRows } from './merge';
import { markStockChanged } from '../store/stock-changes';
import type { CustomerRecord, LevelRecord, StitchedOrder, StitchedVariant } from './schemas';

type Value = string | number | null;

/**
 * A compare-then-write upsert of `table` for the given columns, prepared once: call it with the key
 * values then the other values, in the order given; `touchedAt` last when `touched`.
 * @returns a function answering true when a row was inserted or changed.
 */
function upserter(db: Db, table: string, keyCols: readonly string[], valCols: readonly string[], touched: boolean): (...args: Value[]) => boolean {
  const cols = [...keyCols, ...valCols, ...(touched ? ['updated_at'] : [])];
  const sets = [...valCols, ...(touched ? ['updated_at'] : [])].map((c) => `${c} = excluded.${c}`);
  const differs = valCols.map((c) => `${table}.${c} IS NOT excluded.${c}`).join(' OR ');
  const stmt = prepared(
    db,
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ` +
      (valCols.length ? `ON CONFLICT(${keyCols.join(', ')}) DO UPDATE SET ${sets.join(', ')} WHERE ${differs}` : 'ON CONFLICT DO NOTHING'),
  );
  return (...args) => stmt.run(...args).changes > 0;
}

/** A plain INSERT of the same columns as `upserter`, for rows known to be new (about 25% faster). */
function inserter(db: Db, table: string, keyCols: readonly string[], valCols: readonly string[], touched: boolean): (...args: Value[]) => boolean {
  const cols = [...keyCols, ...valCols, ...(touched ? ['updated_at'] : [])];
  const stmt = prepared(db, `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  return (...args) => stmt.run(...args).changes > 0;
}

/** Counts of one write batch. */
export interface WriteTally {
  written: number;
  unchanged: number;
  skippedOlder: number;
}

export const newTally = (): WriteTally => ({ written: 0, unchanged: 0, skippedOlder: 0 });
const tallyOf = (t: WriteTally, changed: boolean): void => {
  if (changed) t.written++;
  else t.unchanged++;
};

/** Location by GID; a name already held by another location (a CSV one) gets the GID's number added. */
function ensureLocation(db: Db, id: string, name: string): void {
  const byId = prepared(db, 'SELECT name FROM locations WHERE id = ?').get(id) as { name: string } | undefined;
  if (byId?.name === name) return;
  const taken = prepared(db, 'SELECT id FROM locations WHERE name = ?').get(name) as { id: string } | undefined;
  const finalName = taken && taken.id !== id ? `${name} (${id.split('/').pop() ?? id})` : name;
  if (!byId) prepared(db, 'INSERT INTO locations (id, name) VALUES (?, ?)').run(id, finalName);
  else if (byId.name !== finalName) prepared(db, 'UPDATE locations SET name = ? WHERE id = ?').run(finalName, id);
}

const qty = (l: LevelRecord, name: string): number | null => l.quantities.find((q) => q.name === name)?.quantity ?? null;

/** Stores one inventory level of `variantId`. */
export function writeLevel(db: Db, variantId: string, l: LevelRecord, now: string, t: WriteTally): void {
  markStockChanged(db); // detection reads inventory levels
  ensureLocation(db, l.location.id, l.location.name);
  const up = upserter(db, 'inventory_levels', ['variant_id', 'location_id'], ['available', 'on_hand', 'committed', 'incoming'], true);
  tallyOf(t, up(variantId, l.location.id, qty(l, 'available'), qty(l, 'on_hand'), qty(l, 'committed'), qty(l, 'incoming'), now));
}

const VARIANT_COLS = ['product_handle', 'product_title', 'variant_title', 'sku', 'vendor', 'product_type', 'tags', 'price_minor', 'currency', 'inventory_policy', 'inventory_tracked'];

/** Stores variants with their inventory levels. `currency` is the shop's (variant prices carry none). */
export function writeVariants(db: Db, records: readonly StitchedVariant[], currency: string, now: string, t: WriteTally): void {
  if (records.length) markStockChanged(db); // detection reads variants
  const variant = upserter(db, 'variants', ['id'], VARIANT_COLS, true);
  const item = upserter(db, 'shopify_inventory_items', ['inventory_item_id'], ['variant_id'], false);
  const merging = hasCsvRows(db, 'variants');
  for (const { variant: v, levels } of records) {
    if (merging) adoptVariant(db, v.id, { sku: v.sku ? v.sku : null, productTitle: v.product.title, variantTitle: v.title === 'Default Title' ? null : v.title });
    tallyOf(
      t,
      variant(
        v.id, v.product.handle, v.product.title, v.title === 'Default Title' ? null : v.title, v.sku ? v.sku : null,
        v.product.vendor || null, v.product.productType || null, v.product.tags.join(', '), parseMoneyMinor(v.price, currency), currency,
        v.inventoryPolicy, v.inventoryItem.tracked ? 1 : 0, now,
      ),
    );
    item(v.inventoryItem.id, v.id);
    for (const l of levels) writeLevel(db, v.id, l, now, t);
  }
}

const CUSTOMER_COLS = ['email', 'phone', 'first_name', 'last_name', 'total_orders', 'total_spent_minor', 'currency', 'accepts_email_marketing', 'accepts_sms_marketing', 'tags'];

/** Stores customers. */
export function writeCustomers(db: Db, records: readonly CustomerRecord[], now: string, t: WriteTally): void {
  const up = upserter(db, 'customers', ['id'], CUSTOMER_COLS, true);
  const merging = hasCsvRows(db, 'customers');
  for (const c of records) {
    if (merging) adoptCustomer(db, c.id, c.defaultEmailAddress?.emailAddress ?? null);
    tallyOf(
      t,
      up(
        c.id, c.defaultEmailAddress?.emailAddress ?? null, c.defaultPhoneNumber?.phoneNumber ?? null, c.firstName, c.lastName, c.numberOfOrders,
        parseMoneyMinor(c.amountSpent.amount, c.amountSpent.currencyCode), c.amountSpent.currencyCode,
        c.defaultEmailAddress?.marketingState === 'SUBSCRIBED' ? 1 : 0, c.defaultPhoneNumber?.marketingState === 'SUBSCRIBED' ? 1 : 0, c.tags.join(', '), now,
      ),
    );
  }
}

const FULFILLMENT_STATUS: Record<string, string> = { FULFILLED: 'fulfilled', UNFULFILLED: 'unfulfilled', PARTIALLY_FULFILLED: 'partial' };
const ORDER_COLS = ['name', 'customer_id', 'email', 'phone', 'customer_name', 'created_at', 'currency', 'total_minor', 'financial_status', 'fulfillment_status', 'cancelled_at', 'accepts_marketing', 'tags', 'source_updated_at'];
const LINE_COLS = ['order_id', 'position', 'name', 'sku', 'variant_id', 'quantity', 'fulfilled_quantity', 'fulfillment_status', 'price_minor', 'requires_shipping', 'vendor'];

/** Stores orders with line items, fulfillment orders (lines, holds) and fulfillments (tracking). */
export function writeOrders(db: Db, records: readonly StitchedOrder[], now: string, t: WriteTally): void {
  if (records.length) markStockChanged(db); // detection reads orders and line items
  // An order not stored yet cannot have stored children (foreign keys), so its rows are plain inserts
  // (the initial bulk sync); a stored order's rows go through the compare-then-write upserts.
  const writers = (make: typeof upserter) => ({
    order: make(db, 'orders', ['id'], ORDER_COLS, true),
    line: make(db, 'line_items', ['id'], LINE_COLS, false),
    fulfillmentOrder: make(db, 'shopify_fulfillment_orders', ['id'], ['order_id', 'status', 'updated_at'], false),
    foLine: make(db, 'shopify_fulfillment_order_lines', ['id'], ['fulfillment_order_id', 'line_item_id', 'total_quantity', 'remaining_quantity'], false),
    hold: make(db, 'shopify_fulfillment_holds', ['id'], ['fulfillment_order_id', 'reason', 'handle', 'held_by_app'], false),
    fulfillment: make(db, 'shopify_fulfillments', ['id'], ['order_id', 'status', 'created_at', 'tracking_number', 'tracking_company', 'tracking_url'], false),
  });
  const forNew = writers(inserter);
  const forStored = writers(upserter);
  const storedOrder = prepared(db, 'SELECT o.source_updated_at AS s, li.id AS lineId, li.position AS position FROM orders o LEFT JOIN line_items li ON li.order_id = o.id WHERE o.id = ?');
  const variantStmt = prepared(db, 'SELECT 1 FROM variants WHERE id = ?');
  const customerStmt = prepared(db, 'SELECT first_name AS f, last_name AS l, accepts_email_marketing AS m FROM customers WHERE id = ?');
  const bareCustomer = prepared(db, 'INSERT OR IGNORE INTO customers (id, email, updated_at) VALUES (?, ?, ?)');
  const dropAllHolds = prepared(db, 'DELETE FROM shopify_fulfillment_holds WHERE fulfillment_order_id = ?');
  const dropOtherHolds = prepared(db, 'DELETE FROM shopify_fulfillment_holds WHERE fulfillment_order_id = ? AND id NOT IN (SELECT value FROM json_each(?))');
  // Orders repeat their variants and customers: look each up once per batch.
  const variants = new Map<string, boolean>();
  const variantExists = (id: string): boolean => {
    let known = variants.get(id);
    if (known === undefined) variants.set(id, (known = variantStmt.get(id) !== undefined));
    return known;
  };
  const customers = new Map<string, { name: string | null; marketing: number }>();

  const merging = hasCsvRows(db, 'orders');
  for (const { order: o, lines, fulfillmentOrders } of records) {
    // Rows of this order first imported from a CSV export take their GIDs now (merge.ts).
    const adopted = merging ? adoptOrder(db, o.id, o.name, lines.map((l) => ({ id: l.id, variantId: l.variant?.id ?? null, sku: l.sku, name: l.name }))) : 0;
    const stored = storedOrder.all(o.id) as { s: string | null; lineId: string | null; position: number | null }[];
    const storedAt = stored[0]?.s;
    // A CSV timestamp is not Shopify's updatedAt: an order just adopted is always taken as live.
    if (!adopted && storedAt && Date.parse(storedAt) > Date.parse(o.updatedAt)) {
      t.skippedOlder++;
      continue;
    }
    const isNew = stored.length === 0;
    const { order, line, fulfillmentOrder, foLine, hold, fulfillment } = isNew ? forNew : forStored;
    let customer: { name: string | null; marketing: number } | null = null;
    if (o.customer) {
      customer = customers.get(o.customer.id) ?? null;
      if (!customer) {
        bareCustomer.run(o.customer.id, o.email, now);
        const c = customerStmt.get(o.customer.id) as { f: string | null; l: string | null; m: number } | undefined;
        customer = { name: [c?.f, c?.l].filter(Boolean).join(' ') || null, marketing: c?.m ?? 0 };
        customers.set(o.customer.id, customer);
      }
    }
    const money = o.totalPriceSet.shopMoney;
    tallyOf(
      t,
      order(
        o.id, o.name, o.customer?.id ?? null, o.email, o.phone, customer?.name ?? null, o.createdAt, o.currencyCode,
        parseMoneyMinor(money.amount, money.currencyCode), o.displayFinancialStatus?.toLowerCase() ?? null,
        FULFILLMENT_STATUS[o.displayFulfillmentStatus] ?? o.displayFulfillmentStatus.toLowerCase(), o.cancelledAt, customer?.marketing ?? 0,
        o.tags.join(', '), o.updatedAt, now,
      ),
    );

    const positions = new Map<string, number>();
    let maxPos = 0;
    for (const r of stored) {
      if (r.lineId === null || r.position === null) continue;
      positions.set(r.lineId, r.position);
      maxPos = Math.max(maxPos, r.position);
    }
    const used = new Set(positions.values());
    lines.forEach((l, i) => {
      let position = positions.get(l.id);
      if (position === undefined) {
        // Shopify's order of line items; a slot already held by another row (a CSV import) moves this one to the end.
        position = used.has(i + 1) ? ++maxPos : i + 1;
        used.add(position);
        maxPos = Math.max(maxPos, position);
      }
      const fulfilled = Math.max(0, l.currentQuantity - l.unfulfilledQuantity);
      const p = l.originalUnitPriceSet.shopMoney;
      tallyOf(
        t,
        line(
          l.id, o.id, position, l.name, l.sku ? l.sku : null, l.variant && variantExists(l.variant.id) ? l.variant.id : null,
          l.currentQuantity, fulfilled, l.unfulfilledQuantity === 0 ? 'fulfilled' : fulfilled > 0 ? 'partial' : 'unfulfilled',
          parseMoneyMinor(p.amount, p.currencyCode), l.requiresShipping ? 1 : 0, l.vendor,
        ),
      );
    });

    for (const { fo, lines: foLines } of fulfillmentOrders) {
      fulfillmentOrder(fo.id, o.id, fo.status, fo.updatedAt);
      for (const fl of foLines) foLine(fl.id, fo.id, fl.lineItem.id, fl.totalQuantity, fl.remainingQuantity);
      // Holds released in Shopify disappear here too.
      if (isNew) {
        // nothing stored to drop
      } else if (fo.fulfillmentHolds.length === 0) dropAllHolds.run(fo.id);
      else dropOtherHolds.run(fo.id, JSON.stringify(fo.fulfillmentHolds.map((h) => h.id)));
      for (const h of fo.fulfillmentHolds) hold(h.id, fo.id, h.reason, h.handle, h.heldByRequestingApp ? 1 : 0);
    }
    for (const f of o.fulfillments) {
      const tr = f.trackingInfo[0];
      fulfillment(f.id, o.id, f.status, f.createdAt, tr?.number ?? null, tr?.company ?? null, tr?.url ?? null);
    }
  }
}
