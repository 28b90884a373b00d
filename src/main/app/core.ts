/**
 * The application core: owns the database, implements every contract command, emits events.
 * Electron's main process, web mode and the CLI all create exactly this object; they differ only in
 * how they reach it (IPC, HTTP, argv) and where secrets come from.
 */
import { EventEmitter } from 'node:events';
import type { CommandName, CommandOutput, CommandOutputs, EventName, EventPayloads, Settings } from '../../shared/contract';
import { commands } from '../../shared/contract';
import type { Channel, ImportReport } from '../../shared/domain';
import { AppError, toErrorShape, type Result } from '../../shared/result';
import { standardBackorderFlow, type SequenceFlow } from '../../core/sequence/flow';
import { importShopifyCsv } from '../import/shopify-csv/index';
import {
  approveMessages,
  confirmSent,
  discardMessages,
  editDraft,
  recoverInterrupted,
  retryMessages,
  sendApproved,
  unapproveMessages,
} from '../outbox/outbox';
import { createSmtpTransport, type SmtpTransportOptions } from '../outbox/smtp';
import type { MessageTransport } from '../outbox/transport';
import { openDatabase, type Db } from '../store/db';
import { loadSettings, saveSettings } from '../store/settings';
import type { CoreApi } from './core-api';
import { runDetection } from './detect';
import { getMessage, listBackorders, listMessages, listTasks, statusCounts } from './queries';
import { refreshUntouchedDrafts } from './refresh-drafts';
import { runTick } from './scheduler';
import { gmailHandlers, type GmailCoreOptions } from '../gmail/handlers';
import { llmPart, type LlmOptions } from '../llm/handlers';
import { etaHandlers } from '../eta/handlers';
import { EdiFolderWatcher, ediFolderRefusal, listEdiFiles } from '../eta/edi-watch';
import { modelEtaExtractor } from '../eta/model-extract';
import { storeOrderActions, type OrderActions } from '../replies/actions';
import { replyHandlers } from '../replies/handlers';
import { shopifyHandlers, type ShopifyCoreOptions } from '../shopify/handlers';
import { listTasksFiltered } from '../replies/tasks';

/** Where secrets come from: the OS keychain in Electron, the environment in CLI and web mode. */
export interface SecretSource {
  get(name: 'smtp.password'): Promise<string | null>;
  /** What to tell the owner when a secret is missing: where it is expected to come from. */
  readonly hint?: string;
}

/** Secrets from environment variables (CLI, web mode): BACKORDER_DESK_SMTP_PASSWORD. */
export const envSecrets: SecretSource = {
  get: async (name) => (name === 'smtp.password' ? process.env.BACKORDER_DESK_SMTP_PASSWORD ?? null : null),
  hint: 'Set the environment variable BACKORDER_DESK_SMTP_PASSWORD before starting the command line or web mode.',
};

export interface CoreOptions {
  /** SQLite file, or ':memory:'. */
  dbPath: string;
  /** better-sqlite3 build for the running runtime (Electron). */
  nativeBinding?: string;
  /** The clock (ISO 8601 UTC). Defaults to the wall clock. */
  now?: () => string;
  flow?: SequenceFlow;
  secrets?: SecretSource;
  /** Overrides of the SMTP transport built from settings (tests, a local relay). */
  smtp?: Partial<SmtpTransportOptions>;
  /** Extra transports by channel (an SMS provider later); email is built from settings unless given. */
  transports?: Partial<Record<Channel, MessageTransport>>;
  /** The store's side of confirmed task actions (cancel and refund); a CSV store records them. */
  orderActions?: OrderActions;
  /** Gmail: secret store, browser opener, endpoints (tests). */
  gmail?: GmailCoreOptions;
  /** Live Shopify sync: secret store, auto-sync on the poll interval, test backoff. */
  shopify?: ShopifyCoreOptions;
  /** Settings to store at start (first run, demo). */
  settings?: Partial<Settings>;
  /** Run a scheduler tick every `tickEveryMs` (Electron and web mode); off by default. */
  tickEveryMs?: number;
  version?: string;
  /** The local language model (src/main/llm/handlers.ts); defaults: a child process, models next to the database. */
  llm?: LlmOptions;
  /** Watch the folder of setting `ediFolder` for X12 files (Electron, web mode); timings for tests. */
  ediWatch?: boolean | { pollMs?: number; stableMs?: number };
}

export interface Core extends CoreApi {
  readonly db: Db;
  readonly dbPath: string;
  /** After sleep (powerMonitor 'resume'): syncs Shopify and Gmail at once if their interval has passed. */
  wake(): void;
}

type Handlers = { [C in CommandName]: (input: never) => CommandOutputs[C] | Promise<CommandOutputs[C]> };

/**
 * Opens the database (migrating it), recovers messages interrupted mid-send (→ `unknown`), and
 * returns the core.
 * @throws AppError('CONFLICT') when the database is newer than this app.
 */
export function createCore(opts: CoreOptions): Core {
  const db = openDatabase(opts.dbPath, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  const now = opts.now ?? (() => new Date().toISOString());
  const flow = opts.flow ?? standardBackorderFlow;
  const secrets = opts.secrets ?? envSecrets;
  const events = new EventEmitter();
  if (opts.settings) saveSettings(db, opts.settings);
  recoverInterrupted(db, now());

  const emit = <E extends EventName>(e: E, payload: EventPayloads[E]): void => {
    events.emit(e, payload);
  };
  const changed = (...views: EventPayloads['data.changed']['views']): void => emit('data.changed', { views });
  const llm = llmPart({ db, dbPath: opts.dbPath, flow, now, emit, changed, ...(opts.llm ? { options: opts.llm } : {}) });

  function emailTransport(settings: Settings): MessageTransport | undefined {
    if (opts.transports?.email) return opts.transports.email;
    const host = opts.smtp?.host ?? settings.smtp.host;
    if (!host) return undefined;
    const user = settings.smtp.user;
    return createSmtpTransport({
      host,
      port: opts.smtp?.port ?? settings.smtp.port,
      security: opts.smtp?.security ?? settings.smtp.security,
      ...(user
        ? {
            auth: {
              user,
              getPassword: async () => {
                const p = await secrets.get('smtp.password');
                if (p === null) throw new AppError('UNAVAILABLE', `No SMTP password is available. ${secrets.hint ?? 'Enter it in Settings.'}`);
                return p;
              },
            },
          }
        : {}),
      ...(opts.smtp ?? {}),
    });
  }

  // Replies get their template answers at once; a ready model then rewrites them in the background.
  const changedByReplies = (...views: EventPayloads['data.changed']['views']): void => {
    changed(...views);
    if (views.includes('drafts')) llm.afterTick();
  };
  const readyEtaModel = (): ReturnType<typeof modelEtaExtractor> | undefined => (llm.manager.host.status().state === 'ready' ? modelEtaExtractor(llm.manager.host) : undefined);
  const gmail = gmailHandlers({
    db, dbPath: opts.dbPath, flow, now, changed: changedByReplies,
    triage: llm.replyTriage,
    emit: (p) => emit('gmail.progress', p),
    // New supplier quotes and customer replies: ETA ranges, due steps and tasks right after the sync.
    afterSync: () => core.dispatch('scheduler.tick', {}),
    // Supplier text the rules cannot read goes to the local model when one is ready (validated in code).
    options: { etaModel: readyEtaModel, ...opts.gmail },
  });
  const edi = new EdiFolderWatcher({
    db, now, folder: () => loadSettings(db).ediFolder,
    ...(typeof opts.ediWatch === 'object' ? opts.ediWatch : {}),
    onEvent: (e) => {
      emit('edi.imported', e);
      changed('tasks', 'status');
      if (e.quotes > 0) void core.dispatch('scheduler.tick', {}); // the new quotes move the ETA ranges now, not at the next tick
    },
  });
  if (opts.ediWatch) edi.start();
  const shopify = shopifyHandlers({
    db, dbPath: opts.dbPath, now, changed: () => changed('backorders', 'drafts', 'tasks', 'status'),
    emit: (p) => emit('sync.progress', p),
    // Detection and due steps right after new store data (restock, fulfilment → shipping confirmation).
    afterSync: () => core.dispatch('scheduler.tick', {}),
    ...(opts.shopify ? { options: opts.shopify } : {}),
  });
  const handlers: Handlers = {
    ...gmail.handlers,
    ...shopify.handlers,
    ...etaHandlers(db, now),
    'eta.ediFiles': () => {
      const folder = loadSettings(db).ediFolder;
      return { folder, watching: Boolean(opts.ediWatch) && folder !== '', problem: folder ? edi.folderProblem : null, files: listEdiFiles(db), skipped: folder ? edi.skippedFiles : [] };
    },
    ...llm.handlers,
    ...replyHandlers({
      db, flow, now, changed: changedByReplies, triage: llm.replyTriage, orderActions: opts.orderActions ?? storeOrderActions(shopify.service),
      // Supplier mail dropped as .eml is read like synced Gmail mail: same model, same tick after new quotes.
      etaModel: () => (opts.gmail?.etaModel ?? readyEtaModel)(),
      afterQuotes: () => core.dispatch('scheduler.tick', {}),
    }),
    'app.status': () => {
      const s = loadSettings(db);
      const last = db.prepare('SELECT max(imported_at) FROM imports').pluck().get() as string | null;
      return {
        version: opts.version ?? '0.1.0',
        dbPath: opts.dbPath,
        storeName: s.storeName,
        timezone: s.timezone,
        now: now(),
        counts: statusCounts(db),
        emailConfigured: Boolean((opts.smtp?.host ?? s.smtp.host) && s.fromAddress),
        lastImportAt: last,
      };
    },
    'settings.get': () => loadSettings(db),
    'settings.update': (patch: Partial<Settings>) => {
      // The watcher moves files out of the EDI folder: never the disk's root, the home folder or a system folder.
      const refusal = patch.ediFolder?.trim() ? ediFolderRefusal(patch.ediFolder.trim()) : null;
      if (refusal) throw new AppError('BAD_INPUT', `ediFolder: ${refusal}`);
      const s = saveSettings(db, patch);
      if (refreshUntouchedDrafts(db, flow, s, now())) changed('drafts');
      changed('status', 'backorders');
      return s;
    },
    'import.files': (input: { files: { name: string; content: string; encoding?: 'text' | 'base64'; kind?: 'orders' | 'products' | 'inventory' | 'customers' }[] }) => {
      const t = now();
      const files = importShopifyCsv(
        db,
        input.files.map(({ encoding, content, ...f }) => ({ ...f, content: encoding === 'base64' ? Buffer.from(content, 'base64') : content })),
        { now: t },
      );
      const detection = runDetection(db, t);
      const report: ImportReport = {
        files,
        backordersOpened: detection.opened,
        backordersClosed: detection.closed,
        unmatchedLineItems: detection.unmatched,
      };
      changed('backorders', 'status', 'drafts');
      return report;
    },
    'backorders.list': (input: { includeClosed?: boolean }) => listBackorders(db, flow, loadSettings(db), now(), input.includeClosed === true),
    'scheduler.tick': (input: { now?: string }) => {
      const r = runTick(db, flow, loadSettings(db), input.now ?? now());
      if (r.drafted) llm.afterTick(); // the model rewrites the new drafts in the background
      if (r.drafted || r.escalated || r.backordersOpened || r.backordersClosed) changed('backorders', 'drafts', 'tasks', 'status');
      return {
        now: r.now,
        backordersOpened: r.backordersOpened,
        backordersClosed: r.backordersClosed,
        drafted: r.drafted,
        escalated: r.escalated,
        superseded: r.superseded,
      };
    },
    'drafts.list': (input: { status?: CommandOutput<'drafts.list'>[number]['status'][] }) => listMessages(db, flow, input.status),
    'drafts.update': (input: { id: number; subject: string; body: string }) => {
      // Editing an approved message takes the approval back: the person approves the new text again.
      unapproveMessages(db, [input.id], now());
      editDraft(db, input.id, { subject: input.subject, body: input.body }, now());
      changed('drafts');
      const row = getMessage(db, flow, input.id);
      if (!row) throw new AppError('NOT_FOUND', `No message ${input.id}.`);
      return row;
    },
    'drafts.approve': (input: { ids: number[] }) => {
      // Whatever wrote a draft, and whatever a person changed in it, it goes out only if it passes the rules.
      const refused: { id: number; reason: string }[] = [];
      const clean: number[] = [];
      for (const id of input.ids) {
        const m = getMessage(db, flow, id);
        if (m && m.violations.length) refused.push({ id, reason: m.violations.map((v) => v.detail).join('; ') });
        else clean.push(id);
      }
      const r = clean.length ? approveMessages(db, clean, now()) : { changed: [], unchanged: [] };
      for (const u of r.unchanged) refused.push({ id: u.id, reason: u.reason });
      changed('drafts', 'status');
      return { changed: r.changed.length, refused };
    },
    'drafts.discard': (input: { ids: number[] }) => {
      const r = discardMessages(db, input.ids, now());
      changed('drafts', 'status');
      return { changed: r.changed.length };
    },
    'outbox.send': async () => {
      const s = loadSettings(db);
      const email = (await gmail.emailTransport(s)) ?? emailTransport(s);
      const transports: Partial<Record<Channel, MessageTransport>> = { ...(opts.transports ?? {}), ...(email ? { email } : {}) };
      if (!email || !s.fromAddress) {
        throw new AppError('UNAVAILABLE', 'Email is not set up yet: enter the SMTP server and the From address in Settings.');
      }
      const summary = await sendApproved(db, transports, {
        now,
        from: { email: s.fromAddress, sms: s.storeName },
        onProgress: (p) => emit('outbox.progress', p),
      });
      changed('drafts', 'status');
      if (summary.stopped?.reason === 'transport') {
        throw new AppError('UNAVAILABLE', `Sending stopped: ${summary.stopped.message}`);
      }
      return { total: summary.total, done: summary.done, sent: summary.sent, failed: summary.failed, unknown: summary.unknown };
    },
    'outbox.retry': (input: { ids: number[]; confirmNotSent?: boolean }) => {
      const r = retryMessages(db, input.ids, now(), { confirmNotSent: input.confirmNotSent === true });
      changed('drafts', 'status');
      return { changed: r.changed.length };
    },
    'outbox.confirmSent': (input: { ids: number[] }) => {
      const r = confirmSent(db, input.ids, now());
      changed('drafts', 'status');
      return { changed: r.changed.length };
    },
    'tasks.list': (input: { status?: 'open' | 'resolved'; kind?: string[] }) => listTasksFiltered(db, { ...(input.status ? { status: input.status } : {}), ...(input.kind ? { kinds: input.kind } : {}) }),
    'tasks.resolve': (input: { id: number; note?: string }) => {
      const t = now();
      const task = db.prepare('SELECT backorder_id AS b FROM tasks WHERE id = ?').get(input.id) as { b: number | null } | undefined;
      if (!task) throw new AppError('NOT_FOUND', `No task ${input.id}.`);
      db.transaction(() => {
        db.prepare("UPDATE tasks SET status = 'resolved', resolved_at = ?, context = json_set(context, '$.resolutionNote', ?) WHERE id = ? AND status = 'open'")
          .run(t, input.note ?? '', input.id);
        // The sequence resumes once no open task holds this backorder.
        if (task.b !== null) {
          db.prepare("UPDATE backorders SET paused = 0 WHERE id = ? AND NOT EXISTS (SELECT 1 FROM tasks WHERE backorder_id = ? AND status = 'open')")
            .run(task.b, task.b);
        }
      })();
      changed('tasks', 'status', 'backorders');
      return listTasks(db).find((x) => x.id === input.id)!;
    },
  };

  let timer: NodeJS.Timeout | undefined;
  const core: Core = {
    db,
    dbPath: opts.dbPath,
    async dispatch<C extends CommandName>(name: C, input: unknown): Promise<Result<CommandOutput<C>>> {
      try {
        const spec = commands[name];
        if (!spec) throw new AppError('NOT_FOUND', `Unknown command ${String(name)}.`);
        const parsed = spec.input.parse(input ?? {});
        const handler = handlers[name] as (i: unknown) => CommandOutput<C> | Promise<CommandOutput<C>>;
        return { ok: true, value: await handler(parsed) };
      } catch (err) {
        return { ok: false, error: toErrorShape(err) };
      }
    },
    on(event, listener) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    wake() {
      shopify.service.wake();
      void gmail.schedule.wake();
    },
    close() {
      if (timer) clearInterval(timer);
      shopify.service.close();
      gmail.schedule.close();
      edi.close();
      events.removeAllListeners();
      void llm.close();
      db.close();
    },
  };

  if (opts.tickEveryMs) {
    timer = setInterval(() => {
      void core.dispatch('scheduler.tick', {});
    }, opts.tickEveryMs);
    timer.unref();
  }
  return core;
}
