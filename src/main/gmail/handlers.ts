/**
 * The Gmail contract commands (gmail.connect, gmail.disconnect, gmail.status, gmail.syncNow) and the
 * Gmail email transport for the outbox, built for one core. Customer replies the sync finds go to
 * reply triage's sink (src/main/replies/ingest.ts createReplySink), the same one dropped .eml files use;
 * supplier mail goes to the ETA quote reader (src/main/eta/mail-quotes.ts). After a sync that stored
 * anything, `afterSync` runs (the core's scheduler tick), so a new quote moves the backorder's ETA
 * range and drafts the ETA-change update within the same sync.
 *
 * With `autoSync` the mailbox is synced every `gmail.pollMinutes` (auto-sync.ts); "Sync now" joins a
 * run in flight. Progress goes out as `gmail.progress` events. Linked supplier Google Sheets
 * (src/main/eta/sheet-handlers.ts, same Google connection) are read again with a sync at most hourly.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { GmailStatus, GmailSyncProgress, GmailSyncSummary, Settings } from '../../shared/contract';
import type { EtaExtractorModel } from '../../core/eta/extract/model';
import { quotesFromSupplierMail } from '../eta/mail-quotes';
import { sheetHandlers, sheetScopes } from '../eta/sheet-handlers';
import { AppError } from '../../shared/result';
import type { SequenceFlow } from '../../core/sequence/flow';
import type { Db } from '../store/db';
import { loadSettings, saveSettings } from '../store/settings';
import { EncryptedFileSecretStore, type SecretStore } from '../shopify/secrets';
import { createReplySink, type ReplyTriageOptions } from '../replies/ingest';
import type { GmailApiOptions } from './api';
import { GmailAutoSync, type SchedulerTimers } from './auto-sync';
import { authorizedApi, authorizedClient, connectGmail, disconnectGmail, explainGmailFailure, SECRET_REFRESH_TOKEN, type GmailConnectionDeps } from './connection';
import type { OAuthEndpoints } from './oauth';
import type { InboundMailEvent, InboundMailSink } from './ingest';
import { readGmailState, writeGmailState } from './store';
import { syncGmail } from './sync';
import { createGmailTransport, sentInLastDay, type GmailTransport } from './transport';

/** Linked Google Sheets are read again with the Gmail sync at most this often (milliseconds). */
export const SHEETS_EVERY_MS = 60 * 60_000;

/** Core options for Gmail; everything optional. */
export interface GmailCoreOptions {
  /** Where the refresh token goes; default an EncryptedFileSecretStore next to the database. */
  secrets?: SecretStore;
  /** Opens the consent page; default the platform's opener (xdg-open, open, start). */
  openBrowser?: (url: string) => void | Promise<void>;
  endpoints?: OAuthEndpoints;
  rootUrl?: string;
  api?: GmailApiOptions;
  /** Sync on the poll interval (setting gmail.pollMinutes): Electron and web mode; off for the CLI. */
  autoSync?: boolean;
  /** Tests: the schedule's clock and timers (auto-sync.ts). */
  schedule?: { nowMs?: () => number; timers?: SchedulerTimers; checkEveryMs?: number };
  /** Google Sheets API root (tests: the fake Sheets server). */
  sheetsRootUrl?: string;
  /** Reads supplier text the rules cannot (the local model's `extract`); its answers are validated in code. */
  etaModel?: () => EtaExtractorModel | undefined;
}

/** Opens `url` in the system browser, and prints it in case no browser opens. */
export function openSystemBrowser(url: string): void {
  process.stderr.write(`Open this address to connect Gmail: ${url}\n`);
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    spawn(cmd, args, { detached: true, stdio: 'ignore' }).on('error', () => undefined).unref();
  } catch {
    // The address is printed above.
  }
}

/** The commands and the transport factory (see module doc). */
export function gmailHandlers(ctx: {
  db: Db;
  dbPath: string;
  flow: SequenceFlow;
  now: () => string;
  changed: (...v: ('backorders' | 'drafts' | 'tasks' | 'status')[]) => void;
  /** Progress events of a running sync. */
  emit?: (p: GmailSyncProgress) => void;
  /** Runs after a sync that stored mail (the core's scheduler tick); its failure is recorded, not thrown. */
  afterSync?: () => Promise<unknown>;
  options?: GmailCoreOptions;
  /** Reply triage by the loaded model (src/main/llm/triage.ts), when one is ready. */
  triage?: ReplyTriageOptions;
}) {
  const { db, now } = ctx;
  const o = ctx.options ?? {};
  const secrets = o.secrets ?? new EncryptedFileSecretStore(path.join(path.dirname(path.resolve(ctx.dbPath)), 'gmail-secrets.json'));
  const deps: GmailConnectionDeps = {
    db,
    secrets,
    clientId: () => loadSettings(db).gmail.clientId,
    sendMode: () => loadSettings(db).gmail.sendMode,
    ...(o.endpoints ? { endpoints: o.endpoints } : {}),
    ...(o.rootUrl ? { rootUrl: o.rootUrl } : {}),
    ...(o.api ? { api: o.api } : {}),
    // The Sheets scope joins the consent only once a supplier's Google Sheet is linked.
    extraScopes: () => sheetScopes(db),
  };
  const connected = async (): Promise<boolean> => (await secrets.get(SECRET_REFRESH_TOKEN).catch(() => null)) !== null;

  const sheets = sheetHandlers({ db, now, authorize: () => authorizedClient(deps), ...(o.sheetsRootUrl ? { rootUrl: o.sheetsRootUrl } : {}) });
  const nowMs = o.schedule?.nowMs ?? Date.now;
  let sheetsReadMs = Number.NEGATIVE_INFINITY;

  /**
   * Linked Google Sheets are read again with the mail, at most once an hour: suppliers update a
   * sheet a few times a day, and the Sheets API has its own per-minute quota.
   * @returns quotes stored and, when a sheet could not be read, why.
   */
  async function rereadSheets(): Promise<{ quotes: number; problem: string | null }> {
    if (!sheetScopes(db).length || nowMs() - sheetsReadMs < SHEETS_EVERY_MS) return { quotes: 0, problem: null };
    sheetsReadMs = nowMs();
    try {
      const reports = await sheets['eta.syncSheets']({});
      return { quotes: reports.reduce((a, r) => a + r.stored, 0), problem: null };
    } catch (err) {
      return { quotes: 0, problem: `the linked supplier sheets could not be read (${err instanceof Error ? err.message : String(err)})` };
    }
  }

  async function runSync(full: boolean): Promise<GmailSyncSummary> {
    const settings = loadSettings(db);
    const progress = (p: Omit<GmailSyncProgress, 'message'>, message: string): void => ctx.emit?.({ ...p, message });
    progress({ phase: 'starting', fetched: 0, stored: 0 }, 'Gmail: looking for new mail…');
    let quotes = 0;
    const unread: string[] = [];
    try {
      const api = await authorizedApi(deps);
      await createGmailTransport({ db, api, now, dailyCap: settings.gmail.dailySendCap, mode: settings.gmail.sendMode }).recover();
      const replies = createReplySink(db, ctx.flow, () => loadSettings(db), now, ctx.triage ?? {});
      // Supplier mail is read for quotes after the sync, oldest first: Gmail lists newest first, and
      // "pushed back two weeks" must count from the quote the supplier sent before it.
      const supplierMail: InboundMailEvent[] = [];
      const sink: InboundMailSink = { ...replies, supplierMail: (e) => void supplierMail.push(e) };
      const readQuotes = async (): Promise<void> => {
        const sentAt = (e: InboundMailEvent): string => e.mail.date ?? e.receivedAt;
        supplierMail.sort((a, b) => sentAt(a).localeCompare(sentAt(b)) || a.mailId - b.mailId);
        for (const e of supplierMail.splice(0)) {
          // Never let one supplier's mail stop the others: quotesFromSupplierMail records its own problems as tasks.
          try {
            quotes += (await quotesFromSupplierMail(db, e, now(), o.etaModel?.())).quotes;
          } catch (err) {
            unread.push(`${e.mail.messageId ?? `mail ${e.mailId}`}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      };
      let r: Awaited<ReturnType<typeof syncGmail>>;
      try {
        r = await syncGmail({
          db, api, now, days: settings.gmail.syncDays, sink, full,
          onProgress: (p) => progress({ phase: 'fetching', ...p }, `Gmail: ${p.fetched} messages read, ${p.stored} new`),
        });
      } finally {
        // Mail stored before a failure is never handed over again (it is stored once): read it now.
        await readQuotes();
      }
      const sheet = await rereadSheets();
      quotes += sheet.quotes;
      // Recorded after the sync, which clears the last error when it succeeds.
      if (unread.length) writeGmailState(db, { lastError: `Synced, but ${unread.length} supplier mail(s) could not be read for quotes: ${unread.slice(0, 3).join('; ')}` });
      else if (sheet.problem) writeGmailState(db, { lastError: `Synced, but ${sheet.problem}` });
      if ((r.stored || sheet.quotes) && ctx.afterSync) {
        try {
          await ctx.afterSync();
        } catch (err) {
          writeGmailState(db, { lastError: `Synced, but updating the backorders failed: ${err instanceof Error ? err.message : String(err)}` });
        }
      }
      ctx.changed('tasks', 'drafts', 'status', 'backorders');
      progress({ phase: 'done', fetched: r.fetched, stored: r.stored, quotes }, `Gmail: ${r.stored} new messages (${r.supplier} from suppliers, ${quotes} quotes; ${r.customerReplies} customer replies)`);
      return { mode: r.mode, fetched: r.fetched, stored: r.stored, supplier: r.supplier, customerReplies: r.customerReplies, ignored: r.ignored, units: r.units, quotes };
    } catch (err) {
      const e = explainGmailFailure(db, err);
      progress({ phase: 'failed', fetched: 0, stored: 0 }, e.message);
      ctx.changed('status');
      throw e;
    }
  }

  const schedule = new GmailAutoSync<GmailSyncSummary>({
    intervalMinutes: () => loadSettings(db).gmail.pollMinutes,
    ready: async () => (await connected()) && !readGmailState(db).needsReconnect,
    sync: runSync,
    ...(o.schedule?.nowMs ? { nowMs: o.schedule.nowMs } : {}),
    ...(o.schedule?.timers ? { timers: o.schedule.timers } : {}),
    ...(o.schedule?.checkEveryMs ? { checkEveryMs: o.schedule.checkEveryMs } : {}),
  });
  if (o.autoSync) schedule.start();

  const handlers = {
    'gmail.connect': async (input: { clientId?: string; clientSecret?: string }): Promise<{ email: string }> => {
      if (input.clientId !== undefined) saveSettings(db, { gmail: { ...loadSettings(db).gmail, clientId: input.clientId.trim() } });
      const r = await connectGmail(deps, { openBrowser: o.openBrowser ?? openSystemBrowser, ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}) });
      ctx.changed('status');
      if (o.autoSync) void schedule.syncNow().catch(() => undefined); // the first sync starts at once, in the background
      return r;
    },
    'gmail.disconnect': async (): Promise<{ revoked: boolean; message: string }> => {
      const r = await disconnectGmail(deps);
      ctx.changed('status');
      return r;
    },
    'gmail.status': async (): Promise<GmailStatus> => {
      const s = readGmailState(db);
      const settings = loadSettings(db);
      return {
        connected: await connected(),
        email: s.email,
        needsReconnect: s.needsReconnect,
        lastSyncAt: s.lastSyncAt,
        lastError: s.lastError,
        sentLastDay: sentInLastDay(db, now()),
        dailySendCap: settings.gmail.dailySendCap,
        secretStore: secrets.describe(),
        syncing: schedule.busy,
        pollMinutes: settings.gmail.pollMinutes,
      };
    },
    'gmail.syncNow': (input: { full?: boolean }): Promise<GmailSyncSummary> => schedule.syncNow(input.full === true),
  };

  /**
   * The Gmail transport when the owner chose to send through Gmail and it is connected, after
   * settling `unknown` messages from an interrupted run; null when email goes by SMTP.
   * @throws AppError('UNAVAILABLE') when the daily cap is already reached (nothing is claimed then).
   */
  async function emailTransport(settings: Settings): Promise<GmailTransport | null> {
    if (!settings.gmail.sendEmail) return null;
    let transport: GmailTransport;
    try {
      const api = await authorizedApi(deps);
      transport = createGmailTransport({ db, api, now, dailyCap: settings.gmail.dailySendCap, mode: settings.gmail.sendMode });
      await transport.recover();
    } catch (err) {
      throw explainGmailFailure(db, err);
    }
    const used = sentInLastDay(db, now());
    if (used >= settings.gmail.dailySendCap) {
      throw new AppError('UNAVAILABLE', `Daily Gmail send cap reached (${used} of ${settings.gmail.dailySendCap} in the last 24 hours). Nothing was sent; the messages stay approved.`);
    }
    return transport;
  }

  return { handlers: { ...handlers, ...sheets }, emailTransport, schedule };
}
