/**
 * The watched EDI folder (setting `ediFolder`): suppliers' X12 855/856 files dropped there (by a
 * VAN client, an SFTP sync, or by hand) become quotes without anyone running a command.
 *
 * Polling, not fs.watch alone: fs.watch misses events on network and synced folders and fires
 * mid-write. Every `pollMs` (default 2 s) the folder is listed; a file is taken only once its size
 * and modification time have stayed the same for `stableMs` (default 2 s), so a file still being
 * written (copied in chunks, uploaded) is left alone until it is complete.
 *
 * Each file is imported once by the SHA-256 of its bytes (table `edi_files`, migration 12): a file
 * dropped again under any name is recognised and not imported twice. After handling, the file moves
 * to `processed/` (imported, or a duplicate) or `failed/` (not X12, unreadable) inside the folder,
 * and the outcome — quotes stored, lines naming no SKU of ours, or the error — is recorded and
 * emitted, so a refused file is visible in the app (Suppliers) rather than silently skipped.
 *
 * Files considered: `.edi`, `.x12`, `.txt`, `.855`, `.856` (the names suppliers' systems use);
 * anything else, dot-files and subfolders are ignored.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
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

  /** Why the folder cannot be watched right now (missing, not a folder), or null. */
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
        const prev = this.seen.get(file);
        if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) {
          this.seen.set(file, { size: st.size, mtimeMs: st.mtimeMs, since: nowMs });
          continue;
        }
        if (nowMs - prev.since < stableMs) continue;
        this.seen.delete(file);
        out.push(this.handle(dir, file));
      }
      for (const f of this.seen.keys()) if (!present.has(f)) this.seen.delete(f);
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
