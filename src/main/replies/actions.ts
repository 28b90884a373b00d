/**
 * Confirmed task actions. Today one: "cancel and refund in full" for cancellation tasks (a cancel
 * request, the day-14 offer taken, the FTC Mail Order Rule's no-consent cancellation,
 * 16 CFR 435.2(c)). The store side sits behind `OrderActions`: with a connected Shopify store and its
 * cancel option on, `storeOrderActions` calls the Admin API's orderCancel (refund in full, restock);
 * a CSV store cannot be changed from here, so `recordedOrderActions` records what the owner must do
 * in the Shopify admin.
 *
 * Every action is written to `task_actions` first (one row per task and action: a double click or
 * a retry cannot cancel twice), then the backorders of the order are closed as cancelled (the
 * sequence stops) and the task is resolved.
 */
import { AppError } from '../../shared/result';
import type { Db } from '../store/db';
import { consentRequestOf, recordConsentAnswer } from '../app/ftc-consent';
import { markStockChanged } from '../store/stock-changes';

/** The order as an action needs it. Money in minor units. */
export interface OrderRef {
  id: string;
  name: string;
  totalMinor: number;
  currency: string;
}

/** The store's side of task actions. */
export interface OrderActions {
  /**
   * Cancels the order with a full refund and restocks its items.
   * @returns 'done' when the store did it; 'recorded' when a person must do it in the store admin.
   * @throws on a store error (recorded as 'failed'; the task stays open).
   */
  cancelAndRefund(order: OrderRef): Promise<{ outcome: 'done' | 'recorded'; detail: string }>;
}

/** CSV store: nothing to call; the owner cancels in the Shopify admin. */
export const recordedOrderActions: OrderActions = {
  cancelAndRefund: async (o) => ({
    outcome: 'recorded',
    detail: `Cancel ${o.name} in the Shopify admin (More actions → Cancel order), refund ${(o.totalMinor / 100).toFixed(2)} ${o.currency} in full and restock the items.`,
  }),
};

/** A live store connection that may carry out an action itself (the Shopify connection). */
export interface LiveOrderStore {
  /**
   * Cancels with a full refund and restock in the store.
   * @returns what the store did, or null when this order is not the store's to change (not
   *   connected, the option is off, or a CSV-only order)
   * @throws the store's refusal, in words for the owner
   */
  cancelOrder(order: OrderRef): Promise<string | null>;
}

/**
 * The core's order actions: the live store when it takes the action (Shopify's orderCancel, see
 * src/main/shopify/order-cancel.ts), otherwise recorded for the owner as for a CSV store.
 */
export function storeOrderActions(live: LiveOrderStore): OrderActions {
  return {
    cancelAndRefund: async (o) => {
      const done = await live.cancelOrder(o);
      return done === null ? recordedOrderActions.cancelAndRefund(o) : { outcome: 'done', detail: done };
    },
  };
}

/** Task kinds that offer "cancel and refund in full". */
export const CANCEL_TASKS: readonly string[] = ['cancel_requested', 'high_value_cancellation', 'ftc_no_consent'];

/**
 * Runs "cancel and refund in full" for a task (see module doc).
 * @throws AppError NOT_FOUND (no task), CONFLICT (task kind offers no cancellation, task resolved,
 *   or the action already ran), UNAVAILABLE (the store refused; the failure is logged).
 */
export async function cancelAndRefund(db: Db, actions: OrderActions, taskId: number, now: string): Promise<{ outcome: 'done' | 'recorded'; detail: string }> {
  const t = db
    .prepare(
      `SELECT t.kind, t.status, o.id, o.name, o.total_minor AS totalMinor, o.currency
         FROM tasks t LEFT JOIN orders o ON o.id = t.order_id WHERE t.id = ?`,
    )
    .get(taskId) as { kind: string; status: string; id: string | null; name: string; totalMinor: number; currency: string } | undefined;
  if (!t) throw new AppError('NOT_FOUND', `No task ${taskId}.`);
  if (!CANCEL_TASKS.includes(t.kind)) throw new AppError('CONFLICT', `A ${t.kind} task does not offer a cancellation.`);
  if (t.status !== 'open') throw new AppError('CONFLICT', `Task ${taskId} is already resolved.`);
  if (!t.id) throw new AppError('CONFLICT', `Task ${taskId} has no order.`);
  // Claim the action before calling the store, so two clicks cannot both cancel.
  const claim = db.prepare("INSERT INTO task_actions (task_id, action, outcome, detail, at) VALUES (?, 'cancel_refund', 'failed', '{\"pending\":true}', ?) ON CONFLICT DO NOTHING").run(taskId, now);
  if (claim.changes !== 1) throw new AppError('CONFLICT', `Cancel and refund already ran for task ${taskId}.`);
  let r: { outcome: 'done' | 'recorded'; detail: string };
  try {
    r = await actions.cancelAndRefund({ id: t.id, name: t.name, totalMinor: t.totalMinor, currency: t.currency });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A failed call may be retried: the claim is released, the failure stays in the task's context.
    db.transaction(() => {
      db.prepare("DELETE FROM task_actions WHERE task_id = ? AND action = 'cancel_refund'").run(taskId);
      db.prepare("UPDATE tasks SET context = json_set(context, '$.lastActionError', ?) WHERE id = ?").run(message, taskId);
    })();
    throw new AppError('UNAVAILABLE', `The store refused the cancellation: ${message}`);
  }
  db.transaction(() => {
    db.prepare("UPDATE task_actions SET outcome = ?, detail = ?, at = ? WHERE task_id = ? AND action = 'cancel_refund'").run(r.outcome, JSON.stringify({ detail: r.detail }), now, taskId);
    // The order counts as cancelled from now on, so detection does not reopen its backorders; a later
    // CSV import that still shows it open brings them back, which is the reminder a CSV store needs.
    db.prepare('UPDATE orders SET cancelled_at = COALESCE(cancelled_at, ?) WHERE id = ?').run(now, t.id);
    db.prepare("UPDATE backorders SET closed_at = ?, close_reason = 'cancelled', paused = 0 WHERE order_id = ? AND closed_at IS NULL").run(now, t.id);
    markStockChanged(db);
    db.prepare("UPDATE tasks SET status = 'resolved', resolved_at = ?, context = json_set(context, '$.resolutionNote', ?) WHERE id = ?").run(now, `Cancel and refund in full: ${r.outcome}`, taskId);
  }).immediate();
  return r;
}

/** Task kinds that offer "record consent to wait": the FTC consent tasks of a second delay. */
export const CONSENT_TASKS: readonly string[] = ['ftc_consent_unclear', 'ftc_no_consent'];

/**
 * "Record consent to wait" for an FTC consent task (16 CFR 435.2(b)(2)): a person read the unclear
 * reply, or the customer agreed on the phone, and confirms it. Writes the `task_actions` row first
 * (once per task), then the consent (an `ftc_consent` event, `by: 'person'`, with the reply's mail id
 * when the task came from one), resolves the task and resumes the sequence when no other task holds it.
 * @throws AppError NOT_FOUND (no task), CONFLICT (not an FTC consent task, resolved, already
 *   recorded, or the consent request was withdrawn).
 */
export function recordConsentByPerson(db: Db, taskId: number, now: string): { outcome: 'recorded'; detail: string } {
  const t = db.prepare('SELECT kind, status, backorder_id AS b, context FROM tasks WHERE id = ?').get(taskId) as
    | { kind: string; status: string; b: number | null; context: string }
    | undefined;
  if (!t) throw new AppError('NOT_FOUND', `No task ${taskId}.`);
  if (!CONSENT_TASKS.includes(t.kind)) throw new AppError('CONFLICT', `A ${t.kind} task does not record consent.`);
  if (t.status !== 'open') throw new AppError('CONFLICT', `Task ${taskId} is already resolved.`);
  const request = t.b === null ? null : consentRequestOf(db, t.b);
  if (t.b === null || !request) throw new AppError('CONFLICT', `Task ${taskId}: its backorder has no consent request (it was discarded).`);
  let mailId: number | null = null;
  try {
    const m = (JSON.parse(t.context) as { mailId?: unknown }).mailId;
    mailId = typeof m === 'number' ? m : null;
  } catch {
    // A context that does not parse names no reply; the consent is recorded without one.
  }
  const detail = 'Consent to wait recorded by a person.';
  const backorderId = t.b;
  db.transaction(() => {
    const claim = db
      .prepare("INSERT INTO task_actions (task_id, action, outcome, detail, at) VALUES (?, 'record_consent', 'recorded', ?, ?) ON CONFLICT DO NOTHING")
      .run(taskId, JSON.stringify({ detail }), now);
    if (claim.changes !== 1) throw new AppError('CONFLICT', `Consent was already recorded for task ${taskId}.`);
    if (!request.consented) recordConsentAnswer(db, backorderId, request.messageId, mailId, 'consent', now, { by: 'person', taskId });
    db.prepare("UPDATE tasks SET status = 'resolved', resolved_at = ?, context = json_set(context, '$.resolutionNote', ?) WHERE id = ?").run(now, detail, taskId);
    db.prepare("UPDATE backorders SET paused = 0 WHERE id = ? AND NOT EXISTS (SELECT 1 FROM tasks WHERE backorder_id = ? AND status = 'open')").run(backorderId, backorderId);
  }).immediate();
  return { outcome: 'recorded', detail };
}
