/**
 * The one contract between the core and every front door (Electron IPC via preload, web mode over
 * HTTP, the renderer's client). Commands have a zod schema for their input (validated where the call
 * enters the core) and a TypeScript type for their output; events are pushed from the core.
 *
 * Every call returns the envelope of result.ts: `{ok: true, value}` or `{ok: false, error}`.
 */
import { z } from 'zod';
import type {
  BackorderRow,
  ImportReport,
  MessageRow,
  MessageStatus,
  TaskRow,
} from './domain';

const id = z.number().int().positive();
const ids = z.array(id).min(1).max(10_000);
const isoInstant = z.iso.datetime({ offset: true });

export const messageStatusSchema = z.enum(['draft', 'approved', 'sending', 'sent', 'failed', 'unknown', 'discarded']);

/** Owner-editable settings. Money thresholds in minor units of the store currency. */
export const settingsSchema = z.object({
  storeName: z.string().min(1).max(200),
  /** IANA time zone of the store, e.g. "America/New_York". Dates shown to customers use it. */
  timezone: z.string().min(1).max(64),
  /** From address of customer email, e.g. "Juniper & Pine <help@example.com>". */
  fromAddress: z.string().max(320),
  smtp: z.object({
    host: z.string().max(255),
    port: z.number().int().min(1).max(65_535),
    /** 'tls' = implicit TLS (port 465), 'starttls' = STARTTLS required (587), 'none' = local relay only. */
    security: z.enum(['tls', 'starttls', 'none']),
    user: z.string().max(320),
  }),
  /** Status page link for customers; `{order}` is replaced by the order number without '#'. */
  statusUrlTemplate: z.string().max(500),
  faqUrl: z.string().max(500),
  /** Orders above this total escalate before any cancellation offer (DESIGN.md: $500). */
  highValueThresholdMinor: z.number().int().min(0),
  /** ETAs ending later than this many days out escalate (DESIGN.md: 30). */
  etaLimitDays: z.number().int().min(1).max(365),
  /** VIP = at least this many previous orders (DESIGN.md: 3). */
  vipMinPreviousOrders: z.number().int().min(1).max(1000),
  /** US store: FTC Mail Order Rule wording in delay notices (16 CFR Part 435). */
  ftcMailOrderRule: z.boolean(),
  /** Offers the drafts may make, e.g. ["expedited shipping"]. */
  allowedOffers: z.array(z.string().max(100)).max(20),
});
export type Settings = z.infer<typeof settingsSchema>;

export const importFileSchema = z.object({
  name: z.string().min(1).max(500),
  /** File text as exported by Shopify (UTF-8). */
  content: z.string().max(200 * 1024 * 1024),
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
  'tasks.list': { input: z.object({ status: z.enum(['open', 'resolved']).optional() }).strict() },
  'tasks.resolve': { input: z.object({ id, note: z.string().max(2000).optional() }).strict() },
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
}
export type EventName = keyof EventPayloads;
export const eventNames: EventName[] = ['outbox.progress', 'data.changed'];

export type { MessageStatus };
