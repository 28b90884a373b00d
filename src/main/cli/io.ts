/** Small I/O helpers shared by the CLI commands. */
import fs from 'node:fs';
import { AppError } from '../../shared/result';

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

