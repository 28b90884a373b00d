/**
 * Domain vocabulary shared by every process (main, preload, renderer, CLI, web mode).
 *
 * Conventions (DESIGN.md "Principles"):
 * - Money is an integer amount in minor units (cents) plus an ISO 4217 currency code.
 * - Instants are ISO 8601 strings with an offset (e.g. "2025-05-11T09:55:16-04:00" or "...Z").
 * - ETAs and other calendar dates are date-only ISO strings ("2026-12-03") in the store's time zone.
 * - Ids keep the store's own ids: Shopify GIDs ("gid://shopify/Order/6634244374859") where the
 *   source has them, otherwise a stable id derived from the export (documented where it is made).
 */

/** Shopify's inventory policy for a variant: DENY stops selling at zero, CONTINUE oversells. */
export type InventoryPolicy = 'DENY' | 'CONTINUE';

/** Where a message goes out. SMS is used only when the customer opted in to SMS marketing. */
export type Channel = 'email' | 'sms';

/** Outbox life cycle of a message (DESIGN.md "Every side effect goes through the database first"). */
export type MessageStatus =
  | 'draft'
  | 'approved'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'unknown'
  | 'discarded';

/** Customer segments (DESIGN.md glossary). A customer can be VIP and high value at once. */
export type Segment = 'vip' | 'first_time' | 'high_value';

/** Money as an integer amount of minor units with its ISO 4217 currency code. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** Why a backorder ended. */
export type BackorderCloseReason = 'restocked' | 'fulfilled' | 'cancelled' | 'removed';

/** One open backorder as the UI and `backorders --json` show it. */
export interface BackorderRow {
  backorderId: number;
  orderId: string;
  orderName: string;
  lineItemId: string;
  lineItemName: string;
  sku: string | null;
  quantityOrdered: number;
  quantityBackordered: number;
  /** Order creation instant (ISO 8601 with offset). */
  orderedAt: string;
  /** When the app first saw the line as backordered (ISO 8601 UTC). */
  openedAt: string;
  customerEmail: string | null;
  customerName: string | null;
  /** Whole days the customer has waited since the order, in the store's time zone. */
  daysWaiting: number;
  segments: Segment[];
  /** The next step of the sequence and when it is due (ISO 8601 UTC), or null when none is left. */
  nextStep: { stepId: string; label: string; dueAt: string | null } | null;
  /**
   * The oldest message of this backorder that was drafted but has not gone out yet (in the review
   * queue, or approved and waiting for "send"); absent or null when none. Shown before `nextStep`,
   * which counts from when the backorder opened whether or not earlier messages were sent.
   */
  pendingMessage?: { stepId: string; label: string; status: 'draft' | 'approved' | 'failed' } | null;
  paused: boolean;
  /**
   * US store after a second delay (FTC Mail Order Rule, 16 CFR 435.2(b)(2)): where the customer's
   * consent stands; absent or null when no consent was asked.
   */
  ftcConsent?: FtcConsentState | null;
}

/** Where a consent request after a second delay stands (see FtcConsentView). */
export type FtcConsentState = 'awaiting' | 'consented' | 'cancel_requested' | 'overdue';

/**
 * The FTC Mail Order Rule's second-delay consent round of a backorder (16 CFR 435.2(b)(2)): the first
 * delay notice's revised date, the consent request and its deadline (date-only, store time zone), the
 * customer's answers as reply triage read them.
 */
export interface FtcConsentView {
  state: FtcConsentState;
  /** The first delay notice that gave a revised range: when it was sent, and the range's last day. */
  firstNotice: { sentAt: string | null; revisedEnd: string } | null;
  request: {
    messageId: number;
    status: MessageStatus;
    sentAt: string | null;
    /** Last day to agree to wait. */
    deadline: string;
    /** The new revised range it gave; null = it said there is no date. */
    etaStart: string | null;
    etaEnd: string | null;
  };
  /**
   * Answers: replies read as consent to wait, a cancel request, or unclear (a person decides), and
   * consent a person recorded from a task (`by: 'person'`, no mail when it came by phone).
   */
  answers: { at: string; answer: 'consent' | 'cancel' | 'unclear'; mailId: number | null; by: 'reply' | 'person' }[];
}

/** A message of the outbox as the review queue shows it. */
export interface MessageRow {
  id: number;
  backorderId: number | null;
  orderName: string;
  customerName: string | null;
  stepId: string;
  stepLabel: string;
  channel: Channel;
  to: string;
  subject: string;
  body: string;
  status: MessageStatus;
  producedBy: string;
  messageId: string;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  lastError: string | null;
  attempts: number;
  violations: DraftViolation[];
}

/** One broken content rule found by the draft validator. */
export interface DraftViolation {
  rule: string;
  detail: string;
}

/** Escalation task: a hard stop that waits for a person. */
export interface TaskRow {
  id: number;
  backorderId: number | null;
  orderName: string | null;
  kind: string;
  reason: string;
  recommendedAction: string;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  /** 2 = callback, 1 = unhappy customer or cancellation, 0 = the rest; higher first. */
  priority?: number;
  customerName?: string | null;
}

/** What one imported file gave: rows read, stored, skipped as unchanged, and refused with reasons. */
export interface ImportFileReport {
  file: string;
  kind: ImportKind;
  layout: string;
  rowsRead: number;
  recordsStored: number;
  recordsUnchanged: number;
  refused: ImportProblem[];
  warnings: ImportProblem[];
}

/** A problem in an input file, located precisely enough for a person to fix it. */
export interface ImportProblem {
  file: string;
  /** 1-based physical line in the file (the header is line 1). */
  line: number;
  column: string | null;
  message: string;
}

export type ImportKind = 'orders' | 'products' | 'inventory' | 'customers';

/** The outcome of an import run over several files, plus what detection found afterwards. */
export interface ImportReport {
  files: ImportFileReport[];
  backordersOpened: number;
  backordersClosed: number;
  unmatchedLineItems: number;
}

/** One message of an imported reply file and what became of it. */
export interface ReplyImportMessage {
  subject: string;
  from: string;
  /** customer_reply = linked to an order and triaged; duplicate = already imported. */
  route: 'customer_reply' | 'supplier' | 'ignored' | 'duplicate';
  /** Why it was routed so ("answers our message <…>", "order #1042 in the subject"). */
  reason: string;
  orderName: string | null;
  sentiment: 'positive' | 'neutral' | 'frustrated' | 'angry' | null;
  needsPerson: boolean | null;
  intents: string[];
  /** Escalation tasks opened. */
  tasks: { id: number; kind: string }[];
  /** The drafted answer queued for review, when one was. */
  answerMessageId: number | null;
  /** How it answered an open FTC consent request (second delay); absent or null when none was open. */
  consent?: 'consent' | 'cancel' | 'unclear' | null;
  /**
   * Supplier mail only (route 'supplier'): what reading it for ETA quotes did, through the same
   * reader as Gmail sync (src/main/eta/mail-quotes.ts). Absent for other routes.
   */
  supplierMail?: {
    supplierName: string;
    /** Quotes stored. */
    quotes: number;
    /** Review tasks opened: low confidence, no variant matched, an attachment not read. */
    needPerson: number;
    /** Attachments (or the whole mail) that could not be read, each naming the piece. */
    problems: string[];
  };
}

/** What `replies.import` did, per file; `error` when the file could not be read as mail. */
export interface ReplyImportReport {
  files: { file: string; messages: ReplyImportMessage[]; error: string | null }[];
}

/** One message of a task's history, sent (out) or received (in), oldest first. */
export interface TaskHistoryEntry {
  direction: 'out' | 'in';
  at: string;
  subject: string;
  body: string;
  /** Outbox status for ours; null for the customer's. */
  status: MessageStatus | null;
  /**
   * Inbound only: the sender's address as it came ('' when the message had none), shown because a
   * message linked by the order number in its subject may come from anyone. Null for ours.
   */
  from: string | null;
  /** Inbound only: true when the sender is not the order's email (compared case-insensitively). */
  notOrderEmail: boolean;
  /** Triage of a customer message, when it was read. */
  sentiment: 'positive' | 'neutral' | 'frustrated' | 'angry' | null;
  intents: string[];
}

/**
 * Confirmed task actions: "cancel and refund in full" (cancellation tasks), "record consent to wait"
 * (FTC consent tasks after a second delay).
 */
export type TaskActionId = 'cancel_refund' | 'record_consent';

/** Everything a person needs to decide a task (`tasks.get`). */
export interface TaskDetail {
  task: TaskRow;
  order: { id: string; name: string; createdAt: string; total: Money; financialStatus: string | null; cancelledAt: string | null } | null;
  customer: { name: string | null; email: string | null; phone: string | null; segments: Segment[] };
  items: { name: string; sku: string | null; quantity: number; quantityBackordered: number | null }[];
  history: TaskHistoryEntry[];
  /** The reading of the reply that opened the task (or the latest reply), null when none. */
  sentiment: { sentiment: string; confidence: number; reasons: string[]; text: string } | null;
  /** Current predicted ETA range (date-only, store time zone) and the quotes it came from. */
  eta: { start: string | null; end: string | null; method: string | null; sources: { source: string; ref: string; quotedAt: string; sentence: string }[] } | null;
  /** The rule that fired: flow step and task kind. */
  rule: { stepId: string | null; kind: string; reason: string };
  recommendedAction: string;
  /** A prepared draft for the person, where one fits. */
  draft: { subject: string; body: string } | null;
  phone: string | null;
  /** Confirmed actions the task offers, e.g. "cancel and refund in full", and whether each was done. */
  actions: { id: TaskActionId; label: string; done: { outcome: 'done' | 'recorded' | 'failed'; at: string; detail: string } | null }[];
  /** Free-form context stored with the task. */
  context: Record<string, unknown>;
  /** The FTC second-delay consent round of the task's backorder, when there is one. */
  ftc?: FtcConsentView | null;
}
