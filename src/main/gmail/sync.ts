/**
 * Gmail → database sync (Gmail API guide "Synchronize clients with Gmail").
 *
 * Full sync (first connect, or when history is gone): the mailbox's current historyId is read first
 * (users.getProfile), then the last `days` of mail from known suppliers and from customers the app
 * wrote to (users.messages.list with `after:` and `from:` terms), plus the Gmail threads of messages
 * the app sent (users.threads.get). Afterwards the stored historyId points at the moment before the
 * listing began, so anything that arrived meanwhile comes again through history — and is skipped,
 * since every message is stored once by Gmail id.
 *
 * Partial sync: users.history.list from the stored historyId, messageAdded only, every page
 * collected; the added messages are fetched and stored; only then is the response's historyId
 * committed. A crash in between replays the same history next time, which stores nothing twice. A
 * 404 means the id is older than Gmail keeps history for: a full sync runs instead.
 *
 * Messages are fetched with format=raw in batches of at most 50 (Google's advice for batches; larger
 * ones trigger rate limiting), a few requests in flight at a time, every request paced under the
 * per-user quota (pacer.ts) and retried with backoff (backoff.ts). Each batch is stored in one
 * transaction.
 */
import type { Db } from '../store/db';
import { gmailMessageToRfc822 } from '../mail/gmail-resource';
import { parseMime } from '../mail/parse';
import type { ParsedMail } from '../mail/types';
import type { GmailApi } from './api';
import { classifyGmailError } from './backoff';
import { dbRouteContext } from './db-lookups';
import { notify, type InboundMailSink } from './ingest';
import { routeMail, type Route, type SupplierDirectory } from './route';
import { knownGmailIds, readGmailState, storeInbound, writeGmailState, type InboundOrigin } from './store';
import { suppliersFromDb } from './db-lookups';

/** Options of {@link syncGmail}. */
export interface SyncOptions {
  db: Db;
  api: GmailApi;
  /** Clock, ISO 8601. */
  now: () => string;
  /** Window of the full sync in days (setting `gmail.syncDays`, default 30). */
  days: number;
  /** Supplier addresses/domains for the full-sync query; default read from the database. */
  supplierAddresses?: readonly string[];
  suppliers?: SupplierDirectory;
  sink?: InboundMailSink;
  /** Messages fetched per batch, ≤ 50. */
  batchSize?: number;
  /** Requests in flight within a batch. Default 8. */
  concurrency?: number;
  /** Force a full sync even when a historyId is stored. */
  full?: boolean;
  /** Called after each stored batch with the running totals (progress for the UI). */
  onProgress?: (p: { fetched: number; stored: number }) => void;
}

/** What one sync did. */
export interface SyncReport {
  mode: 'full' | 'partial' | 'full-after-404';
  /** Messages fetched from Gmail. */
  fetched: number;
  /** Of those, newly stored. */
  stored: number;
  supplier: number;
  customerReplies: number;
  ignored: number;
  /** historyId committed at the end. */
  historyId: string;
  /** Quota units this sync used. */
  units: number;
  /** Messages Gmail listed that could not be parsed (stored as ignored with the reason). */
  unreadable: number;
}

/** Labels whose messages are never ingested: our own drafts and sent copies, chats, spam, trash. */
const SKIP_LABELS = new Set(['DRAFT', 'SENT', 'CHAT', 'SPAM', 'TRASH']);

const MAX_QUERY_TERMS = 40;

/** Gmail search queries for the full sync (see module doc): `after:EPOCH {from:a from:b …}`, chunked. */
export function fullSyncQueries(addresses: readonly string[], afterEpochSeconds: number): string[] {
  const terms = [...new Set(addresses.map((a) => a.trim().toLowerCase().replace(/^@/, '')).filter((a) => /^[^\s{}()"]+$/.test(a)))];
  const out: string[] = [];
  for (let i = 0; i < terms.length; i += MAX_QUERY_TERMS) {
    out.push(`after:${afterEpochSeconds} {${terms.slice(i, i + MAX_QUERY_TERMS).map((t) => `from:${t}`).join(' ')}}`);
  }
  return out;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface Fetched {
  id: string;
  threadId: string | null;
  labels: string[];
  mail: ParsedMail | null;
  error: string | null;
}

/** The addresses the full sync asks for: suppliers' and those of customers the app has written to. */
function fullSyncAddresses(db: Db, supplierAddresses: readonly string[], sinceIso: string): string[] {
  const customers = db
    .prepare("SELECT DISTINCT lower(to_address) FROM messages WHERE channel = 'email' AND status IN ('sent','unknown') AND COALESCE(sent_at, updated_at) >= ?")
    .pluck()
    .all(sinceIso) as string[];
  return [...supplierAddresses, ...customers.filter((c) => c.includes('@'))];
}

/**
 * Runs one sync (see module doc) and returns what it did.
 * @throws the Gmail error (gaxios) when a call still fails after backoff, or AppError from the
 *   token layer (invalid_grant); nothing past the last committed historyId is lost.
 */
export async function syncGmail(opts: SyncOptions): Promise<SyncReport> {
  const { db, api } = opts;
  const unitsBefore = api.pacer.used;
  const state = readGmailState(db);
  const report: SyncReport = { mode: 'partial', fetched: 0, stored: 0, supplier: 0, customerReplies: 0, ignored: 0, historyId: state.historyId ?? '', units: 0, unreadable: 0 };
  const batchSize = Math.min(50, Math.max(1, opts.batchSize ?? 50));
  const concurrency = opts.concurrency ?? 8;
  const sink = opts.sink ?? {};
  const own = (): string[] => [readGmailState(db).email ?? ''].filter(Boolean);
  const directory = opts.suppliers;

  const fetchAndStore = async (ids: readonly { id: string; threadId: string | null }[]): Promise<void> => {
    for (let i = 0; i < ids.length; i += batchSize) {
      const batch = ids.slice(i, i + batchSize);
      const known = knownGmailIds(db, batch.map((b) => b.id));
      const todo = batch.filter((b) => !known.has(b.id));
      const fetched = await mapLimit(todo, concurrency, async (b): Promise<Fetched> => {
        const msg = await api.getRaw(b.id);
        const labels = msg.labelIds ?? [];
        try {
          return { id: b.id, threadId: msg.threadId ?? b.threadId, labels, mail: await parseMime(gmailMessageToRfc822(msg)), error: null };
        } catch (err) {
          return { id: b.id, threadId: msg.threadId ?? b.threadId, labels, mail: null, error: err instanceof Error ? err.message : String(err) };
        }
      });
      report.fetched += fetched.length;
      const ctx = dbRouteContext(db, own(), directory);
      const t = opts.now();
      const stored: { mail: ParsedMail; origin: InboundOrigin; route: Route; mailId: number }[] = [];
      db.transaction(() => {
        for (const f of fetched) {
          const origin: InboundOrigin = { source: 'gmail', gmailId: f.id, threadId: f.threadId };
          const skip = f.labels.find((l) => SKIP_LABELS.has(l));
          const route: Route =
            f.mail === null
              ? { kind: 'ignored', reason: `could not be parsed: ${f.error ?? ''}` }
              : skip
                ? { kind: 'ignored', reason: `label ${skip}` }
                : routeMail(f.mail, f.threadId, ctx);
          if (f.mail === null) report.unreadable++;
          const mail = f.mail ?? emptyMail();
          const mailId = storeInbound(db, mail, origin, route, t);
          if (mailId === null) continue;
          report.stored++;
          if (route.kind === 'supplier') report.supplier++;
          else if (route.kind === 'customer_reply') report.customerReplies++;
          else report.ignored++;
          stored.push({ mail, origin, route, mailId });
        }
      })();
      for (const s of stored) await notify(db, s, t, sink);
      opts.onProgress?.({ fetched: report.fetched, stored: report.stored });
    }
  };

  const full = async (): Promise<string> => {
    const profile = await api.profile();
    const startHistory = String(profile.historyId ?? '');
    if (profile.emailAddress) writeGmailState(db, { email: profile.emailAddress.toLowerCase() });
    const nowMs = Date.parse(opts.now());
    const sinceMs = nowMs - opts.days * 86_400_000;
    const supplierAddresses = opts.supplierAddresses ?? suppliersFromDb(db).flatMap((s) => s.addresses);
    const queries = fullSyncQueries(fullSyncAddresses(db, supplierAddresses, new Date(sinceMs).toISOString()), Math.floor(sinceMs / 1000));
    for (const q of queries) {
      let pageToken: string | undefined;
      do {
        const page = await api.listMessages(q, pageToken, batchSize);
        await fetchAndStore((page.messages ?? []).filter((m) => m.id).map((m) => ({ id: m.id!, threadId: m.threadId ?? null })));
        pageToken = page.nextPageToken ?? undefined;
      } while (pageToken);
    }
    const threads = db
      .prepare('SELECT DISTINCT thread_id FROM gmail_outbound WHERE thread_id IS NOT NULL AND sent_at >= ?')
      .pluck()
      .all(new Date(sinceMs).toISOString()) as string[];
    for (const threadId of threads) {
      let thread;
      try {
        thread = await api.getThread(threadId);
      } catch (err) {
        if (classifyGmailError(err).status === 404) continue; // thread deleted by the owner
        throw err;
      }
      const ids = (thread.messages ?? []).filter((m) => m.id && !(m.labelIds ?? []).some((l) => SKIP_LABELS.has(l)));
      await fetchAndStore(ids.map((m) => ({ id: m.id!, threadId })));
    }
    return startHistory;
  };

  const partial = async (from: string): Promise<string> => {
    const added: { id: string; threadId: string | null }[] = [];
    const seen = new Set<string>();
    let pageToken: string | undefined;
    let latest = from;
    do {
      const page = await api.history(from, pageToken);
      for (const h of page.history ?? []) {
        for (const a of h.messagesAdded ?? []) {
          const m = a.message;
          if (!m?.id || seen.has(m.id)) continue;
          seen.add(m.id);
          if ((m.labelIds ?? []).some((l) => SKIP_LABELS.has(l))) continue;
          added.push({ id: m.id, threadId: m.threadId ?? null });
        }
      }
      if (page.historyId) latest = String(page.historyId);
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    await fetchAndStore(added);
    return latest;
  };

  let historyId: string;
  if (!state.historyId || opts.full) {
    report.mode = 'full';
    historyId = await full();
  } else {
    try {
      historyId = await partial(state.historyId);
    } catch (err) {
      if (classifyGmailError(err).status !== 404) throw err;
      report.mode = 'full-after-404';
      historyId = await full();
    }
  }
  const at = opts.now();
  writeGmailState(db, { historyId, lastSyncAt: at, lastError: null, ...(report.mode !== 'partial' ? { fullSyncAt: at } : {}) });
  report.historyId = historyId;
  report.units = api.pacer.used - unitsBefore;
  return report;
}

function emptyMail(): ParsedMail {
  return { from: '', fromName: '', to: [], subject: '', date: null, text: '', newText: '', forwarded: [], attachments: [], messageId: null, inReplyTo: null, references: [] };
}
