/**
 * An in-memory CoreApi for browser tests of the UI alone: a fixed, varied data set (drafts with and
 * without content-rule violations, approved, failed, unknown and sent messages, paused backorders,
 * open tasks) that the real core cannot easily be brought into. Inputs are validated with the
 * contract's zod schemas, as the real core does, so the UI cannot send what the core would refuse.
 * It is a test double of the contract, not a second core: no detection, drafting or SMTP.
 */
import { commands, type AppStatus, type CommandName, type CommandOutputs, type EventName, type EventPayloads, type Settings } from '../../../src/shared/contract';
import type { BackorderRow, MessageRow, TaskRow } from '../../../src/shared/domain';
import type { CoreApi } from '../../../src/main/app/core-api';
import { AppError, toErrorShape, type Result } from '../../../src/shared/result';
import type { ModelView } from '../../../src/shared/llm';

export const FAKE_NOW = '2026-11-28T15:00:00.000Z';

/** Shopify as not connected (the live sync has its own integration tests against a fake Admin API). */
const shopifyStatus = {
  connected: false, shop: null, authKind: null, pollMinutes: 5, writeBack: { tags: false, holds: false, etaMetafield: false }, orderActions: { cancel: false, notifyCustomer: true },
  running: false, progress: null, lastSuccessAt: null, lastError: null, lastErrorAt: null,
  scopes: ['read_orders', 'read_products', 'read_inventory', 'read_customers', 'read_fulfillments', 'read_merchant_managed_fulfillment_orders'], secretStorage: 'memory',
};

export interface FakeCore extends CoreApi {
  /** Every dispatched command name, in order. */
  readonly calls: string[];
  /** Delay between two sends of a batch, so a test can watch the progress. */
  sendDelayMs: number;
}

const hoursAgo = (h: number): string => new Date(Date.parse(FAKE_NOW) - h * 3_600_000).toISOString();
const hoursAhead = (h: number): string => new Date(Date.parse(FAKE_NOW) + h * 3_600_000).toISOString();

function backorder(i: number, o: Partial<BackorderRow>): BackorderRow {
  return {
    backorderId: i,
    orderId: `gid://shopify/Order/${7000 + i}`,
    orderName: `#${3300 + i}`,
    lineItemId: `gid://shopify/LineItem/${8000 + i}`,
    lineItemName: 'Enamel Camp Mug - Forest',
    sku: 'JP-ECM-FOR',
    quantityOrdered: 1,
    quantityBackordered: 1,
    orderedAt: hoursAgo(24 * (i + 1)),
    openedAt: hoursAgo(24 * (i + 1)),
    customerEmail: `customer${i}@example.com`,
    customerName: `Customer ${i}`,
    daysWaiting: i + 1,
    segments: [],
    nextStep: { stepId: 'day3', label: 'Day 3 update', dueAt: hoursAhead(20 + i) },
    paused: false,
    ...o,
  };
}

function message(id: number, o: Partial<MessageRow>): MessageRow {
  return {
    id,
    backorderId: id,
    orderName: `#${3300 + id}`,
    customerName: `Customer ${id}`,
    stepId: 'hour0',
    stepLabel: 'Initial notice',
    channel: 'email',
    to: `customer${id}@example.com`,
    subject: `Update on your order #${3300 + id}`,
    body: `Hi Customer ${id},\n\nThe Enamel Camp Mug - Forest in your order #${3300 + id} is on backorder. We expect it between Dec 8 and Dec 12.\n\nWe will write again by Dec 1 with an update. You can follow your order at https://shop.example.com/status/${3300 + id}.\n\nJuniper & Pine Outfitters`,
    status: 'draft',
    producedBy: 'template',
    messageId: `<m${id}@shop.example.com>`,
    createdAt: hoursAgo(2),
    updatedAt: hoursAgo(2),
    sentAt: null,
    lastError: null,
    attempts: 0,
    violations: [],
    ...o,
  };
}

/** A fresh fake with the standard data set. */
export function createFakeCore(): FakeCore {
  let settings: Settings = {
    storeName: 'Juniper & Pine Outfitters',
    timezone: 'America/New_York',
    fromAddress: 'Juniper & Pine <help@example.com>',
    smtp: { host: 'smtp.example.com', port: 587, security: 'starttls', user: 'help@example.com' },
    statusUrlTemplate: 'https://shop.example.com/status/{order}',
    faqUrl: 'https://shop.example.com/faq',
    highValueThresholdMinor: 50_000,
    etaLimitDays: 30,
    etaInterval: 0.8,
    vipMinPreviousOrders: 3,
    ftcMailOrderRule: true,
    allowedOffers: ['expedited shipping'],
    escalationRules: {
      highValueBeforeCancellation: true,
      unhappyReply: true,
      etaBeyondLimit: true,
      partialShipment: true,
      callRequested: true,
      vipDay14: true,
      cancelRequest: true,
    },
    gmail: { clientId: '', sendEmail: false, sendMode: 'direct', syncDays: 30, dailySendCap: 500, pollMinutes: 5 },
    ediFolder: '',
  };
  const backorders: BackorderRow[] = [
    backorder(1, { customerName: 'Maya Okafor', customerEmail: 'maya.okafor@example.com', segments: ['vip'], daysWaiting: 6 }),
    backorder(2, {
      customerName: 'Theo Lindqvist',
      customerEmail: 'theo.l@example.net',
      lineItemName: 'Juniper 2 Ultralight Tent - Moss',
      sku: 'JP-J2T-MOS',
      quantityOrdered: 3,
      quantityBackordered: 2,
      segments: ['first_time', 'high_value'],
      nextStep: { stepId: 'hour0', label: 'Initial notice', dueAt: hoursAgo(1) },
    }),
    backorder(3, { customerName: 'Priya Raman', customerEmail: 'priya@example.org', paused: true, daysWaiting: 15, ftcConsent: 'awaiting' }),
    backorder(4, { customerName: null, customerEmail: 'no-name@example.com', nextStep: null, daysWaiting: 1 }),
  ];
  const messages: MessageRow[] = [
    message(1, { customerName: 'Maya Okafor', to: 'maya.okafor@example.com' }),
    message(2, {
      customerName: 'Theo Lindqvist',
      to: 'theo.l@example.net',
      subject: 'We apologize for the inconvenience',
      violations: [
        // The validator's real rule ids (src/core/drafts/validator.ts DRAFT_RULES): the card shows their labels.
        { rule: 'banned_phrase', detail: 'Avoid “we apologize for the inconvenience”.' },
        { rule: 'next_update', detail: 'Say when the next update comes.' },
      ],
    }),
    message(3, { customerName: 'Priya Raman', to: 'priya@example.org', stepId: 'day7', stepLabel: 'Day 7 update' }),
    message(4, { status: 'approved', customerName: 'Jonas Weber', to: 'jonas@example.com' }),
    message(5, { status: 'failed', lastError: '550 5.1.1 <old@example.com>: mailbox unavailable', attempts: 1, to: 'old@example.com' }),
    message(6, { status: 'unknown', lastError: 'Connection closed after the message was handed over', attempts: 1 }),
    message(7, { status: 'sent', sentAt: hoursAgo(30), stepLabel: 'Initial notice' }),
  ];
  const tasks: TaskRow[] = [
    {
      id: 1,
      backorderId: 3,
      orderName: '#3303',
      kind: 'eta_beyond_limit',
      reason: 'The supplier’s estimate ends 41 days from now, beyond the 30-day limit.',
      recommendedAction: 'Call the customer, offer a cancellation with a full refund or a similar in-stock item.',
      status: 'open',
      createdAt: hoursAgo(5),
      resolvedAt: null,
    },
    {
      id: 2,
      backorderId: 2,
      orderName: '#3302',
      kind: 'partial_shipment',
      reason: 'One of the two tents can ship today.',
      recommendedAction: 'Confirm whether to ship one tent now and the other when it arrives.',
      status: 'open',
      createdAt: hoursAgo(1),
      resolvedAt: null,
    },
  ];

  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const emit = <E extends EventName>(event: E, payload: EventPayloads[E]): void => {
    for (const l of listeners.get(event) ?? []) (l as (p: EventPayloads[E]) => void)(payload);
  };
  const changed = (...views: EventPayloads['data.changed']['views']): void => emit('data.changed', { views });
  const count = (s: MessageRow['status']): number => messages.filter((m) => m.status === s).length;
  const pick = (ids: number[], from: MessageRow['status'][]): MessageRow[] => messages.filter((m) => ids.includes(m.id) && from.includes(m.status));
  const touch = (m: MessageRow, o: Partial<MessageRow>): void => {
    Object.assign(m, o, { updatedAt: new Date(Date.parse(m.updatedAt) + 1000).toISOString() });
  };
  let sending = false;
  const fakeModelView: ModelView = {
    state: 'none',
    reason: null,
    model: null,
    recommended: { name: 'Llama 3.2 3B Instruct (Q4_K_M)', file: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf', url: 'https://example.invalid/m.gguf', sha256: '0'.repeat(64), sizeBytes: 2_020_000_000, installed: false },
    download: { state: 'idle', receivedBytes: 0, totalBytes: null, reason: null },
    modelsDir: '/tmp/models',
  };

  const handlers: { [C in CommandName]: (input: never) => CommandOutputs[C] | Promise<CommandOutputs[C]> } = {
    'app.status': (): AppStatus => ({
      version: '0.1.0',
      dbPath: ':memory:',
      storeName: settings.storeName,
      timezone: settings.timezone,
      now: FAKE_NOW,
      counts: {
        openBackorders: backorders.length,
        drafts: count('draft'),
        approved: count('approved'),
        failed: count('failed'),
        unknown: count('unknown'),
        sent: count('sent'),
        openTasks: tasks.filter((t) => t.status === 'open').length,
      },
      emailConfigured: true,
      lastImportAt: hoursAgo(3),
    }),
    'settings.get': () => settings,
    'settings.update': (patch: Partial<Settings>) => {
      settings = { ...settings, ...patch };
      changed('status');
      return settings;
    },
    'import.files': (input: { files: { name: string; content: string }[] }) => ({
      files: input.files.map((f) => ({
        file: f.name,
        kind: 'orders' as const,
        layout: 'orders export (2024)',
        rowsRead: f.content.split('\n').length - 1,
        recordsStored: 1,
        recordsUnchanged: 0,
        refused: [{ file: f.name, line: 3, column: 'Lineitem quantity', message: 'Not a whole number: "two".' }],
        warnings: [],
      })),
      backordersOpened: 1,
      backordersClosed: 0,
      unmatchedLineItems: 0,
    }),
    'backorders.list': () => backorders,
    'scheduler.tick': () => ({ now: FAKE_NOW, backordersOpened: 0, backordersClosed: 0, drafted: 1, escalated: 0, superseded: 0 }),
    'drafts.list': (input: { status?: MessageRow['status'][] }) => messages.filter((m) => !input.status || input.status.includes(m.status)),
    'drafts.update': (input: { id: number; subject: string; body: string }) => {
      const m = pick([input.id], ['draft'])[0];
      if (!m) throw new Error(`No draft ${input.id}.`);
      const violations = /apologi[sz]e/i.test(input.subject + input.body) ? m.violations : [];
      touch(m, { subject: input.subject, body: input.body, violations });
      changed('drafts');
      return m;
    },
    'drafts.approve': (input: { ids: number[] }) => {
      const ms = pick(input.ids, ['draft']);
      const refused = ms.filter((m) => m.violations.length > 0).map((m) => ({ id: m.id, reason: m.violations.map((v) => v.detail).join('; ') }));
      const clean = ms.filter((m) => m.violations.length === 0);
      for (const m of clean) touch(m, { status: 'approved' });
      changed('drafts', 'status');
      return { changed: clean.length, refused };
    },
    'drafts.discard': (input: { ids: number[] }) => {
      const ms = pick(input.ids, ['draft', 'approved', 'failed']);
      for (const m of ms) touch(m, { status: 'discarded' });
      changed('drafts', 'status');
      return { changed: ms.length };
    },
    'outbox.send': async () => {
      if (sending) throw new Error('A send is already running.');
      sending = true;
      try {
        const batch = messages.filter((m) => m.status === 'approved');
        const p = { total: batch.length, done: 0, sent: 0, failed: 0, unknown: 0 };
        for (const m of batch) {
          await new Promise((r) => setTimeout(r, fake.sendDelayMs));
          touch(m, { status: 'sent', sentAt: FAKE_NOW, attempts: m.attempts + 1 });
          p.done++;
          p.sent++;
          emit('outbox.progress', { ...p });
        }
        changed('drafts', 'status');
        return p;
      } finally {
        sending = false;
      }
    },
    'outbox.retry': (input: { ids: number[]; confirmNotSent?: boolean }) => {
      const ms = pick(input.ids, input.confirmNotSent ? ['failed', 'unknown'] : ['failed']);
      for (const m of ms) touch(m, { status: 'approved', lastError: null });
      changed('drafts', 'status');
      return { changed: ms.length };
    },
    'outbox.confirmSent': (input: { ids: number[] }) => {
      const ms = pick(input.ids, ['unknown']);
      for (const m of ms) touch(m, { status: 'sent', sentAt: FAKE_NOW });
      changed('drafts', 'status');
      return { changed: ms.length };
    },
    'tasks.list': (input: { status?: 'open' | 'resolved' }) => tasks.filter((t) => !input.status || t.status === input.status),
    'gmail.connect': () => ({ email: 'help@example.com' }),
    'gmail.disconnect': () => ({ revoked: true, message: 'Gmail disconnected.' }),
    'gmail.status': () => ({ connected: false, email: null, needsReconnect: false, lastSyncAt: null, lastError: null, sentLastDay: 0, dailySendCap: settings.gmail.dailySendCap, secretStore: 'memory' }),
    'gmail.syncNow': () => ({ mode: 'partial' as const, fetched: 0, stored: 0, supplier: 0, customerReplies: 0, ignored: 0, units: 0 }),
    'shopify.connect': () => shopifyStatus,
    'shopify.configure': () => shopifyStatus,
    'shopify.disconnect': () => shopifyStatus,
    'shopify.status': () => shopifyStatus,
    'shopify.syncNow': () => ({ mode: 'incremental' as const, written: 0, unchanged: 0, skippedOlder: 0, startedAt: FAKE_NOW, finishedAt: FAKE_NOW }),
    // Local model: none loaded, as on a fresh install (src/main/llm is tested on its own).
    'model.status': () => fakeModelView,
    'model.load': () => fakeModelView,
    'model.download': () => fakeModelView,
    'model.cancelDownload': () => fakeModelView,
    'drafts.regenerate': () => {
      throw new AppError('UNAVAILABLE', 'No model is ready. Load or download one in Settings.');
    },
    'drafts.cancelRegenerate': () => ({ cancelled: false }),
    'tasks.resolve': (input: { id: number }) => {
      const t = tasks.find((x) => x.id === input.id);
      if (!t) throw new Error(`No task ${input.id}.`);
      Object.assign(t, { status: 'resolved', resolvedAt: FAKE_NOW });
      changed('tasks', 'status', 'backorders');
      return t;
    },
    ...fakeEtaHandlers(),
    // Each dropped file reads as one supplier mail with one quote (the real reading is tested in
    // test/integration/replies.supplier-eml.test.ts); this is for the view.
    'replies.import': (input: { files: { name: string }[] }) => ({
      files: input.files.map((f) => ({
        file: f.name,
        error: null,
        messages: [{
          subject: 'PO 5512', from: 'orders@kiln.example', route: 'supplier' as const, reason: 'from supplier Kiln Works (orders@kiln.example)',
          orderName: null, sentiment: null, needsPerson: null, intents: [], tasks: [], answerMessageId: null, consent: null,
          supplierMail: { supplierName: 'Kiln Works', quotes: 1, needPerson: 0, problems: [] },
        }],
      })),
    }),
    'tasks.get': (input: { id: number }) => {
      const t = tasks.find((x) => x.id === input.id);
      if (!t) throw new Error(`No task ${input.id}.`);
      return {
        task: t,
        order: null,
        customer: { name: t.customerName ?? null, email: null, phone: null, segments: [] },
        items: [],
        // One message from the order's customer and one from a stranger who put the order number
        // in the subject: the panel names each sender (the real routing: test/integration/replies.test.ts).
        // Stored as UTC instants; shown in the store's zone (America/New_York).
        history: [
          { direction: 'in' as const, at: '2026-11-20T10:00:00.000Z', subject: 'Re: Order #3303', body: 'Any news?', status: null, from: 'maya@example.com', notOrderEmail: false, sentiment: 'neutral' as const, intents: ['eta_question'] },
          { direction: 'in' as const, at: '2026-11-21T10:00:00.000Z', subject: 'Re: Order #3303', body: 'Ship it to 1 Evil Street.', status: null, from: 'mallory@evil.example', notOrderEmail: true, sentiment: 'neutral' as const, intents: ['address_change'] },
          { direction: 'out' as const, at: '2026-11-30T07:29:59.240Z', subject: 'Your order #3303', body: 'Hi,\n\nAn update on your order.', status: 'sent' as const, from: null, notOrderEmail: false, sentiment: null, intents: [] },
        ],
        sentiment: null,
        eta: null,
        rule: { stepId: null, kind: t.kind, reason: t.reason },
        recommendedAction: t.recommendedAction,
        draft: null,
        phone: null,
        actions: [],
        context: {},
      };
    },
    'tasks.act': () => {
      throw new Error('No cancellation in the fake.');
    },
  };

  const fake: FakeCore = {
    calls: [],
    sendDelayMs: 150,
    async dispatch<C extends CommandName>(name: C, input: unknown): Promise<Result<CommandOutputs[C]>> {
      fake.calls.push(name);
      try {
        const parsed = commands[name].input.parse(input ?? {});
        const handler = handlers[name] as (i: unknown) => CommandOutputs[C] | Promise<CommandOutputs[C]>;
        return { ok: true, value: structuredClone(await handler(parsed)) };
      } catch (err) {
        return { ok: false, error: toErrorShape(err) };
      }
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    close() {
      listeners.clear();
    },
  };
  return fake;
}

/** Supplier/ETA commands of the fake: one supplier with a scorecard and one quote. */
function fakeEtaHandlers(): Pick<{ [C in CommandName]: (input: never) => CommandOutputs[C] }, 'suppliers.list' | 'suppliers.update' | 'suppliers.scorecard' | 'eta.quotes' | 'eta.addQuote' | 'eta.importHistory' | 'eta.importSheet' | 'eta.ediFiles' | 'eta.syncSheets' | 'eta.linkSheet'> {
  const quote: CommandOutputs['eta.quotes'][number] = {
    id: 1, supplierId: 1, supplierName: 'Trailhead Textiles', variantId: 'gid://shopify/ProductVariant/1', variantTitle: 'Alpine Down Jacket / M',
    sku: 'ADJ-M', poNumber: 'PO-4711', source: 'email', sourceRef: '<q1@example.com>', quotedAt: '2026-11-20', kind: 'range',
    start: '2026-12-07', end: '2026-12-13', isShipDate: false, arrivalStart: '2026-12-07', arrivalEnd: '2026-12-13', confidence: 0.8,
    sentence: 'The jackets ship CW 50.', rule: 'iso-week', status: 'active', createdAt: '2026-11-20T10:00:00.000Z',
  };
  const supplier: CommandOutputs['suppliers.list'][number] = {
    id: 1, name: 'Trailhead Textiles', vendor: 'Trailhead Textiles', emails: ['orders@trailhead.example'], domains: ['trailhead.example'],
    leadTimeDays: 21, transitDays: 4, dateLocale: 'en-US', variantIds: [], variantCount: 6, sheetMapping: null, updatedAt: '2026-11-01T10:00:00.000Z',
  };
  return {
    'suppliers.list': () => [supplier],
    'suppliers.update': (i: { name: string }) => ({ ...supplier, ...(i as object), name: i.name }),
    'suppliers.scorecard': () => [{ supplier: supplier.name, supplierId: 1, arrivals: 12, onTimeRate: 0.5, medianSlipDays: 3, missesInRow: 4, latestQuotes: [quote] }],
    'eta.quotes': () => [quote],
    'eta.addQuote': () => [quote],
    'eta.importHistory': (i: { name: string }) => ({ file: i.name, mapping: 'backorder-desk', rowsRead: 0, stored: 0, unchanged: 0, refused: [] }),
    'eta.ediFiles': () => ({ folder: '', watching: false, problem: null, files: [], skipped: [] }),
    'eta.syncSheets': () => [],
    'eta.linkSheet': () => {
      throw new Error('Google is not connected in the fake core.');
    },
    // A small double of the sheet reader: second column must be an ISO date, else the line is named.
    'eta.importSheet': (i: { name: string; supplier: string; content: string; mapping?: { sku: string; date: string } }) => {
      const lines = i.content.split(/\r?\n/).filter((l) => l.trim());
      const problems = lines.slice(1).flatMap((l, n) =>
        /^\d{4}-\d{2}-\d{2}$/.test(l.split(',')[1] ?? '') ? [] : [{ file: i.name, line: n + 2, column: i.mapping?.date ?? 'date', message: `"${l.split(',')[1] ?? ''}" is not a date` }],
      );
      return { file: i.name, supplier: i.supplier, mapping: i.mapping ?? null, rowsRead: lines.length - 1, stored: lines.length - 1 - problems.length, unchanged: 0, problems };
    },
  };
}
