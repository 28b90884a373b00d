/**
 * One sync run against a connected shop:
 *
 * 1. Initial sync, per kind in the order variants (with inventory levels) → customers → orders, by
 *    bulk operation (bulk.ts). The JSONL result is downloaded, validated and stitched completely
 *    (jsonl.ts) before anything is written, then written in chunks with the event loop free between
 *    them. The kind's incremental cursor starts at the operation's `createdAt`.
 *    A FAILED operation's `partialDataUrl` is read too: its complete records are kept (the last
 *    top-level record, possibly cut off, is dropped), the error is recorded, and the next run starts
 *    that kind's bulk query again.
 * 2. Incremental sync of kinds whose initial sync is done (incremental.ts), with an overlap window.
 * 3. Deletions: the orders and variants of open backorders that Shopify no longer has (deletions.ts).
 *
 * Errors stop the run, are recorded per kind (`last_error`) and rethrown; what was written stays,
 * and every write is idempotent, so the next run simply continues.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../../shared/result';
import type { ShopifySyncSummary, SyncProgress } from '../../shared/shopify';
import type { Db } from '../store/db';
import { runBulkOperation } from './bulk';
import { reconcileDeletions, type DeletionSummary } from './deletions';
import type { ShopifyClient } from './client';
import { syncCustomersSince, syncInventorySince, syncOrdersSince, syncVariantsSince, type IncrementalContext } from './incremental';
import { JsonlStitcher, streamJsonl, type BulkResult } from './jsonl';
import { BULK_KINDS, SHOP_QUERY, type BulkKind } from './queries';
import { shopReply, type BulkOperation } from './schemas';
import { getSyncState, setSyncState, type SyncKind } from './state';
import { newTally, writeCustomers, writeOrders, writeVariants, type WriteTally } from './write';

export type { SyncProgress };

export interface SyncOptions {
  /** The clock (ISO 8601 UTC); written to `updated_at` of changed rows. */
  now: () => string;
  /** Between bulk operation polls (default 2 s). */
  pollMs?: number;
  /** Incremental overlap window (default 10 minutes). */
  overlapMs?: number;
  /** Records per write transaction of a bulk result (default 2,000). */
  chunk?: number;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (p: SyncProgress) => void;
  /** Retries of a bulk result download (default 6). */
  downloadAttempts?: number;
}

export type SyncSummary = ShopifySyncSummary;

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function download(url: string, kind: BulkKind, partial: boolean, attempts: number, sleep: (ms: number) => Promise<void>, onLines: (n: number) => void): Promise<BulkResult> {
  for (let attempt = 1; ; attempt++) {
    const stitcher = new JsonlStitcher(kind);
    try {
      await streamJsonl(url, (line) => {
        stitcher.push(line);
        if (stitcher.lines % 5000 === 0) onLines(stitcher.lines);
      });
      return stitcher.result(partial);
    } catch (err) {
      if (err instanceof AppError || attempt >= attempts) throw err;
      await sleep(Math.min(30_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }
}

async function writeChunks(db: Db, result: BulkResult, currency: string, now: string, chunk: number, tally: WriteTally, onChunk: (done: number, total: number) => void): Promise<void> {
  const total = result.records.length;
  for (let i = 0; i < total; i += chunk) {
    db.transaction(() => {
      if (result.kind === 'variants') writeVariants(db, result.records.slice(i, i + chunk), currency, now, tally);
      else if (result.kind === 'customers') writeCustomers(db, result.records.slice(i, i + chunk), now, tally);
      else writeOrders(db, result.records.slice(i, i + chunk), now, tally);
    }).immediate();
    onChunk(Math.min(total, i + chunk), total);
    // Keep the main process responsive between chunks (IPC, UI requests).
    await yieldToLoop();
  }
}

async function initialKind(db: Db, client: ShopifyClient, kind: BulkKind, currency: string, opts: Required<Pick<SyncOptions, 'pollMs' | 'chunk' | 'sleep' | 'downloadAttempts'>> & SyncOptions, tally: WriteTally): Promise<void> {
  const progress = opts.onProgress ?? (() => undefined);
  const op: BulkOperation = await runBulkOperation(db, client, kind, {
    pollMs: opts.pollMs,
    sleep: opts.sleep,
    onPoll: (o) => progress({ phase: 'bulk', kind, done: o.objectCount, total: null, message: `Shopify is preparing ${kind} (${o.status.toLowerCase()}, ${o.objectCount} objects)` }),
  });
  const failed = op.status !== 'COMPLETED';
  const url = failed ? op.partialDataUrl : op.url;
  let result: BulkResult = { kind, records: [] } as BulkResult;
  if (url) {
    progress({ phase: 'download', kind, done: 0, total: op.objectCount, message: `Downloading ${kind}` });
    result = await download(url, kind, failed, opts.downloadAttempts, opts.sleep, (n) =>
      progress({ phase: 'download', kind, done: n, total: op.objectCount, message: `Downloading ${kind}` }),
    );
  }
  await writeChunks(db, result, currency, opts.now(), opts.chunk, tally, (done, total) =>
    progress({ phase: 'write', kind, done, total, message: `Storing ${kind}` }),
  );
  if (failed) {
    setSyncState(db, kind, { bulkOperationId: null });
    throw new AppError('UNAVAILABLE', `Shopify's ${kind} bulk query ended ${op.status}${op.errorCode ? ` (${op.errorCode})` : ''}; ${result.records.length} complete records from its partial data were kept, and the next sync starts it again.`);
  }
  setSyncState(db, kind, { bulkOperationId: null, bulkDone: true, cursor: op.createdAt });
  if (kind === 'variants') setSyncState(db, 'inventory', { bulkDone: true, cursor: op.createdAt, lastSuccessAt: opts.now(), lastError: null });
}

const INCREMENTAL: Record<SyncKind, (ctx: IncrementalContext, since: string | null) => Promise<string | null>> = {
  variants: syncVariantsSince,
  inventory: syncInventorySince,
  customers: syncCustomersSince,
  orders: syncOrdersSince,
};

/**
 * Runs one sync (see the module comment).
 * @throws AppError / ShapeError with a message for the person; the failing kind's `last_error` is set.
 */
export async function syncShop(db: Db, client: ShopifyClient, options: SyncOptions): Promise<SyncSummary> {
  const opts = { pollMs: 2000, overlapMs: 10 * 60_000, chunk: 2000, sleep: defaultSleep, downloadAttempts: 6, ...options };
  const progress = opts.onProgress ?? (() => undefined);
  const startedAt = opts.now();
  const tally = newTally();
  let sawInitial = false;
  let sawIncremental = false;
  let current: SyncKind | null = null;
  let deleted: DeletionSummary = { orders: 0, variants: 0, backordersClosed: 0 };
  try {
    progress({ phase: 'starting', kind: null, done: 0, total: null, message: `Connecting to ${client.shop}` });
    const shop = (await client.request('BackorderDeskShop', SHOP_QUERY, {}, shopReply, 2)).shop;
    for (const kind of BULK_KINDS) {
      if (getSyncState(db, kind).bulkDone) continue;
      current = kind;
      sawInitial = true;
      await initialKind(db, client, kind, shop.currencyCode, opts, tally);
      setSyncState(db, kind, { lastSuccessAt: opts.now(), lastError: null, lastErrorAt: null });
    }
    for (const kind of ['variants', 'inventory', 'customers', 'orders'] as const) {
      const st = getSyncState(db, kind);
      if (!st.bulkDone) continue;
      if (sawInitial && st.lastSuccessAt && Date.parse(st.lastSuccessAt) >= Date.parse(startedAt)) continue;
      current = kind;
      sawIncremental = true;
      const since = st.cursor ? new Date(Date.parse(st.cursor) - opts.overlapMs).toISOString() : null;
      let pages = 0;
      const ctx: IncrementalContext = {
        db,
        client,
        currency: shop.currencyCode,
        now: opts.now(),
        tally,
        onPage: (n) => progress({ phase: 'incremental', kind, done: (pages += n), total: null, message: `Fetching changed ${kind}` }),
      };
      const newest = await INCREMENTAL[kind](ctx, since);
      const cursor = newest && (!st.cursor || Date.parse(newest) > Date.parse(st.cursor)) ? newest : st.cursor;
      setSyncState(db, kind, { cursor, lastSuccessAt: opts.now(), lastError: null, lastErrorAt: null });
    }
    if (getSyncState(db, 'orders').bulkDone) {
      current = 'orders';
      progress({ phase: 'incremental', kind: 'orders', done: 0, total: null, message: 'Checking for orders and variants deleted in Shopify' });
      deleted = await reconcileDeletions(db, client, opts.now());
    }
    current = null;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (current) setSyncState(db, current, { lastError: message, lastErrorAt: opts.now() });
    progress({ phase: 'failed', kind: current, done: 0, total: null, message });
    throw err;
  }
  const finishedAt = opts.now();
  const gone = deleted.orders || deleted.variants ? `; deleted in Shopify: ${deleted.orders} order(s), ${deleted.variants} variant(s), ${deleted.backordersClosed} backorder(s) closed` : '';
  progress({ phase: 'done', kind: null, done: tally.written, total: null, message: `Synced: ${tally.written} records stored, ${tally.unchanged} unchanged${gone}` });
  return {
    mode: sawInitial && sawIncremental ? 'mixed' : sawInitial ? 'initial' : 'incremental',
    written: tally.written,
    unchanged: tally.unchanged,
    skippedOlder: tally.skippedOlder,
    deleted: { orders: deleted.orders, variants: deleted.variants, backordersClosed: deleted.backordersClosed },
    startedAt,
    finishedAt,
  };
}
