/**
 * Read models for the views and the CLI: backorders, messages (review queue), tasks, status counts.
 */
import type { Settings } from '../../shared/contract';
import type { BackorderRow, MessageRow, MessageStatus, TaskRow } from '../../shared/domain';
import { draftFactsSchema } from '../../core/drafts/facts';
import { validateDraft } from '../../core/drafts/validator';
import { segmentsOf } from '../../core/segments';
import { nextTimelineStep, stepLabels } from '../../core/sequence/engine';
import type { SequenceFlow } from '../../core/sequence/flow';
import type { Db } from '../store/db';
import { loadSettings } from '../store/settings';
import { calendarDaysBetween } from './scheduler';
import { consentStates } from './ftc-consent';

interface BackorderDbRow {
  backorderId: number;
  orderId: string;
  orderName: string;
  lineItemId: string;
  lineItemName: string;
  sku: string | null;
  quantityOrdered: number;
  quantityBackordered: number;
  orderedAt: string;
  openedAt: string;
  closedAt: string | null;
  customerEmail: string | null;
  customerName: string | null;
  orderTotal: number;
  previousOrders: number;
  paused: number;
  recorded: string | null;
}

/**
 * Backorders, oldest order first. Open ones only unless `includeClosed`.
 * `daysWaiting` counts calendar days since the order in the store's time zone.
 */
export function listBackorders(db: Db, flow: SequenceFlow, settings: Settings, now: string, includeClosed = false): BackorderRow[] {
  const rows = db
    .prepare(
      `WITH ranked AS (
         SELECT id, ROW_NUMBER() OVER (PARTITION BY COALESCE(customer_id, lower(email), id) ORDER BY created_at) - 1 AS prev FROM orders
       )
       SELECT b.id AS backorderId, o.id AS orderId, o.name AS orderName, li.id AS lineItemId, li.name AS lineItemName, li.sku,
              li.quantity AS quantityOrdered, b.quantity_backordered AS quantityBackordered, o.created_at AS orderedAt,
              b.opened_at AS openedAt, b.closed_at AS closedAt, COALESCE(o.email, c.email) AS customerEmail,
              COALESCE(o.customer_name, trim(COALESCE(c.first_name, '') || ' ' || COALESCE(c.last_name, ''))) AS customerName,
              o.total_minor AS orderTotal, MAX(r.prev, COALESCE(c.total_orders - 1, 0)) AS previousOrders, b.paused,
              (SELECT group_concat(step_id, ',') FROM step_firings f WHERE f.backorder_id = b.id) AS recorded
         FROM backorders b JOIN line_items li ON li.id = b.line_item_id JOIN orders o ON o.id = b.order_id
         JOIN ranked r ON r.id = o.id LEFT JOIN customers c ON c.id = o.customer_id
        ${includeClosed ? '' : 'WHERE b.closed_at IS NULL'}
        ORDER BY o.created_at, o.name, li.position`,
    )
    .all() as BackorderDbRow[];
  const consent = consentStates(db, settings, now);
  const pending = pendingMessages(db, flow);
  return rows.map((r) => {
    const recorded = new Set(r.recorded ? r.recorded.split(',') : []);
    return {
      backorderId: r.backorderId,
      orderId: r.orderId,
      orderName: r.orderName,
      lineItemId: r.lineItemId,
      lineItemName: r.lineItemName,
      sku: r.sku,
      quantityOrdered: r.quantityOrdered,
      quantityBackordered: r.quantityBackordered,
      orderedAt: r.orderedAt,
      openedAt: r.openedAt,
      customerEmail: r.customerEmail,
      customerName: r.customerName || null,
      daysWaiting: calendarDaysBetween(r.orderedAt, now, settings.timezone),
      segments: segmentsOf({ previousOrders: r.previousOrders, orderValueMinor: r.orderTotal }, settings),
      nextStep: nextTimelineStep(flow, { openedAt: r.openedAt, closedAt: r.closedAt, recorded }),
      pendingMessage: pending.get(r.backorderId) ?? null,
      paused: r.paused === 1,
      ftcConsent: consent.get(r.backorderId) ?? null,
    };
  });
}

type PendingMessage = NonNullable<BackorderRow['pendingMessage']>;

/**
 * The oldest not-yet-sent message (draft, approved, or failed and waiting for a retry) per backorder.
 * One pass over the few unsent rows instead of a lookup per backorder: `messages` has no index by
 * backorder, and the list may hold tens of thousands of backorders.
 */
function pendingMessages(db: Db, flow: SequenceFlow): Map<number, PendingMessage> {
  const labels = stepLabels(flow);
  const rows = db
    .prepare(
      `SELECT backorder_id AS backorderId, step_id AS stepId, status FROM messages
        WHERE backorder_id IS NOT NULL AND status IN ('draft','approved','failed') ORDER BY created_at, id`,
    )
    .all() as { backorderId: number; stepId: string; status: PendingMessage['status'] }[];
  const out = new Map<number, PendingMessage>();
  for (const r of rows) {
    if (out.has(r.backorderId)) continue;
    out.set(r.backorderId, { stepId: r.stepId, label: labels.get(r.stepId) ?? OTHER_STEP_LABELS[r.stepId] ?? r.stepId, status: r.status });
  }
  return out;
}

interface MessageDbRow {
  id: number;
  backorderId: number | null;
  orderName: string;
  customerName: string | null;
  stepId: string;
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  body: string;
  facts: string;
  status: MessageStatus;
  producedBy: string;
  messageId: string;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  lastError: string | null;
  attempts: number;
}

const MESSAGE_SELECT = `SELECT m.id, m.backorder_id AS backorderId, o.name AS orderName, o.customer_name AS customerName, m.step_id AS stepId,
        m.channel, m.to_address AS "to", m.subject, m.body, m.facts, m.status, m.produced_by AS producedBy,
        m.message_id AS messageId, m.created_at AS createdAt, m.updated_at AS updatedAt, m.sent_at AS sentAt,
        m.last_error AS lastError, m.attempts
   FROM messages m JOIN orders o ON o.id = m.order_id`;

/** Whether drafts must be held back because the store has no name yet (setting `storeName` is ""). */
function storeNameMissing(db: Db): boolean {
  return loadSettings(db).storeName === '';
}

/**
 * Labels of the steps that write messages outside the sequence flow (its own steps carry their
 * label in the flow): without one the card would show the raw id, "#3267 · reply_answer".
 */
const OTHER_STEP_LABELS: Readonly<Record<string, string>> = {
  reply_answer: "Answer to the customer's reply",
};

function toMessageRow(r: MessageDbRow, labels: Map<string, string>, nameMissing: boolean): MessageRow {
  const facts = draftFactsSchema.safeParse(JSON.parse(r.facts));
  const violations =
    r.status === 'draft' || r.status === 'approved' || r.status === 'failed'
      ? facts.success
        ? validateDraft({ channel: r.channel, subject: r.subject, text: r.body, facts: facts.data, storeNameMissing: nameMissing })
        : [{ rule: 'facts', detail: 'The facts this draft was written from could not be read.' }]
      : [];
  const { facts: _facts, ...rest } = r;
  return { ...rest, stepLabel: labels.get(r.stepId) ?? OTHER_STEP_LABELS[r.stepId] ?? r.stepId, violations };
}

/** Messages of the outbox, newest first, optionally filtered by status. Drafts carry validator findings. */
export function listMessages(db: Db, flow: SequenceFlow, statuses?: readonly MessageStatus[]): MessageRow[] {
  const labels = stepLabels(flow);
  const where = statuses?.length ? `WHERE m.status IN (${statuses.map(() => '?').join(',')})` : '';
  const rows = db.prepare(`${MESSAGE_SELECT} ${where} ORDER BY m.id`).all(...(statuses ?? [])) as MessageDbRow[];
  const nameMissing = storeNameMissing(db);
  return rows.map((r) => toMessageRow(r, labels, nameMissing));
}

/** One message by id, or undefined. */
export function getMessage(db: Db, flow: SequenceFlow, id: number): MessageRow | undefined {
  const r = db.prepare(`${MESSAGE_SELECT} WHERE m.id = ?`).get(id) as MessageDbRow | undefined;
  return r && toMessageRow(r, stepLabels(flow), storeNameMissing(db));
}

/** Escalation tasks, newest first. */
export function listTasks(db: Db, status?: 'open' | 'resolved'): TaskRow[] {
  return db
    .prepare(
      `SELECT t.id, t.backorder_id AS backorderId, o.name AS orderName, t.kind, t.reason, t.recommended_action AS recommendedAction,
              t.status, t.created_at AS createdAt, t.resolved_at AS resolvedAt
         FROM tasks t LEFT JOIN orders o ON o.id = t.order_id
        ${status ? 'WHERE t.status = ?' : ''} ORDER BY t.id DESC`,
    )
    .all(...(status ? [status] : [])) as TaskRow[];
}

/** Counts for the status bar and the tray. */
export function statusCounts(db: Db): Record<'openBackorders' | 'drafts' | 'approved' | 'failed' | 'unknown' | 'sent' | 'openTasks', number> {
  const m = new Map(
    (db.prepare('SELECT status, count(*) AS n FROM messages GROUP BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
  );
  return {
    openBackorders: db.prepare('SELECT count(*) FROM backorders WHERE closed_at IS NULL').pluck().get() as number,
    drafts: m.get('draft') ?? 0,
    approved: m.get('approved') ?? 0,
    failed: m.get('failed') ?? 0,
    unknown: m.get('unknown') ?? 0,
    sent: m.get('sent') ?? 0,
    openTasks: db.prepare("SELECT count(*) FROM tasks WHERE status = 'open'").pluck().get() as number,
  };
}
