/**
 * Sync state rows (table shopify_sync_state, migration 6): per object kind, the bulk operation being
 * waited for, whether the initial sync is applied, the incremental cursor, and the last outcome.
 */
import type { Db } from '../store/db';

export type SyncKind = 'variants' | 'customers' | 'orders' | 'inventory';

export interface SyncStateRow {
  kind: SyncKind;
  bulkOperationId: string | null;
  bulkDone: boolean;
  cursor: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

interface Raw {
  kind: SyncKind;
  bulk_operation_id: string | null;
  bulk_done: number;
  cursor: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
}

/** The state of `kind` (a fresh row when none is stored). */
export function getSyncState(db: Db, kind: SyncKind): SyncStateRow {
  const r = db.prepare('SELECT * FROM shopify_sync_state WHERE kind = ?').get(kind) as Raw | undefined;
  return {
    kind,
    bulkOperationId: r?.bulk_operation_id ?? null,
    bulkDone: r?.bulk_done === 1,
    cursor: r?.cursor ?? null,
    lastSuccessAt: r?.last_success_at ?? null,
    lastError: r?.last_error ?? null,
    lastErrorAt: r?.last_error_at ?? null,
  };
}

/** Writes the given fields of `kind`'s state (others unchanged). */
export function setSyncState(db: Db, kind: SyncKind, patch: Partial<Omit<SyncStateRow, 'kind'>>): void {
  const cur = getSyncState(db, kind);
  const next = { ...cur, ...patch };
  db.prepare(
    `INSERT INTO shopify_sync_state (kind, bulk_operation_id, bulk_done, cursor, last_success_at, last_error, last_error_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(kind) DO UPDATE SET bulk_operation_id = excluded.bulk_operation_id, bulk_done = excluded.bulk_done,
       cursor = excluded.cursor, last_success_at = excluded.last_success_at, last_error = excluded.last_error,
       last_error_at = excluded.last_error_at`,
  ).run(kind, next.bulkOperationId, next.bulkDone ? 1 : 0, next.cursor, next.lastSuccessAt, next.lastError, next.lastErrorAt);
}

/** Forgets all sync progress (disconnect). */
export function clearSyncState(db: Db): void {
  db.prepare('DELETE FROM shopify_sync_state').run();
}
