import { afterEach, describe, expect, it } from 'vitest';
import { formatEtaRange } from '../../src/core/drafts/dates';
import { ETA_METAFIELD } from '../../src/main/shopify/writeback';
import { generateStore } from '../helpers/fake-shopify';
import { coreForShopify, startFake, value } from '../helpers/shopify-sync';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const KEY = `${ETA_METAFIELD.namespace}.${ETA_METAFIELD.key}`;

describe('write-back of the ETA range metafield from the ETA store', () => {
  it('writes the current range, rewrites it only when it changes, and removes it when the order ships', async () => {
    const data = generateStore({ orders: 12, variants: 6, customers: 4, seed: 3 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const { core } = coreForShopify('eta.db');
    cleanup.push(() => core.close());
    await value(core.dispatch('shopify.connect', { shop: fake.shop, auth: { kind: 'token', accessToken: 'shpat_test_token' }, writeBack: { etaMetafield: true } }));
    await value(core.dispatch('shopify.syncNow', {}));

    const open = await value(core.dispatch('backorders.list', {}));
    expect(open.length).toBeGreaterThan(0);
    // No range known yet for any backorder: nothing is written.
    expect(data.orders.filter((o) => KEY in o.metafields)).toEqual([]);

    // A supplier quote for every backordered variant gives each backorder a range.
    const db = core.db;
    const variants = [...new Set(db.prepare('SELECT variant_id FROM backorders WHERE closed_at IS NULL').pluck().all() as string[])];
    await value(core.dispatch('suppliers.update', { name: 'Acme', variantIds: variants }));
    for (const v of variants) await value(core.dispatch('eta.addQuote', { supplier: 'Acme', variantId: v, start: '2026-12-10', end: '2026-12-18' }));
    await value(core.dispatch('shopify.syncNow', {}));
    const rangeOf = (orderId: string): string => {
      const r = db
        .prepare('SELECT min(e.start_date) AS s, max(e.end_date) AS e FROM backorders b JOIN backorder_eta e ON e.backorder_id = b.id WHERE b.order_id = ? AND b.closed_at IS NULL')
        .get(orderId) as { s: string; e: string };
      return formatEtaRange(r.s, r.e);
    };
    const backordered = data.orders.filter((o) => open.some((b) => b.orderName === o.name));
    for (const o of data.orders) {
      if (backordered.includes(o)) expect(o.metafields[KEY]).toBe(rangeOf(o.id));
      else expect(o.metafields[KEY]).toBeUndefined();
    }
    expect(backordered[0]!.metafields[KEY]).toMatch(/^between \w{3} \d+ and \w{3} \d+$/);

    // Idempotent: an unchanged range is not written again.
    const sets = fake.ops('BackorderDeskMetafieldsSet');
    await value(core.dispatch('shopify.syncNow', {}));
    expect(fake.ops('BackorderDeskMetafieldsSet')).toBe(sets);

    // The supplier moves the date: the new range replaces the old one.
    const before = backordered[0]!.metafields[KEY];
    for (const v of variants) await value(core.dispatch('eta.addQuote', { supplier: 'Acme', variantId: v, start: '2027-01-20', end: '2027-01-29' }));
    await value(core.dispatch('shopify.syncNow', {}));
    expect(backordered[0]!.metafields[KEY]).not.toBe(before);
    expect(backordered[0]!.metafields[KEY]).toBe(rangeOf(backordered[0]!.id));

    // The order ships: the range is removed from it, and only from it.
    const shipped = backordered[0]!;
    shipped.lines.forEach((l) => (l.unfulfilledQuantity = 0));
    shipped.fulfillmentStatus = 'FULFILLED';
    shipped.fulfillmentOrders[0]!.status = 'CLOSED';
    shipped.fulfillments.push({ id: 'gid://shopify/Fulfillment/5151', status: 'SUCCESS', createdAt: new Date().toISOString(), tracking: [] });
    shipped.updatedAt = new Date(Date.now() + 2000).toISOString();
    await value(core.dispatch('shopify.syncNow', {}));
    expect(shipped.metafields[KEY]).toBeUndefined();
    for (const o of backordered.slice(1)) expect(o.metafields[KEY]).toBe(rangeOf(o.id));
    expect(db.prepare("SELECT count(*) FROM shopify_writeback WHERE kind = 'eta_metafield' AND target_id = ?").pluck().get(shipped.id)).toBe(0);
    expect((await value(core.dispatch('shopify.status', {}))).lastError).toBeNull();
  });
});
