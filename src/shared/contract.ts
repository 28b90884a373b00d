/**
 * The one contract between the core and every front door (Electron IPC via preload, web mode over
 * HTTP, the renderer's client). Commands have a zod schema for their input (validated where the call
 * enters the core) and a TypeScript type for their output; events are pushed from the core.
 *
 * Every call returns the envelope of result.ts: `{ok: true, value}` or `{ok: false, error}`.
 */
import { z } from 'zod';
import { addQuoteSchema, historyImportSchema, quotesQuerySchema, sheetImportSchema, sheetLinkSchema, sheetSyncSchema, supplierUpdateSchema } from './eta';
import type { EdiFolderStatus, HistoryImportReport, QuoteRow, ScorecardRow, SheetImportReport, SupplierRow } from './eta';
import type { DraftsProgress, ModelView } from './llm';
import { shopifyConfigureSchema, shopifyConnectSchema, type ShopifyStatus, type ShopifySyncSummary, type SyncProgress } from './shopify';
import type {
  BackorderRow,
  ImportReport,
  MessageRow,
  MessageStatus,
  ReplyImportReport,
  TaskDetail,
  TaskRow,
} from './domain';

const id = z.number().int().positive();
const ids = z.array(id).min(1).max(10_000);
const isoInstant = z.iso.datetime({ offset: true });

export const messageStatusSchema = z.enum(['draft', 'approved', 'sending', 'sent', 'failed', 'unknown', 'discarded']);

/** The escalation rules the owner can switch off (reply triage issue; DESIGN.md "Escalate"). */
export const escalationRulesSchema = z.object({
  highValueBeforeCancellation: z.boolean(),
  unhappyReply: z.boolean(),
  etaBeyondLimit: z.boolean(),
  partialShipment: z.boolean(),
  callRequested: z.boolean(),
  vipDay14: z.boolean(),
  cancelRequest: z.boolean(),
});
export type EscalationRules = z.infer<typeof escalationRulesSchema>;

/** Gmail (issue "Gmail: supplier mail and customer replies in, customer messages out"). */
export const gmailSettingsSchema = z.object({
  /** Client ID of the owner's Google Cloud OAuth client of type Desktop; '' = the one built in. */
  clientId: z.string().max(300),
  /** Send customer email through Gmail instead of SMTP once Gmail is connected. */
  sendEmail: z.boolean(),
  /** 'direct' = users.messages.send (gmail.send scope); 'draft' = drafts.create/send (gmail.compose scope). */
  sendMode: z.enum(['direct', 'draft']),
  /** First sync reaches back this many days. */
  syncDays: z.number().int().min(1).max(365),
  /** At most this many messages through Gmail in any 24 hours (Gmail: ~500 personal, 2,000 Workspace). */
  dailySendCap: z.number().int().min(1).max(2000),
  /** Minutes between scheduled syncs while the app runs (Electron, web mode); a default keeps older stored settings valid. */
  pollMinutes: z.number().int().min(1).max(1440).default(5),
});

/** True when the runtime knows this IANA time zone. */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A link a draft may carry: empty, or http(s) only (no javascript:, data:, mailto: …). */
const webLink = z
  .string()
  .max(500)
  .refine((v) => v === '' || /^https?:\/\/[^\s]+$/i.test(v), 'must be empty or an http(s):// address');

/** One mailbox, "Name <a@b.example>" or "a@b.example", on one line (a line break would inject headers). */
const mailbox = z
  .string()
  .max(320)
  .refine((v) => v === '' || /^(?:[^\r\n<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/.test(v.trim()), 'must be one email address, e.g. "Shop <help@shop.example>"');

/** Owner-editable settings. Money thresholds in minor units of the store currency. */
export const settingsSchema = z.object({
  /**
   * The name drafts sign with ("The Juniper & Pine team"). "" = not set yet: every draft then breaks
   * the `store_name` rule, so nothing goes out signed with a placeholder.
   */
  storeName: z.string().trim().max(200).refine((v) => !/[\r\n]/.test(v), 'must be one line'),
  /** IANA time zone of the store, e.g. "America/New_York". Dates shown to customers use it. */
  timezone: z.string().min(1).max(64).refine(isTimeZone, 'is not a time zone name like "America/New_York"'),
  /** From address of customer email, e.g. "Juniper & Pine <help@example.com>". */
  fromAddress: mailbox,
  smtp: z.object({
    host: z.string().max(255).refine((v) => !/[\s/]/.test(v), 'must be a host name, e.g. smtp.example.com'),
    port: z.number().int().min(1).max(65_535),
    /** 'tls' = implicit TLS (port 465), 'starttls' = STARTTLS required (587), 'none' = local relay only. */
    security: z.enum(['tls', 'starttls', 'none']),
    user: z.string().max(320),
  }),
  /** Status page link for customers; `{order}` is replaced by the order number without '#'. */
  statusUrlTemplate: webLink,
  faqUrl: webLink,
  /** Orders above this total escalate before any cancellation offer (DESIGN.md: $500). */
  highValueThresholdMinor: z.number().int().min(0),
  /** ETAs ending later than this many days out escalate (DESIGN.md: 30). */
  etaLimitDays: z.number().int().min(1).max(365),
  /** Nominal coverage of the customer-facing ETA range (0.8 = an 80% interval). */
  etaInterval: z.number().min(0.5).max(0.98),
  /** VIP = at least this many previous orders (DESIGN.md: 3). */
  vipMinPreviousOrders: z.number().int().min(1).max(1000),
  /** US store: FTC Mail Order Rule wording in delay notices (16 CFR Part 435). */
  ftcMailOrderRule: z.boolean(),
  /** Offers the drafts may make, e.g. ["expedited shipping"]. */
  allowedOffers: z.array(z.string().max(100)).max(20),
  /**
   * Each escalation rule of DESIGN.md on or off (thresholds above). Off = the rule opens no task;
   * for the high-value rule, high-value orders then get the day-14 cancel offer like any other.
   */
  escalationRules: escalationRulesSchema,
  gmail: gmailSettingsSchema,
  /**
   * Folder watched for X12 855/856 files from suppliers (Electron, web mode); '' = none. Imported
   * files move to its processed/ or failed/ subfolder.
   */
  ediFolder: z.string().max(4096).default(''),
});
export type Settings = z.infer<typeof settingsSchema>;

export const importFileSchema = z.object({
  name: z.string().min(1).max(500),
  /**
   * The file as exported by Shopify: its text, or with `encoding: 'base64'` its bytes — preferred,
   * because only the bytes tell a UTF-8 export from one a spreadsheet re-saved as Windows-1252.
   */
  content: z.string().max(270 * 1024 * 1024),
  encoding: z.enum(['text', 'base64']).optional(),
  kind: z.enum(['orders', 'products', 'inventory', 'customers']).optional(),
});

export interface AppStatus {
  version: string;
  dbPath: string;
  storeName: string;
  timezone: string;
  now: string;
  counts: {
    openBackorders: number;
    drafts: number;
    approved: number;
    failed: number;
    unknown: number;
    sent: number;
    openTasks: number;
  };
  emailConfigured: boolean;
  lastImportAt: string | null;
}

export interface TickSummary {
  now: string;
  backordersOpened: number;
  backordersClosed: number;
  drafted: number;
  escalated: number;
  superseded: number;
}

export interface SendProgress {
  total: number;
  done: number;
  sent: number;
  failed: number;
  unknown: number;
}

/** Commands: input schema and output type. */
export const commands = {
  'app.status': { input: z.object({}).strict() },
  'settings.get': { input: z.object({}).strict() },
  'settings.update': { input: settingsSchema.partial().strict() },
  'import.files': { input: z.object({ files: z.array(importFileSchema).min(1).max(50) }).strict() },
  'backorders.list': { input: z.object({ includeClosed: z.boolean().optional() }).strict() },
  'scheduler.tick': { input: z.object({ now: isoInstant.optional() }).strict() },
  'drafts.list': { input: z.object({ status: z.array(messageStatusSchema).optional() }).strict() },
  'drafts.update': {
    input: z.object({ id, subject: z.string().max(300), body: z.string().min(1).max(5000) }).strict(),
  },
  'drafts.approve': { input: z.object({ ids }).strict() },
  'drafts.discard': { input: z.object({ ids }).strict() },
  'outbox.send': { input: z.object({}).strict() },
  'outbox.retry': { input: z.object({ ids, confirmNotSent: z.boolean().optional() }).strict() },
  'outbox.confirmSent': { input: z.object({ ids }).strict() },
  'tasks.list': {
    input: z.object({ status: z.enum(['open', 'resolved']).optional(), kind: z.array(z.string().min(1).max(64)).max(20).optional() }).strict(),
  },
  'tasks.resolve': { input: z.object({ id, note: z.string().max(2000).optional() }).strict() },
  'suppliers.list': { input: z.object({}).strict() },
  'suppliers.update': { input: supplierUpdateSchema },
  'suppliers.scorecard': { input: z.object({}).strict() },
  'eta.quotes': { input: quotesQuerySchema },
  'eta.addQuote': { input: addQuoteSchema },
  'eta.importHistory': { input: historyImportSchema },
  /** A supplier sheet (CSV text) into quotes; the column mapping is saved per supplier. */
  'eta.importSheet': { input: sheetImportSchema },
  /** The watched EDI folder (setting ediFolder) and the files it handled, newest first. */
  'eta.ediFiles': { input: z.object({}).strict() },
  /** Links a supplier's Google Sheet (Sheets API v4, read-only) and reads it; later reads: eta.syncSheets. */
  'eta.linkSheet': { input: sheetLinkSchema },
  'eta.syncSheets': { input: sheetSyncSchema },
  /** Mail files (.eml, or Gmail JSON resources), content base64-encoded: customer replies and supplier mail (ETA quotes). */
  'replies.import': {
    input: z.object({ files: z.array(z.object({ name: z.string().min(1).max(500), content: z.base64().max(40 * 1024 * 1024) }).strict()).min(1).max(50) }).strict(),
  },
  'tasks.get': { input: z.object({ id }).strict() },
  /**
   * A confirmed task action; `confirm: true` is the person's explicit yes. `record_consent`: the
   * customer agreed to wait after a second delay (FTC consent tasks, 16 CFR 435.2(b)(2)).
   */
  'tasks.act': { input: z.object({ id, action: z.enum(['cancel_refund', 'record_consent']), confirm: z.literal(true) }).strict() },
  // Local language model (src/main/llm). `model.load` without a path loads the default model.
  'model.status': { input: z.object({}).strict() },
  'model.load': { input: z.object({ path: z.string().min(1).max(4096).optional() }).strict() },
  'model.download': { input: z.object({}).strict() },
  'model.cancelDownload': { input: z.object({}).strict() },
  /** Rewrites drafts with the model (all untouched composer drafts when `ids` is absent); progress: `drafts.progress`. */
  'drafts.regenerate': { input: z.object({ ids: ids.optional() }).strict() },
  'drafts.cancelRegenerate': { input: z.object({}).strict() },
  // Gmail (src/main/gmail). connect opens the system browser; the secret is stored in the keychain.
  'gmail.connect': { input: z.object({ clientId: z.string().max(300).optional(), clientSecret: z.string().max(300).optional() }).strict() },
  'gmail.disconnect': { input: z.object({}).strict() },
  'gmail.status': { input: z.object({}).strict() },
  'gmail.syncNow': { input: z.object({ full: z.boolean().optional() }).strict() },
  // Live Shopify sync (src/main/shopify). Credentials go to the keychain; progress: `sync.progress`.
  'shopify.connect': { input: shopifyConnectSchema },
  'shopify.configure': { input: shopifyConfigureSchema },
  'shopify.disconnect': { input: z.object({}).strict() },
  'shopify.status': { input: z.object({}).strict() },
  'shopify.syncNow': { input: z.object({}).strict() },
} as const;

export interface CommandOutputs {
  'app.status': AppStatus;
  'settings.get': Settings;
  'settings.update': Settings;
  'import.files': ImportReport;
  'backorders.list': BackorderRow[];
  'scheduler.tick': TickSummary;
  'drafts.list': MessageRow[];
  'drafts.update': MessageRow;
  /** Drafts that break a content rule are not approved; they are listed with the reason. */
  'drafts.approve': { changed: number; refused: { id: number; reason: string }[] };
  'drafts.discard': { changed: number };
  'outbox.send': SendProgress;
  'outbox.retry': { changed: number };
  'outbox.confirmSent': { changed: number };
  'tasks.list': TaskRow[];
  'tasks.resolve': TaskRow;
  'suppliers.list': SupplierRow[];
  'suppliers.update': SupplierRow;
  'suppliers.scorecard': ScorecardRow[];
  'eta.quotes': QuoteRow[];
  /** Quotes stored (text naming several variants gives one per variant). */
  'eta.addQuote': QuoteRow[];
  'eta.importHistory': HistoryImportReport;
  'eta.importSheet': SheetImportReport;
  'eta.ediFiles': EdiFolderStatus;
  'eta.linkSheet': { supplier: SupplierRow; report: SheetImportReport };
  'eta.syncSheets': SheetImportReport[];
  'replies.import': ReplyImportReport;
  'tasks.get': TaskDetail;
  'tasks.act': { outcome: 'done' | 'recorded'; detail: string; task: TaskRow };
  'model.status': ModelView;
  'model.load': ModelView;
  /** Starts the download of the recommended model; progress comes as `model.changed`. */
  'model.download': ModelView;
  'model.cancelDownload': ModelView;
  'drafts.regenerate': DraftsProgress;
  'drafts.cancelRegenerate': { cancelled: boolean };
  'gmail.connect': { email: string };
  'gmail.disconnect': { revoked: boolean; message: string };
  'gmail.status': GmailStatus;
  'gmail.syncNow': GmailSyncSummary;
  'shopify.connect': ShopifyStatus;
  'shopify.configure': ShopifyStatus;
  'shopify.disconnect': ShopifyStatus;
  'shopify.status': ShopifyStatus;
  'shopify.syncNow': ShopifySyncSummary;
}

/** The Gmail connection as Settings shows it. */
export interface GmailStatus {
  connected: boolean;
  email: string | null;
  needsReconnect: boolean;
  lastSyncAt: string | null;
  lastError: string | null;
  /** Messages sent through Gmail in the last 24 hours, and the cap. */
  sentLastDay: number;
  dailySendCap: number;
  /** Where the refresh token is kept (e.g. "OS keychain"). */
  secretStore: string;
  /** A sync is running (scheduled or "Sync now"); its progress comes as `gmail.progress` events. */
  syncing?: boolean;
  /** Minutes between scheduled syncs (setting gmail.pollMinutes). */
  pollMinutes?: number;
}

/** Progress of the running Gmail sync. */
export interface GmailSyncProgress {
  phase: 'starting' | 'fetching' | 'done' | 'failed';
  /** Messages fetched and newly stored so far in this run. */
  fetched: number;
  stored: number;
  /** Supplier quotes stored from the new supplier mail (after the run). */
  quotes?: number;
  message: string;
}

/** What one Gmail sync did. */
export interface GmailSyncSummary {
  mode: 'full' | 'partial' | 'full-after-404';
  fetched: number;
  stored: number;
  supplier: number;
  customerReplies: number;
  ignored: number;
  units: number;
  /** ETA quotes read from the new supplier mail (bodies and attachments). */
  quotes?: number;
}

export type CommandName = keyof typeof commands;
export type CommandInput<C extends CommandName> = z.input<(typeof commands)[C]['input']>;
export type CommandOutput<C extends CommandName> = CommandOutputs[C];
export const commandNames = Object.keys(commands) as CommandName[];

/** Events pushed from the core to every front door. */
export interface EventPayloads {
  /** Progress of the running send batch. */
  'outbox.progress': SendProgress;
  /** Stored data changed; views listed should refresh. */
  'data.changed': { views: ('backorders' | 'drafts' | 'tasks' | 'status')[] };
  /** The model's status or its download changed. */
  'model.changed': ModelView;
  /** Progress of the running batch of model drafts. */
  'drafts.progress': DraftsProgress;
  /** Progress of the running Shopify sync. */
  'sync.progress': SyncProgress;
  /** Progress of the running Gmail sync. */
  'gmail.progress': GmailSyncProgress;
  /** The watched EDI folder imported (or refused) a file. */
  'edi.imported': EdiFolderEvent;
}

/** One file the watched EDI folder handled. */
export interface EdiFolderEvent {
  file: string;
  ok: boolean;
  /** Quotes stored, lines not matched to a SKU, or the reason it was refused. */
  quotes: number;
  unmatched: number;
  error: string | null;
  at: string;
}
export type EventName = keyof EventPayloads;
export const eventNames: EventName[] = ['outbox.progress', 'data.changed', 'model.changed', 'drafts.progress', 'sync.progress', 'gmail.progress', 'edi.imported'];

export type { MessageStatus };
export type { ShopifyStatus, ShopifySyncSummary, SyncProgress };
