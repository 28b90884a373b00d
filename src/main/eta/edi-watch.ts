/**
 * The watched EDI folder (setting `ediFolder`): suppliers' X12 855/856 files dropped there (by a
 * VAN client, an SFTP sync, or by hand) become quotes without anyone running a command.
 *
 * Polling, not fs.watch alone: fs.watch misses events on network and synced folders and fires
 * mid-write. Every `pollMs` (default 2 s) the folder is listed; a file is taken only once its size
 * and modification time have stayed the same for `stableMs` (default 2 s), so a file still being
 * written (copied in chunks, uploaded) is left alone until it is complete.
 *
 * Only X12 interchanges are touched: a file whose content does not start with `ISA` (after an
 * optional BOM and whitespace) — a shopping list saved as notes.txt — is left where it is, unread
 * beyond its first bytes and unmoved, and listed as skipped (`skippedFiles`), not as an error: the
 * owner may have pointed us at a folder that holds other things too.
 *
 * Each file is imported once by the SHA-256 of its bytes (table `edi_files`, migration 12): a file
 * dropped again under any name is recognised and not imported twice. After handling, the file moves
 * to `processed/` (imported, or a duplicate) or `failed/` (X12 that cannot be read) inside the folder,
 * and the outcome — quotes stored, lines naming no SKU of ours, or the error — is recorded and
 * emitted, so a refused file is visible in the app (Suppliers) rather than silently skipped.
 *
 * Files considered: `.edi`, `.x12`, `.txt`, `.855`, `.856` (the names suppliers' systems use);
 * anything else, dot-files and subfolders are ignored.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EdiFolderEvent } from '../../shared/contract';
import type { EdiFileRow } from '../../shared/eta';
import type { Db } from '../store/db';
import { importEdi } from './edi-import';

/** Names of files the watcher picks up. */
export const EDI_FILE_NAME = /^[^.].*\.(?:edi|x12|txt|855|856)$/i;

export interface EdiWatchOptions {
  db: Db;
  /** The folder to watch, read at every poll (a changed setting applies at once); '' = none. */
  folder: () => string;
  /** Clock, ISO 8601 (recorded times). */
  now: () => string;
  /** Wall clock in ms for the stability wait. Default Date.now. */
  nowMs?: () => number;
  pollMs?: number;
  stableMs?: number;
  onEvent?: (e: EdiFolderEvent) => void;
}

interface Seen {
  size: number;
  mtimeMs: number;
  /** When this size and mtime were first seen. */
  since: number;
}

/** Bytes read to recognise an X12 interchange: a BOM, some blank lines and "ISA" fit easily. */
const SNIFF_BYTES = 4_096;

/**
 * Whether the file at `file` is an X12 interchange: its content starts with "ISA" after an optional
 * UTF-8 BOM and whitespace. Reads at most SNIFF_BYTES bytes.
 * @throws the fs error when the file cannot be opened or read.
 */
export function looksLikeX12(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return /^\uFEFF?\s*ISA/.test(buf.subarray(0, n).toString('utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

// System folders whose files (and subfolders) the watcher must never move. POSIX and macOS; Windows below.
const SYSTEM_TREES = ['/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/boot', '/dev', '/proc', '/sys', '/System', '/private/etc'];
// Folders that hold everyone's or every program's data: refused themselves (their subfolders are fine: /var/folders is macOS's temp).
const SYSTEM_ROOTS = ['/var', '/opt', '/home', '/Users', '/Library', '/Applications', '/root'];
const WINDOWS_SYSTEM = /^[a-z]:\\(?:windows|program files(?: \(x86\))?|programdata)(?:\\|$)/i;

/**
 * Why `folder` must not be the EDI folder, or null when it may be. The watcher moves files out of
 * it, so the filesystem root, the user's home itself and system folders (/etc, /usr, C:\Windows, …)
 * are refused. `folder` is resolved against the working directory first.
 * @param home the user's home folder (default os.homedir(); a parameter for tests)
 */
export function ediFolderRefusal(folder: string, home: string = os.homedir()): string | null {
  const resolved = path.resolve(folder);
  const trimmed = resolved.length > 1 ? resolved.replace(/[\\/]+$/, '') || resolved : resolved;
  const why = (what: string): string =>
    `${resolved} is ${what}: the EDI folder's files are moved to processed/ and failed/, so choose a folder of its own (e.g. ${path.join(home, 'EDI', 'inbox')}).`;
  if (path.parse(resolved).root === resolved || /^[a-z]:\\?$/i.test(resolved)) return why('the root of the disk');
  if (home && trimmed === path.resolve(home)) return why('your home folder itself');
  if (WINDOWS_SYSTEM.test(resolved)) return why('a system folder');
  if (SYSTEM_TREES.some((d) => trimmed === d || trimmed.startsWith(`${d}/`))) return why('a system folder');
  if (SYSTEM_ROOTS.includes(trimmed)) return why('a system folder');
  return null;
}

/** Moves `file` into `dir`, keeping its name unless taken (then a time suffix). Returns the new path. */
function moveInto(file: string, dir: string, stamp: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.basename(file);
  let target = path.join(dir, base);
  if (fs.existsSync(target)) {
    const ext = path.extname(base);
    target = path.join(dir, `${base.slice(0, base.length - ext.length)}.${stamp.replace(/[:.]/g, '-')}${ext}`);
  }
  fs.renameSync(file, target);
  return target;
}

/** The folder watcher (see module doc). */
export class EdiFolderWatcher {
  private readonly seen = new Map<string, Seen>();
  /** Files left in place because they are not X12, by path, with the size and time they had then. */
  private readonly skipped = new Map<string, { size: number; mtimeMs: number }>();
  private timer: NodeJS.Timeout | null = null;
  private problem: string | null = null;
  private scanning = false;

  constructor(private readonly o: EdiWatchOptions) {}

  /** Starts polling (Electron, web mode). Idempotent. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.scan(), this.o.pollMs ?? 2_000);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Names of the files left in place in the current folder because they are not X12 interchanges. */
  get skippedFiles(): string[] {
    return [...this.skipped.keys()].map((f) => path.basename(f)).sort();
  }

  /** Why the folder cannot be watched right now (missing, not a folder, a system folder), or null. */
  get folderProblem(): string | null {
    return this.problem;
  }

  /**
   * One poll: handles every file that has been stable for `stableMs`. Synchronous (the imports are
   * SQLite transactions of a few rows each). Never throws: problems are recorded and emitted.
   * @returns the files handled in this poll.
   */
  scan(): EdiFolderEvent[] {
    const dir = this.o.folder().trim();
    if (!dir || this.scanning) return [];
    this.scanning = true;
    try {
      let names: string[];
      // A setting stored before folders were checked (or typed into the database) is still refused.
      const refusal = ediFolderRefusal(dir);
      if (refusal) {
        this.problem = refusal;
        this.skipped.clear();
        return [];
      }
      try {
        if (!fs.statSync(dir).isDirectory()) throw new Error('not a folder');
        names = fs.readdirSync(dir);
        this.problem = null;
      } catch (err) {
        this.problem = `EDI folder ${dir}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : err instanceof Error ? err.message : String(err)}`;
        return [];
      }
      const nowMs = (this.o.nowMs ?? Date.now)();
      const stableMs = this.o.stableMs ?? 2_000;
      const out: EdiFolderEvent[] = [];
      const present = new Set<string>();
      for (const name of names.sort()) {
        if (!EDI_FILE_NAME.test(name)) continue;
        const file = path.join(dir, name);
        let st: fs.Stats;
        try {
          st = fs.statSync(file);
        } catch {
          continue; // removed between listing and stat
        }
        if (!st.isFile()) continue;
        present.add(file);
        const skip = this.skipped.get(file);
        if (skip && skip.size === st.size && skip.mtimeMs === st.mtimeMs) continue; // not X12 and unchanged: not read again
        this.skipped.delete(file);
        const prev = this.seen.get(file);
        if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) {
          this.seen.set(file, { size: st.size, mtimeMs: st.mtimeMs, since: nowMs });
          continue;
        }
        if (nowMs - prev.since < stableMs) continue;
        this.seen.delete(file);
        let x12: boolean;
        try {
          x12 = looksLikeX12(file);
        } catch {
          continue; // locked or vanished: looked at again at the next poll
        }
        if (!x12) {
          this.skipped.set(file, { size: st.size, mtimeMs: st.mtimeMs });
          continue;
        }
        out.push(this.handle(dir, file));
      }
      for (const f of this.seen.keys()) if (!present.has(f)) this.seen.delete(f);
      // Files gone, or a folder changed in Settings: the skipped list is about what is there now.
      for (const f of this.skipped.keys()) if (!present.has(f)) this.skipped.delete(f);
      return out;
    } finally {
      this.scanning = false;
    }
  }

  private handle(dir: string, file: string): EdiFolderEvent {
    const name = path.basename(file);
    const at = this.o.now();
    const { db } = this.o;
    let event: EdiFolderEvent;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      // Locked or vanished: try again at the next poll rather than recording a failure.
      return { file: name, ok: false, quotes: 0, unmatched: 0, error: `cannot be read yet (${(err as NodeJS.ErrnoException).code ?? String(err)})`, at };
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    const known = db.prepare('SELECT status, file_name FROM edi_files WHERE content_hash = ?').get(hash) as { status: string; file_name: string } | undefined;
    if (known) {
      const sub = known.status === 'failed' ? 'failed' : 'processed';
      const moved = this.tryMove(file, path.join(dir, sub), at);
      event = { file: name, ok: known.status !== 'failed', quotes: 0, unmatched: 0, error: `already handled as ${known.file_name} (${known.status}); not imported again`, at };
      if (moved === null) event.error += `; the file could not be moved to ${sub}/`;
      this.o.onEvent?.(event);
      return event;
    }
    try {
      const r = importEdi(db, name, bytes.toString('utf8'), at);
      const movedTo = this.tryMove(file, path.join(dir, 'processed'), at);
      db.prepare("INSERT INTO edi_files (content_hash, file_name, status, quotes, unmatched, error, moved_to, handled_at) VALUES (?, ?, 'imported', ?, ?, NULL, ?, ?)")
        .run(hash, name, r.stored.length, r.unmatched.length, movedTo, at);
      event = { file: name, ok: true, quotes: r.stored.length, unmatched: r.unmatched.length, error: r.transactionSets.length ? null : 'no 855 or 856 transaction set in the file', at };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const movedTo = this.tryMove(file, path.join(dir, 'failed'), at);
      db.prepare("INSERT OR REPLACE INTO edi_files (content_hash, file_name, status, quotes, unmatched, error, moved_to, handled_at) VALUES (?, ?, 'failed', 0, 0, ?, ?, ?)")
        .run(hash, name, message, movedTo, at);
      event = { file: name, ok: false, quotes: 0, unmatched: 0, error: message, at };
    }
    this.o.onEvent?.(event);
    return event;
  }

  private tryMove(file: string, dir: string, at: string): string | null {
    try {
      return moveInto(file, dir, at);
    } catch {
      return null; // a read-only folder: the content hash still keeps it from being imported twice
    }
  }
}

/** The last `limit` files the watcher handled, newest first. */
export function listEdiFiles(db: Db, limit = 50): EdiFileRow[] {
  return db
    .prepare(
      `SELECT file_name AS file, status, quotes, unmatched, error, moved_to AS movedTo, handled_at AS handledAt
         FROM edi_files ORDER BY handled_at DESC, rowid DESC LIMIT ?`,
    )
    .all(limit) as EdiFileRow[];
}
