import { afterEach, describe, expect, it } from 'vitest';
import { generateStore } from '../helpers/fake-shopify';
import { coreForShopify, startFake, value } from '../helpers/shopify-sync';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('orders and variants deleted in Shopify', () => {
  it('closes their backorders with the reason recorded, keeps their history, and never reopens them', async () => {
    const data = generateStore({ orders: 30, variants: 9, customers: 10, seed: 5 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const { core } = coreForShopify('deleted.db');
    cleanup.push(() => core.close());
    const db = core.db;
    await value(core.dispatch('shopify.connect', { shop: fake.shop, auth: { kind: 'token', accessToken: 'shpat_test_token' }, writeBack: { tags: true } }));
    await value(core.dispatch('shopify.syncNow', {}));
    const open = await value(core.dispatch('backorders.list', {}));
    const byOrder = new Map<string, number>();
    for (const b of open) byOrder.set(b.orderName, (byOrder.get(b.orderName) ?? 0) + 1);
    expect(byOrder.size).toBeGreaterThan(2);

    // An order deleted in the Shopify admin; its row simply disappears from the Admin API.
    const deletedOrder = data.orders.find((o) => byOrder.has(o.name))!;
    data.orders = data.orders.filter((o) => o !== deletedOrder);
    fake.data = data;
    // A variant deleted with its product: the lines keep their rows but lose the variant, and the
    // orders' updatedAt does not move, so the incremental sync alone would never notice.
    const variantId = db
      .prepare('SELECT b.variant_id FROM backorders b JOIN orders o ON o.id = b.order_id WHERE b.closed_at IS NULL AND o.id <> ? LIMIT 1')
      .pluck()
      .get(deletedOrder.id) as string;
    data.variants = data.variants.filter((v) => v.id !== variantId);
    for (const o of data.orders) for (const l of o.lines) if (l.variantId === variantId) l.variantId = null;
    const ofVariant = db.prepare('SELECT id FROM backorders WHERE closed_at IS NULL AND variant_id = ? AND order_id <> ?').pluck().all(variantId, deletedOrder.id) as number[];
    expect(ofVariant.length).toBeGreaterThan(0);
    const messagesBefore = db.prepare('SELECT count(*) FROM messages').pluck().get() as number;

    const summary = await value(core.dispatch('shopify.syncNow', {}));
    expect(summary.deleted).toMatchObject({ orders: 1, variants: 1 });
    const rows = db
      .prepare("SELECT b.id, b.close_reason, b.closed_at, e.data FROM backorders b JOIN backorder_events e ON e.backorder_id = b.id AND e.kind = 'deleted_in_shopify' ORDER BY b.id")
      .all() as { id: number; close_reason: string; closed_at: string | null; data: string }[];
    const orderRows = rows.filter((r) => JSON.parse(r.data).subject === 'order');
    expect(orderRows).toHaveLength(byOrder.get(deletedOrder.name)!);
    for (const r of rows) expect(r).toMatchObject({ close_reason: 'removed', closed_at: expect.any(String) });
    expect(rows.filter((r) => JSON.parse(r.data).subject === 'variant').map((r) => r.id)).toEqual(expect.arrayContaining(ofVariant));
    expect(db.prepare('SELECT deleted_at IS NOT NULL FROM orders WHERE id = ?').pluck().get(deletedOrder.id)).toBe(1);

    // History stays: the order row, its messages (unsent drafts discarded, not deleted).
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(messagesBefore);
    expect(db.prepare("SELECT count(*) FROM messages WHERE order_id = ? AND status NOT IN ('discarded', 'sent')").pluck().get(deletedOrder.id)).toBe(0);
    const list = await value(core.dispatch('backorders.list', {}));
    expect(list.some((b) => b.orderName === deletedOrder.name)).toBe(false);
    expect(list.some((b) => ofVariant.includes(b.backorderId))).toBe(false);

    // Later syncs and ticks neither reopen them nor ask about them again.
    const asked = fake.log.filter((l) => l.op === 'BackorderDeskNodes').flatMap((l) => l.variables.ids as string[]);
    expect(asked).toContain(deletedOrder.id);
    fake.log.length = 0;
    await value(core.dispatch('shopify.syncNow', {}));
    await value(core.dispatch('scheduler.tick', {}));
    const askedAgain = fake.log.filter((l) => l.op === 'BackorderDeskNodes').flatMap((l) => l.variables.ids as string[]);
    expect(askedAgain).not.toContain(deletedOrder.id);
    expect(askedAgain).not.toContain(variantId);
    expect(db.prepare('SELECT count(*) FROM backorders WHERE closed_at IS NULL AND (order_id = ? OR variant_id = ?)').pluck().get(deletedOrder.id, variantId)).toBe(0);
    // The write-back did not try to untag an order that no longer exists.
    expect(fake.log.filter((l) => l.op === 'BackorderDeskTagsRemove' && l.variables.id === deletedOrder.id)).toHaveLength(0);
    expect((await value(core.dispatch('shopify.status', {}))).lastError).toBeNull();
  });
});
