/**
 * Compare-then-write upserts for the import, so that importing the same facts twice writes nothing
 * and the report can count stored versus unchanged records.
 *
 * Table and column names here are constants of this module's callers, never file content; every
 * value goes through a bound parameter. Prepared statements are cached per database connection.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../store/db';

/** A value as SQLite hands it back through better-sqlite3 (booleans are 0/1 integers). */
export type SqlValue = string | number | null;

/** What an upsert did. */
export type Outcome = 'inserted' | 'updated' | 'unchanged';

/** Tables the importer writes. */
export type ImportTable = 'variants' | 'locations' | 'inventory_levels' | 'customers' | 'orders' | 'line_items';

/** Records a file caused to be written (inserted or changed) and records already as the file says. */
export interface Tally {
  stored: number;
  unchanged: number;
}

/** Adds one outcome to a tally. */
export function count(t: Tally, outcome: Outcome): void {
  if (outcome === 'unchanged') t.unchanged += 1;
  else t.stored += 1;
}

const statements = new WeakMap<Db, Map<string, Statement>>();

/** A cached prepared statement of `db`. */
export function prepared(db: Db, sql: string): Statement {
  let perDb = statements.get(db);
  if (!perDb) {
    perDb = new Map();
    statements.set(db, perDb);
  }
  let s = perDb.get(sql);
  if (!s) {
    s = db.prepare(sql);
    perDb.set(sql, s);
  }
  return s;
}

/**
 * Inserts the row identified by `key` with `values`, or updates only the columns whose stored value
 * differs. `touchedAt` (ISO 8601 UTC), when given, is written to `updated_at` on insert and change,
 * never when nothing changed, so re-imports leave rows byte-identical.
 * @returns 'inserted', 'updated' or 'unchanged'.
 */
export function upsertRow(
  db: Db,
  table: ImportTable,
  key: Readonly<Record<string, SqlValue>>,
  values: Readonly<Record<string, SqlValue>>,
  touchedAt: string | null,
): Outcome {
  const keyCols = Object.keys(key);
  const valueCols = Object.keys(values);
  const where = keyCols.map((c) => `${c} = ?`).join(' AND ');
  const keyArgs = keyCols.map((c) => key[c] ?? null);
  const current = prepared(db, `SELECT ${valueCols.length ? valueCols.join(', ') : '1 AS present'} FROM ${table} WHERE ${where}`).get(
    ...keyArgs,
  ) as Record<string, SqlValue> | undefined;

  if (!current) {
    const cols = [...keyCols, ...valueCols, ...(touchedAt === null ? [] : ['updated_at'])];
    const args = [...keyArgs, ...valueCols.map((c) => values[c] ?? null), ...(touchedAt === null ? [] : [touchedAt])];
    prepared(db, `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...args);
    return 'inserted';
  }

  const changed = valueCols.filter((c) => (current[c] ?? null) !== (values[c] ?? null));
  if (changed.length === 0) return 'unchanged';
  const sets = [...changed.map((c) => `${c} = ?`), ...(touchedAt === null ? [] : ['updated_at = ?'])];
  const args = [...changed.map((c) => values[c] ?? null), ...(touchedAt === null ? [] : [touchedAt]), ...keyArgs];
  prepared(db, `UPDATE ${table} SET ${sets.join(', ')} WHERE ${where}`).run(...args);
  return 'updated';
}

/**
 * Finds a location by name or creates 'csv-location:<name>'. Names are unique in the schema, so a
 * location already known under a Shopify GID (from an API sync) is reused rather than duplicated.
 * @returns the location id.
 */
export function ensureLocation(db: Db, name: string): string {
  const existing = prepared(db, 'SELECT id FROM locations WHERE name = ?').get(name) as { id: string } | undefined;
  if (existing) return existing.id;
  const id = `csv-location:${name}`;
  prepared(db, 'INSERT INTO locations (id, name) VALUES (?, ?)').run(id, name);
  return id;
}
