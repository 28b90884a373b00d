/** Small I/O helpers shared by the CLI commands. */
import fs from 'node:fs';
import { Option } from 'commander';
import { AppError } from '../../shared/result';
import { createCore, type Core } from '../app/core';
import { defaultDbPath } from '../paths';

/** Writes the result: JSON on stdout with --json, else a readable rendering. */
export function output(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
}

/** Reads a file's bytes. @throws AppError naming the file when it cannot be read. */
export function readInputBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new AppError('BAD_INPUT', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** Reads a file named on the command line. @throws AppError naming the file when it cannot be read. */
export function readInput(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError('BAD_INPUT', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}


/** Unwraps a contract envelope, turning `{ok:false}` into a thrown AppError. */
export async function call<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new AppError(r.error.code as AppError['code'], r.error.message);
  return r.value;
}


/**
 * Opens the core on `dbPath` for one command. With `mustExist` (commands that only read or act on
 * stored data) a database file that does not exist is refused, so a mistyped --db is an error
 * rather than a new empty store.
 */
export async function withCore<T>(dbPath: string | undefined, fn: (core: Core) => Promise<T>, mustExist = false): Promise<T> {
  const file = dbPath ?? defaultDbPath();
  if (mustExist && !fs.existsSync(file)) {
    throw new AppError('BAD_INPUT', `--db ${file}: no database there. Import your Shopify exports first ("import --db ${file} …"), or check the path.`);
  }
  const core = createCore({ dbPath: file });
  try {
    return await fn(core);
  } finally {
    core.close();
  }
}

/** `--db PATH`, the same on every command. */
export const dbOption = () => new Option('--db <path>', 'SQLite database file (default: the app data folder)');
/** `--json`: stdout holds only the JSON result. */
export const jsonOption = () => new Option('--json', 'print JSON only on stdout');
