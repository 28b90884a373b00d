/**
 * CSV → live merge. A store that started from Shopify's CSV exports has rows under the importer's
 * ids ('csv-variant:<handle>/<options>', 'csv-customer:<email>', 'csv-order:<Name>', line items
 * '<order id>/line/<n>'; migration 1 and src/main/import/shopify-csv). When the Admin API later
 * returns the same things under their GIDs, each is matched to its CSV row and that row is re-keyed
 * in place, with every row that refers to it (found from the schema's foreign keys, so a table added
 * later is covered too). Backorders, step firings, messages, tasks, replies and ETA quotes stay
 * attached; nothing is inserted twice and no step can fire again for the same backorder.
 *
 * Matching (only rows still under a CSV id, and only when exactly one row fits):
 * - variant: by SKU; else by product title and variant title (Shopify's "Default Title" = none);
 * - customer: by email, case-insensitively;
 * - order: by name ("#1001"); an order exported with its Id column already has the GID;
 * - line item of a matched order: same variant and position, else same variant, else same SKU,
 *   else same name ("Product - Variant"), else same position.
 * A variant's CSV inventory levels (at 'csv-location:' locations) are dropped when it is adopted:
 * the live levels replace them, and keeping both would count the same stock twice.
 *
 * All of it runs inside the caller's write transaction; foreign keys are checked at its commit
 * (`defer_foreign_keys`), when parent and children carry the new id.
 */
import type { Db } from '../store/db';

type Ref = { table: string; column: string };
const refsCache = new WeakMap<Db, Map<string, Ref[]>>();

/** Columns that refer to `table`.id through a declared foreign key. */
function referencing(db: Db, table: string): Ref[] {
  let byTable = refsCache.get(db);
  if (!byTable) refsCache.set(db, (byTable = new Map()));
  let refs = byTable.get(table);
  if (!refs) {
    refs = [];
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    for (const t of tables) {
      for (const fk of db.prepare(`PRAGMA foreign_key_list("${t}")`).all() as { table: string; from: string; to: string | null }[]) {
        if (fk.table === table && (fk.to === null || fk.to === 'id')) refs.push({ table: t, column: fk.from });
      }
    }
    byTable.set(table, refs);
  }
  return refs;
}

/** Gives row `oldId` of `table` the id `newId`, and every reference to it. Inside a transaction. */
export function rekey(db: Db, table: string, oldId: string, newId: string): void {
  db.pragma('defer_foreign_keys = ON');
  db.prepare(`UPDATE ${table} SET id = ? WHERE id = ?`).run(newId, oldId);
  for (const r of referencing(db, table)) db.prepare(`UPDATE "${r.table}" SET "${r.column}" = ? WHERE "${r.column}" = ?`).run(newId, oldId);
}

/** Id range of a CSV prefix, so the primary key index answers (LIKE would scan). */
const range = (prefix: string): [string, string] => [prefix, prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)];
const CSV_VARIANT = range('csv-variant:');
const CSV_CUSTOMER = range('csv-customer:');

/** Whether any row of `table` is still under the CSV `prefix` (cheap; checked once per batch). */
export function hasCsvRows(db: Db, table: 'variants' | 'customers' | 'orders'): boolean {
  if (table === 'orders') {
    // Orders exported with their Id column have GIDs, but their line items are '<id>/line/<n>'.
    // Both id forms of such lines sit in a key range of their own: an index seek, not a scan.
    const [a, b] = range('gid://shopify/Order/');
    const [c, d] = range('csv-order:');
    return db.prepare('SELECT 1 FROM line_items WHERE (id >= ? AND id < ?) OR (id >= ? AND id < ?) LIMIT 1').get(a, b, c, d) !== undefined;
  }
  const [lo, hi] = table === 'variants' ? CSV_VARIANT : CSV_CUSTOMER;
  return db.prepare(`SELECT 1 FROM ${table} WHERE id >= ? AND id < ? LIMIT 1`).get(lo, hi) !== undefined;
}

function only(ids: string[]): string | null {
  return ids.length === 1 ? ids[0]! : null;
}

/**
 * Adopts the CSV row of a variant the API returns under `gid`, if one matches (see module doc).
 * @returns the CSV id adopted, or null
 */
export function adoptVariant(db: Db, gid: string, v: { sku: string | null; productTitle: string; variantTitle: string | null }): string | null {
  if (db.prepare('SELECT 1 FROM variants WHERE id = ?').get(gid) !== undefined) return null;
  const [lo, hi] = CSV_VARIANT;
  let match: string | null = null;
  if (v.sku) match = only(db.prepare('SELECT id FROM variants WHERE sku = ? AND id >= ? AND id < ?').pluck().all(v.sku, lo, hi) as string[]);
  match ??= only(
    db.prepare('SELECT id FROM variants WHERE product_title = ? AND variant_title IS ? AND id >= ? AND id < ?').pluck().all(v.productTitle, v.variantTitle, lo, hi) as string[],
  );
  if (!match) return null;
  rekey(db, 'variants', match, gid);
  db.prepare("DELETE FROM inventory_levels WHERE variant_id = ? AND location_id LIKE 'csv-location:%'").run(gid);
  return match;
}

/** Adopts the CSV row of a customer the API returns under `gid`, matched by email. */
export function adoptCustomer(db: Db, gid: string, email: string | null): string | null {
  if (!email || db.prepare('SELECT 1 FROM customers WHERE id = ?').get(gid) !== undefined) return null;
  const [lo, hi] = CSV_CUSTOMER;
  const match = only(db.prepare('SELECT id FROM customers WHERE lower(email) = lower(?) AND id >= ? AND id < ?').pluck().all(email, lo, hi) as string[]);
  if (!match) return null;
  rekey(db, 'customers', match, gid);
  return match;
}

/** An incoming line item, as far as matching needs it. */
export interface IncomingLine {
  id: string;
  variantId: string | null;
  sku: string | null;
  name: string;
}

/**
 * Adopts the CSV rows of an order the API returns under `gid`: the order (matched by `name`) and
 * its line items (see module doc).
 * @returns how many rows were re-keyed (0 = nothing of it came from a CSV import)
 */
export function adoptOrder(db: Db, gid: string, name: string, lines: readonly IncomingLine[]): number {
  let n = 0;
  if (db.prepare('SELECT 1 FROM orders WHERE id = ?').get(gid) === undefined) {
    const byName = db.prepare('SELECT id FROM orders WHERE name = ?').pluck().get(name) as string | undefined;
    // Only an order the importer keyed by name; a different GID under the same name is not ours to merge.
    if (!byName?.startsWith('csv-order:')) return 0;
    rekey(db, 'orders', byName, gid);
    n++;
  }
  const csvLines = db
    .prepare("SELECT id, position, variant_id AS variantId, sku, name FROM line_items WHERE order_id = ? AND id NOT LIKE 'gid://shopify/LineItem/%' ORDER BY position")
    .all(gid) as { id: string; position: number; variantId: string | null; sku: string | null; name: string }[];
  if (!csvLines.length) return n;
  const known = new Set(db.prepare('SELECT id FROM line_items WHERE order_id = ?').pluck().all(gid) as string[]);
  const fresh = lines.map((l, i) => ({ l, position: i + 1 })).filter((x) => !known.has(x.l.id));
  const tests: ((c: (typeof csvLines)[number], x: (typeof fresh)[number]) => boolean)[] = [
    (c, x) => c.variantId !== null && c.variantId === x.l.variantId && c.position === x.position,
    (c, x) => c.variantId !== null && c.variantId === x.l.variantId,
    (c, x) => Boolean(c.sku) && c.sku === x.l.sku,
    (c, x) => c.name.trim().toLowerCase() === x.l.name.trim().toLowerCase(),
    (c, x) => c.position === x.position,
  ];
  const taken = new Set<string>();
  const done = new Set<string>();
  for (const test of tests) {
    for (const x of fresh) {
      if (done.has(x.l.id)) continue;
      const c = csvLines.find((c) => !taken.has(c.id) && test(c, x));
      if (!c) continue;
      taken.add(c.id);
      done.add(x.l.id);
      rekey(db, 'line_items', c.id, x.l.id);
      n++;
    }
  }
  return n;
}
