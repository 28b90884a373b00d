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
 * Compare-then-write for one table and one list of columns, with its statements prepared once.
 * {@link upsertRow} builds one per row shape; the orders writer keeps its own, because it writes
 * hundreds of thousands of rows of the same shape and often has the stored row already (so it is
 * read once, not once to decide and once to compare).
 */
export class RowWriter {
  private readonly select: Statement;
  private readonly where: string;
  private readonly inserts = new Map<boolean, Statement>();

  constructor(
    private readonly db: Db,
    readonly table: ImportTable,
    readonly keyCols: readonly string[],
    readonly valueCols: readonly string[],
  ) {
    this.where = keyCols.map((c) => `${c} = ?`).join(' AND ');
    this.select = db
      .prepare(`SELECT ${valueCols.length ? valueCols.join(', ') : '1 AS present'} FROM ${table} WHERE ${this.where}`)
      .raw(true);
  }

  /** The stored values of `valueCols`, in that order, of the row whose key columns are `keyArgs`; null when absent. */
  current(keyArgs: readonly SqlValue[]): SqlValue[] | null {
    return (this.select.get(...keyArgs) as SqlValue[] | undefined) ?? null;
  }

  /**
   * Inserts the row with `values` (in `valueCols` order), or updates only the columns whose stored
   * value differs. `touchedAt` (ISO 8601 UTC), when given, is written to `updated_at` on insert and
   * change, never when nothing changed, so re-imports leave rows byte-identical.
   * @param current the row as {@link current} returned it for the same key (null: known to be
   *   absent), when the caller has read it already; read here when omitted.
   * @returns 'inserted', 'updated' or 'unchanged'.
   */
  write(
    keyArgs: readonly SqlValue[],
    values: readonly SqlValue[],
    touchedAt: string | null,
    current: SqlValue[] | null = this.current(keyArgs),
  ): Outcome {
    if (!current) {
      const args = touchedAt === null ? [...keyArgs, ...values] : [...keyArgs, ...values, touchedAt];
      this.insertStatement(touchedAt !== null).run(...args);
      return 'inserted';
    }
    const sets: string[] = [];
    const args: SqlValue[] = [];
    for (let i = 0; i < this.valueCols.length; i++) {
      const v = values[i] ?? null;
      if ((current[i] ?? null) !== v) {
        sets.push(`${this.valueCols[i]} = ?`);
        args.push(v);
      }
    }
    if (sets.length === 0) return 'unchanged';
    if (touchedAt !== null) {
      sets.push('updated_at = ?');
      args.push(touchedAt);
    }
    prepared(this.db, `UPDATE ${this.table} SET ${sets.join(', ')} WHERE ${this.where}`).run(...args, ...keyArgs);
    return 'updated';
  }

  /**
   * Inserts a row known to be absent. `row` is the key columns, then `valueCols`, then — when
   * `touched` — the `updated_at` value, in that order: the bound values as one array, which spares
   * the copies {@link write} makes, for callers that insert rows by the hundred thousand.
   */
  insert(row: readonly SqlValue[], touched: boolean): void {
    this.insertStatement(touched).run(row);
  }

  private insertStatement(touched: boolean): Statement {
    let s = this.inserts.get(touched);
    if (!s) {
      const cols = [...this.keyCols, ...this.valueCols, ...(touched ? ['updated_at'] : [])];
      s = this.db.prepare(`INSERT INTO ${this.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      this.inserts.set(touched, s);
    }
    return s;
  }
}

const writers = new WeakMap<Db, Map<string, RowWriter>>();

/** A cached {@link RowWriter} of `db` for this table and these columns. */
export function rowWriter(db: Db, table: ImportTable, keyCols: readonly string[], valueCols: readonly string[]): RowWriter {
  let perDb = writers.get(db);
  if (!perDb) {
    perDb = new Map();
    writers.set(db, perDb);
  }
  const shape = `${table}|${keyCols.join(',')}|${valueCols.join(',')}`;
  let w = perDb.get(shape);
  if (!w) {
    w = new RowWriter(db, table, keyCols, valueCols);
    perDb.set(shape, w);
  }
  return w;
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
  return rowWriter(db, table, keyCols, valueCols).write(
    keyCols.map((c) => key[c] ?? null),
    valueCols.map((c) => values[c] ?? null),
    touchedAt,
  );
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
