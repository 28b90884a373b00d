import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/app/core';
import { generateStore } from '../helpers/fake-shopify';
import { coreForShopify, startFake, value } from '../helpers/shopify-sync';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** A cancellation task as reply triage opens it for a customer who asked to cancel. */
function cancelTask(core: Core, orderId: string, key: string): number {
  const b = core.db.prepare('SELECT id FROM backorders WHERE order_id = ? ORDER BY id LIMIT 1').pluck().get(orderId) as number | undefined;
  return Number(
    core.db
      .prepare(
        `INSERT INTO tasks (backorder_id, order_id, kind, reason, recommended_action, dedupe_key, created_at)
         VALUES (?, ?, 'cancel_requested', 'The customer asked to cancel.', 'Cancel and refund in full.', ?, ?)`,
      )
      .run(b ?? null, orderId, key, new Date().toISOString()).lastInsertRowid,
  );
}

describe('"cancel and refund in full" through Shopify orderCancel', () => {
  it('cancels once with a full refund and restock, surfaces Shopify refusals, and records it when the option is off', async () => {
    const data = generateStore({ orders: 20, variants: 9, customers: 6, seed: 8 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const { core } = coreForShopify('cancel.db');
    cleanup.push(() => core.close());
    const st = await value(core.dispatch('shopify.connect', { shop: fake.shop, auth: { kind: 'token', accessToken: 'shpat_test_token' } }));
    // write_orders only when an option needs it.
    expect(st.scopes).not.toContain('write_orders');
    const on = await value(core.dispatch('shopify.configure', { orderActions: { cancel: true, notifyCustomer: false } }));
    expect(on.orderActions).toEqual({ cancel: true, notifyCustomer: false });
    expect(on.scopes).toContain('write_orders');
    await value(core.dispatch('shopify.syncNow', {}));

    const open = await value(core.dispatch('backorders.list', {}));
    const [first, second, third] = [...new Set(open.map((b) => b.orderName))].map((n) => data.orders.find((o) => o.name === n)!);
    expect(third).toBeDefined();

    const t1 = cancelTask(core, first!.id, 'cancel:1');
    const done = await value(core.dispatch('tasks.act', { id: t1, action: 'cancel_refund', confirm: true }));
    expect(done.outcome).toBe('done');
    expect(done.detail).toMatch(/cancelled in Shopify: refunded in full/);
    expect(fake.cancellations).toEqual([{ orderId: first!.id, notifyCustomer: false, refundToOriginal: true, restock: true, reason: 'CUSTOMER' }]);
    expect(first!.cancelledAt).not.toBeNull();
    expect(first!.financialStatus).toBe('REFUNDED');

    // Idempotent: the same task cannot act twice, and another task for the same order does not cancel again.
    expect((await core.dispatch('tasks.act', { id: t1, action: 'cancel_refund', confirm: true })).ok).toBe(false);
    const t1b = cancelTask(core, first!.id, 'cancel:1b');
    const again = await value(core.dispatch('tasks.act', { id: t1b, action: 'cancel_refund', confirm: true }));
    expect(again.detail).toMatch(/already cancelled in Shopify/);
    expect(fake.cancellations).toHaveLength(1);

    // Shopify refuses (its userErrors): the owner reads why, the task stays open, nothing is recorded as done.
    fake.refuseCancel = 'Cannot cancel an order with a pending payment authorization.';
    const t2 = cancelTask(core, second!.id, 'cancel:2');
    const refused = await core.dispatch('tasks.act', { id: t2, action: 'cancel_refund', confirm: true });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain('pending payment authorization');
    expect(core.db.prepare('SELECT status FROM tasks WHERE id = ?').pluck().get(t2)).toBe('open');
    expect(core.db.prepare('SELECT count(*) FROM task_actions WHERE task_id = ?').pluck().get(t2)).toBe(0);
    expect(second!.cancelledAt).toBeNull();
    fake.refuseCancel = null;

    // Option off: recorded for the owner, Shopify untouched.
    await value(core.dispatch('shopify.configure', { orderActions: { cancel: false } }));
    const t3 = cancelTask(core, third!.id, 'cancel:3');
    const recorded = await value(core.dispatch('tasks.act', { id: t3, action: 'cancel_refund', confirm: true }));
    expect(recorded.outcome).toBe('recorded');
    expect(third!.cancelledAt).toBeNull();
    expect(fake.cancellations).toHaveLength(1);

    // The next sync brings Shopify's cancellation and restock back: the order's backorders stay closed.
    await value(core.dispatch('shopify.syncNow', {}));
    expect(core.db.prepare('SELECT cancelled_at FROM orders WHERE id = ?').pluck().get(first!.id)).toBe(first!.cancelledAt);
    expect(core.db.prepare('SELECT count(*) FROM backorders WHERE order_id = ? AND closed_at IS NULL').pluck().get(first!.id)).toBe(0);
  });

  it('does not cancel twice when the answer to orderCancel is lost and the request is retried', async () => {
    const data = generateStore({ orders: 10, variants: 6, customers: 4, seed: 2 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const { core } = coreForShopify('cancel-lost.db');
    cleanup.push(() => core.close());
    await value(core.dispatch('shopify.connect', { shop: fake.shop, auth: { kind: 'token', accessToken: 'shpat_test_token' }, orderActions: { cancel: true } }));
    await value(core.dispatch('shopify.syncNow', {}));
    const order = data.orders.find((o) => o.fulfillmentStatus === 'UNFULFILLED')!;
    const t = cancelTask(core, order.id, 'cancel:lost');
    // Shopify carries out the first orderCancel but its answer never arrives; the client retries.
    fake.loseAnswerOf = 'BackorderDeskOrderCancel';
    const firstTry = core.dispatch('tasks.act', { id: t, action: 'cancel_refund', confirm: true });
    const r = await value(firstTry);
    expect(r.outcome).toBe('done');
    expect(fake.ops('BackorderDeskOrderCancel')).toBe(2);
    expect(fake.cancellations).toHaveLength(1);
    expect(order.cancelledAt).not.toBeNull();
  });
});
