/**
 * Confirmed task actions. Today one: "cancel and refund in full" for cancellation tasks (a cancel
 * request, the day-14 offer taken, the FTC Mail Order Rule's no-consent cancellation,
 * 16 CFR 435.2(c)). The store side sits behind `OrderActions`: the Shopify connection implements it
 * with the Admin API's order cancel (refund in full, restock); a CSV store cannot be changed from
 * here, so `recordedOrderActions` records what the owner must do in the Shopify admin.
 *
 * Every action is written to `task_actions` first (one row per task and action: a double click or
 * a retry cannot cancel twice), then the backorders of the order are closed as cancelled (the
 * sequence stops) and the task is resolved.
 */
import { AppError } from '../../shared/result';
import type { Db } from '../store/db';
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
