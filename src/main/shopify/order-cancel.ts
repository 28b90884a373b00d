/**
 * "Cancel and refund in full" carried out in Shopify (Admin GraphQL API 2026-04 `orderCancel`,
 * scope write_orders): reason CUSTOMER, full refund to the original payment methods
 * (`refundMethod.originalPaymentMethodsRefund`), items restocked, Shopify's cancellation email per
 * the owner's option, and a staff note saying where it came from.
 *
 * Shopify cancels in a background job: the job is polled (`job(id:)`) a few times; when it is still
 * running the action is reported as started, and the next sync shows the order cancelled.
 *
 * Idempotent: the order's state is read first, and an order already cancelled is not cancelled
 * again. When the answer to orderCancel is unclear — a userError, or the client retried a request
 * whose first attempt may have gone through — the order is read again, and an order that is
 * cancelled counts as done. Any other userError is thrown with Shopify's own words for the owner.
 */
import { AppError } from '../../shared/result';
import type { ShopifyClient } from './client';
import { JOB_QUERY, ORDER_CANCEL, ORDER_STATE } from './queries';
import { jobReply, orderCancelReply, orderStateReply } from './schemas';

export interface CancelOptions {
  notifyCustomer: boolean;
  /** Polls of the cancel job before reporting it as started (default 10), `pollMs` apart (default 500). */
  jobPolls?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function cancelledAt(client: ShopifyClient, id: string): Promise<string | null> {
  const r = await client.request('BackorderDeskOrderState', ORDER_STATE, { id }, orderStateReply, 2);
  if (!r.order) throw new AppError('NOT_FOUND', `Shopify has no order ${id} any more; nothing was cancelled.`);
  return r.order.cancelledAt;
}

/**
 * Cancels order `id` (a Shopify Order GID) with a full refund and restock.
 * @param name the order's name ("#1001"), for messages
 * @returns a sentence for the task's record of what Shopify did
 * @throws AppError('NOT_FOUND') when Shopify has no such order; AppError('UNAVAILABLE') with
 *   Shopify's userErrors when it refuses (e.g. a pending payment or an open return); client errors
 *   on network trouble beyond retries.
 */
export async function cancelInShopify(client: ShopifyClient, id: string, name: string, opts: CancelOptions): Promise<string> {
  const sleep = opts.sleep ?? defaultSleep;
  if (await cancelledAt(client, id)) return `${name} was already cancelled in Shopify; nothing was done again.`;
  const r = await client.request(
    'BackorderDeskOrderCancel',
    ORDER_CANCEL,
    {
      orderId: id,
      notifyCustomer: opts.notifyCustomer,
      refundMethod: { originalPaymentMethodsRefund: true },
      restock: true,
      reason: 'CUSTOMER',
      staffNote: 'Cancelled with a full refund at the customer’s request (Backorder Desk task).',
    },
    orderCancelReply,
    10,
  );
  const p = r.orderCancel;
  const notified = opts.notifyCustomer ? 'Shopify emails the customer' : 'no email from Shopify';
  const what = `${name} cancelled in Shopify: refunded in full to the original payment method(s), items restocked, ${notified}.`;
  if (p.orderCancelUserErrors.length || !p.job) {
    // An earlier attempt of this same call may have gone through (its job still running): the
    // order's state decides, given the time a job takes.
    for (let i = 0; i < 3; i++) {
      if (await cancelledAt(client, id)) return what;
      await sleep(opts.pollMs ?? 500);
    }
    const why = p.orderCancelUserErrors.map((e) => e.message).join('; ') || 'no job was started';
    throw new AppError('UNAVAILABLE', `Shopify did not cancel ${name}: ${why}`);
  }
  let job = p.job;
  for (let i = 0; !job.done && i < (opts.jobPolls ?? 10); i++) {
    await sleep(opts.pollMs ?? 500);
    job = (await client.request('BackorderDeskJob', JOB_QUERY, { id: job.id }, jobReply, 2)).job ?? { ...job, done: true };
  }
  if (!job.done) return `${name}: Shopify is cancelling it (job ${job.id}): full refund to the original payment method(s), items restocked, ${notified}. The next sync shows it cancelled.`;
  if (!(await cancelledAt(client, id))) throw new AppError('UNAVAILABLE', `Shopify finished its cancel job for ${name}, but the order is not cancelled; check it in the Shopify admin.`);
  return what;
}
