/**
 * Bulk operations (Shopify Admin GraphQL API 2026-04, `bulkOperationRunQuery`, BulkOperation
 * polled through `node(id:)`): start one for a kind, store its id at once, poll until it ends.
 *
 * A restart finds the stored id and polls the same operation instead of starting another. When the
 * start itself was interrupted after Shopify accepted it (a timeout, a crash before the id was
 * stored), Shopify answers the next start with "already in progress"; the running operation is then
 * adopted through `currentBulkOperation` if it runs this same query.
 */
import { AppError } from '../../shared/result';
import type { Db } from '../store/db';
import type { ShopifyClient } from './client';
import { BULK_QUERIES, CURRENT_BULK, POLL_BULK, RUN_BULK, type BulkKind } from './queries';
import { currentBulkReply, pollBulkReply, runBulkReply, type BulkOperation } from './schemas';
import { getSyncState, setSyncState } from './state';

export interface BulkRunOptions {
  /** Wait between polls in ms (Shopify suggests polling no more than every few seconds). */
  pollMs: number;
  sleep: (ms: number) => Promise<void>;
  onPoll?: (op: BulkOperation) => void;
}

const normalize = (q: string): string => q.replace(/\s+/g, ' ').trim();
const ACTIVE = new Set(['CREATED', 'RUNNING', 'CANCELING']);

async function poll(client: ShopifyClient, id: string): Promise<BulkOperation | null> {
  const r = await client.request('BackorderDeskPollBulk', POLL_BULK, { id }, pollBulkReply, 2);
  return r.node;
}

async function start(db: Db, client: ShopifyClient, kind: BulkKind): Promise<string> {
  const query = BULK_QUERIES[kind];
  const r = await client.request('BackorderDeskRunBulk', RUN_BULK, { query }, runBulkReply, 10);
  const p = r.bulkOperationRunQuery;
  let id = p.bulkOperation?.id ?? null;
  if (!id) {
    const busy = p.userErrors.some((e) => /in progress/i.test(e.message) || e.code === 'OPERATION_IN_PROGRESS');
    if (!busy) throw new AppError('UNAVAILABLE', `Shopify refused the ${kind} bulk query: ${p.userErrors.map((e) => e.message).join('; ') || 'no reason given'}`);
    const cur = (await client.request('BackorderDeskCurrentBulk', CURRENT_BULK, {}, currentBulkReply, 2)).currentBulkOperation;
    if (!cur || !ACTIVE.has(cur.status) || normalize(cur.query) !== normalize(query)) {
      throw new AppError('UNAVAILABLE', 'Another bulk query is running for this app on the shop; the sync will try again at the next interval.');
    }
    id = cur.id;
  }
  setSyncState(db, kind, { bulkOperationId: id });
  return id;
}

/**
 * Runs (or resumes) the bulk operation of `kind` until it ends.
 * @returns the finished operation: COMPLETED, FAILED, CANCELED or EXPIRED.
 * @throws AppError when Shopify refuses to start it; client errors on network trouble beyond retries.
 */
export async function runBulkOperation(db: Db, client: ShopifyClient, kind: BulkKind, opts: BulkRunOptions): Promise<BulkOperation> {
  let id = getSyncState(db, kind).bulkOperationId;
  let op = id ? await poll(client, id) : null;
  if (!op) {
    // None stored, or Shopify no longer knows the stored one: start afresh.
    id = await start(db, client, kind);
    op = await poll(client, id);
    if (!op) throw new AppError('UNAVAILABLE', `Shopify does not know the bulk operation ${id} it just started.`);
  }
  opts.onPoll?.(op);
  while (ACTIVE.has(op.status)) {
    await opts.sleep(opts.pollMs);
    const next = await poll(client, op.id);
    if (!next) throw new AppError('UNAVAILABLE', `Shopify no longer knows the bulk operation ${op.id}.`);
    op = next;
    opts.onPoll?.(op);
  }
  return op;
}
