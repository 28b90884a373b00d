/**
 * Opens the app's SQLite database (better-sqlite3): WAL journal, foreign keys on, numbered
 * migrations applied one transaction each. A database written by a newer app is refused untouched.
 *
 * The Electron shell passes `nativeBinding` to load the better-sqlite3 build made for Electron's ABI
 * (see scripts/electron-native.mjs); Node (CLI, web mode, tests) uses the package's own build.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/result';
import { migrations as defaultMigrations, type Migration } from './migrations/index';

export type { Db };

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running runtime (Electron). */
  nativeBinding?: string;
  /** Override for tests of the migration runner. */
  migrations?: readonly Migration[];
  readonly?: boolean;
}

/**
 * SQLite's own words for a file that is not a database ("file is not a database", "disk I/O error")
 * never say which file: `fn`'s error becomes one that names `file`, so `--db bad/huge.csv` says what
 * is wrong with what.
 * @throws AppError('BAD_INPUT') for a file that is not an SQLite database; other errors unchanged.
 */
function namingFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new AppError('BAD_INPUT', `${file}: not a Backorder Desk database (${(err as Error).message})`);
    }
    throw err;
  }
}

/**
 * Opens (creating if needed) the database at `file`, or ':memory:'.
 * @throws AppError('CONFLICT') when the file's schema version is newer than this app knows;
 *   the file is closed without any write.
 * @throws AppError('BAD_INPUT') naming `file` when it is a directory or not an SQLite database.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const list = options.migrations ?? defaultMigrations;
  const known = list.length ? list[list.length - 1]!.version : 0;
  if (file !== ':memory:') {
    // SQLite reports a directory as "disk I/O error", which says nothing useful.
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new AppError('BAD_INPUT', `${file} is a directory, not a database file`);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    // Customer data: readable by this user only. SQLite gives the -wal and -shm files the same mode.
    if (!fs.existsSync(file)) fs.writeFileSync(file, '', { mode: 0o600 });
  }

  // Peek at the version read-only first so a newer database is never touched (not even WAL mode).
  if (file !== ':memory:' && fs.existsSync(file)) {
    const peek = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding });
    let v: number;
    try {
      v = namingFile(file, () => peek.pragma('user_version', { simple: true }) as number);
    } finally {
      peek.close();
    }
    if (v > known) {
      throw new AppError(
        'CONFLICT',
        `${file}: database schema version ${v} is newer than this app understands (${known}). ` +
          'Update Backorder Desk; the file was left untouched.',
      );
    }
  }

  const db = new Database(file, { nativeBinding: options.nativeBinding, readonly: options.readonly === true });
  if (options.readonly) return db;
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  migrate(db, list);
  return db;
}

/**
 * Applies every migration newer than the database's `user_version`, each in its own transaction.
 * @throws AppError('CONFLICT') when the database is newer than `list`.
 */
export function migrate(db: Db, list: readonly Migration[] = defaultMigrations): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const known = list.length ? list[list.length - 1]!.version : 0;
  if (current > known) {
    throw new AppError('CONFLICT', `database schema version ${current} is newer than this app understands (${known})`);
  }
  for (const m of list) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
