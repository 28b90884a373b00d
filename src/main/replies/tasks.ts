/**
 * Read side of escalation tasks: the list with filters (kind, status; most urgent first) and the
 * full context of one task — order, customer, items, every message sent and received with its
 * triage, the ETA and its sources, the rule that fired, the recommended action, a prepared draft
 * and the confirmed actions it offers.
 */
import type { TaskDetail, TaskHistoryEntry, TaskRow } from '../../shared/domain';
import { segmentsOf } from '../../core/segments';
import type { Settings } from '../../shared/contract';
import type { Db } from '../store/db';
import { CANCEL_TASKS, CONSENT_TASKS } from './actions';
import { consentView } from '../app/ftc-consent';

export interface TaskFilter {
  status?: 'open' | 'resolved';
  kinds?: readonly string[];
}

const TASK_SELECT = `SELECT t.id, t.backorder_id AS backorderId, o.name AS orderName, t.kind, t.reason, t.recommended_action AS recommendedAction,
       t.status, t.created_at AS createdAt, t.resolved_at AS resolvedAt, t.priority, o.customer_name AS customerName
  FROM tasks t LEFT JOIN orders o ON o.id = t.order_id`;

/** Tasks, open ones first, then by priority (callback first) and newest first. */
export function listTasksFiltered(db: Db, f: TaskFilter = {}): TaskRow[] {
  const where: string[] = [];
  const args: string[] = [];
  if (f.status) {
    where.push('t.status = ?');
    args.push(f.status);
  }
  if (f.kinds?.length) {
    where.push(`t.kind IN (${f.kinds.map(() => '?').join(',')})`);
    args.push(...f.kinds);
  }
  return db
    .prepare(`${TASK_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.status = 'resolved', t.priority DESC, t.id DESC`)
    .all(...args) as TaskRow[];
}

function parseJson(s: string | null | undefined): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(s ?? '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Whether a table exists (the ETA and inbound-mail tables come from other migrations). */
function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * The full context of a task, or null when there is none with this id. `now` (ISO 8601) dates the
 * FTC consent round's state (awaiting or overdue, in the store's time zone).
 */
export function getTaskDetail(db: Db, settings: Settings, id: number, now: string = new Date().toISOString()): TaskDetail | null {
  const task = db.prepare(`${TASK_SELECT} WHERE t.id = ?`).get(id) as TaskRow | undefined;
  if (!task) return null;
  const raw = db.prepare('SELECT order_id AS orderId, context, backorder_id AS b FROM tasks WHERE id = ?').get(id) as { orderId: string | null; context: string; b: number | null };
  const context = parseJson(raw.context);
  const order = raw.orderId
    ? (db
        .prepare(
          `SELECT o.id, o.name, o.created_at AS createdAt, o.total_minor AS totalMinor, o.currency, o.financial_status AS financialStatus,
                  o.cancelled_at AS cancelledAt, COALESCE(o.customer_name, trim(COALESCE(c.first_name,'') || ' ' || COALESCE(c.last_name,''))) AS customerName,
                  COALESCE(o.email, c.email) AS email, COALESCE(o.phone, c.phone) AS phone, COALESCE(c.total_orders - 1, 0) AS previousOrders
             FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE o.id = ?`,
        )
        .get(raw.orderId) as
        | { id: string; name: string; createdAt: string; totalMinor: number; currency: string; financialStatus: string | null; cancelledAt: string | null; customerName: string | null; email: string | null; phone: string | null; previousOrders: number }
        | undefined)
    : undefined;

  const items = order
    ? (db
        .prepare(
          `SELECT li.name, li.sku, li.quantity, (SELECT b.quantity_backordered FROM backorders b WHERE b.line_item_id = li.id ORDER BY b.closed_at IS NULL DESC, b.id DESC LIMIT 1) AS quantityBackordered
             FROM line_items li WHERE li.order_id = ? ORDER BY li.position`,
        )
        .all(order.id) as TaskDetail['items'])
    : [];

  const history: TaskHistoryEntry[] = [];
  if (order) {
    for (const m of db
      .prepare("SELECT COALESCE(sent_at, created_at) AS at, subject, body, status FROM messages WHERE order_id = ? AND status <> 'discarded' ORDER BY id")
      .all(order.id) as { at: string; subject: string; body: string; status: TaskHistoryEntry['status'] }[]) {
      history.push({ direction: 'out', at: m.at, subject: m.subject, body: m.body, status: m.status, from: null, notOrderEmail: false, sentiment: null, intents: [] });
    }
    if (hasTable(db, 'inbound_mail')) {
      for (const m of db
        .prepare(
          `SELECT COALESCE(i.sent_at, i.received_at) AS at, i.subject, i.text, i.from_address AS fromAddress, r.triage FROM inbound_mail i
             LEFT JOIN reply_triage r ON r.mail_id = i.id WHERE i.order_id = ? AND i.kind = 'customer_reply' ORDER BY i.id`,
        )
        .all(order.id) as { at: string; subject: string; text: string; fromAddress: string; triage: string | null }[]) {
        const t = parseJson(m.triage);
        const intents = Array.isArray(t.intents) ? t.intents.map((i) => str((i as { kind?: unknown }).kind) ?? '').filter(Boolean) : [];
        const notOrderEmail = m.fromAddress.toLowerCase() !== (order.email ?? '').trim().toLowerCase();
        history.push({ direction: 'in', at: m.at, subject: m.subject, body: m.text, status: null, from: m.fromAddress, notOrderEmail, sentiment: (str(t.sentiment) as TaskHistoryEntry['sentiment']) ?? null, intents });
      }
    }
    history.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  // The triage of the reply that opened the task, else the latest reply about the order.
  const triageRow = (context.mailId !== undefined
    ? db.prepare('SELECT triage FROM reply_triage WHERE mail_id = ?').get(context.mailId)
    : order
      ? db.prepare('SELECT triage FROM reply_triage WHERE order_id = ? ORDER BY id DESC LIMIT 1').get(order.id)
      : undefined) as { triage: string } | undefined;
  const tj = triageRow ? parseJson(triageRow.triage) : null;

  let eta: TaskDetail['eta'] = null;
  if (raw.b !== null && hasTable(db, 'backorder_eta')) {
    const e = db.prepare('SELECT start_date AS start, end_date AS end, method, quote_id AS quoteId FROM backorder_eta WHERE backorder_id = ?').get(raw.b) as
      | { start: string | null; end: string | null; method: string; quoteId: number | null }
      | undefined;
    if (e) {
      const sources = e.quoteId !== null && hasTable(db, 'eta_quotes')
        ? (db.prepare('SELECT source, source_ref AS ref, quoted_at AS quotedAt, sentence FROM eta_quotes WHERE id = ?').all(e.quoteId) as { source: string; ref: string; quotedAt: string; sentence: string }[])
        : [];
      eta = { start: e.start, end: e.end, method: e.method, sources };
    }
  }

  const doneOf = (action: string): TaskDetail['actions'][number]['done'] => {
    const d = db.prepare('SELECT outcome, at, detail FROM task_actions WHERE task_id = ? AND action = ?').get(id, action) as
      | { outcome: 'done' | 'recorded' | 'failed'; at: string; detail: string }
      | undefined;
    return d ? { outcome: d.outcome, at: d.at, detail: str(parseJson(d.detail).detail) ?? '' } : null;
  };
  const ftc = raw.b !== null ? consentView(db, settings, raw.b, now) : null;
  const draft = context.draft as { subject?: unknown; body?: unknown } | undefined;
  return {
    task,
    order: order ? { id: order.id, name: order.name, createdAt: order.createdAt, total: { amountMinor: order.totalMinor, currency: order.currency }, financialStatus: order.financialStatus, cancelledAt: order.cancelledAt } : null,
    customer: {
      name: order?.customerName || null,
      email: order?.email ?? null,
      phone: order?.phone ?? null,
      segments: order ? segmentsOf({ previousOrders: order.previousOrders, orderValueMinor: order.totalMinor }, settings) : [],
    },
    items,
    history,
    sentiment: tj ? { sentiment: str(tj.sentiment) ?? 'neutral', confidence: typeof tj.confidence === 'number' ? tj.confidence : 0, reasons: Array.isArray(tj.reasons) ? tj.reasons.map(String) : [], text: str(tj.text) ?? '' } : null,
    eta,
    rule: { stepId: str(context.stepId), kind: task.kind, reason: task.reason },
    recommendedAction: task.recommendedAction,
    draft: draft && typeof draft.subject === 'string' && typeof draft.body === 'string' ? { subject: draft.subject, body: draft.body } : null,
    phone: str(context.phone) ?? order?.phone ?? null,
    actions: [
      ...(CANCEL_TASKS.includes(task.kind) ? [{ id: 'cancel_refund' as const, label: 'Cancel and refund in full', done: doneOf('cancel_refund') }] : []),
      ...(CONSENT_TASKS.includes(task.kind) && ftc ? [{ id: 'record_consent' as const, label: 'Record consent to wait', done: doneOf('record_consent') }] : []),
    ],
    context,
    ftc,
  };
}
