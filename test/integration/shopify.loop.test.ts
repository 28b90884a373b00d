import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../src/shared/shopify';
import { createCore, type Core } from '../../src/main/app/core';
import { EncryptedFileSecretStore } from '../../src/main/shopify/secrets';
import { generateStore } from '../helpers/fake-shopify';
import { startFake, tmpDb } from '../helpers/shopify-sync';
import { startSmtpServer } from '../helpers/smtp-server';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const KEY = 'a'.repeat(64);

async function value<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('live loop through the core: connect, sync, backorders, restock, fulfilment with tracking, write-back', () => {
  it('runs the whole loop against the fake Admin API', async () => {
    const data = generateStore({ orders: 30, variants: 9, customers: 10, seed: 5 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const smtp = await startSmtpServer();
    cleanup.push(() => smtp.close());
    const { db, file } = tmpDb('loop.db');
    db.close();
    const secretsFile = path.join(path.dirname(file), 'shopify-secrets.json');
    const core: Core = createCore({
      dbPath: file,
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' },
      settings: { storeName: 'Test Shop', fromAddress: 'Test Shop <hello@example.com>' },
      shopify: { secrets: new EncryptedFileSecretStore(secretsFile, [{ name: 'test key', load: () => Buffer.from(KEY, 'hex') }]), client: { retry: { baseMs: 5, capMs: 20 } }, pollMs: 5 },
    });
    cleanup.push(() => core.close());
    const progress: SyncProgress[] = [];
    core.on('sync.progress', (p) => progress.push(p));

    // Connect with a Dev Dashboard app's client ID and secret (client credentials grant).
    const bad = await core.dispatch('shopify.connect', { shop: fake.shop, auth: { kind: 'client_credentials', clientId: 'client-id', clientSecret: 'wrong' } });
    expect(bad.ok).toBe(false);
    expect(fs.existsSync(secretsFile)).toBe(false);
    const st = await value(core.dispatch('shopify.connect', { shop: fake.shop, auth: { kind: 'client_credentials', clientId: 'client-id', clientSecret: 'client-secret' }, writeBack: { tags: true, holds: true } }));
    expect(st).toMatchObject({ connected: true, shop: fake.shop, authKind: 'client_credentials', pollMinutes: 5 });
    expect(st.scopes).toEqual(expect.arrayContaining(['read_orders', 'read_inventory', 'write_orders', 'write_merchant_managed_fulfillment_orders']));
    expect(fs.readFileSync(secretsFile, 'utf8')).not.toContain('client-secret');

    // A merchant's own hold on an open fulfillment order must survive everything the app does.
    const merchantFo = data.orders.find((o) => o.fulfillmentOrders[0]!.status === 'OPEN')!.fulfillmentOrders[0]!;
    merchantFo.holds.push({ id: 'gid://shopify/FulfillmentHold/1', reason: 'OTHER', handle: null, heldByApp: false });

    await value(core.dispatch('shopify.syncNow', {}));
    expect(progress.some((p) => p.phase === 'bulk')).toBe(true);
    expect(progress.at(-1)?.phase).toBe('done');
    const status = await value(core.dispatch('shopify.status', {}));
    expect(status.lastSuccessAt).not.toBeNull();
    expect(status.lastError).toBeNull();

    const open = await value(core.dispatch('backorders.list', {}));
    expect(open.length).toBeGreaterThan(0);
    const openOrders = new Set(open.map((b) => b.orderName));
    // Write-back: tagged and held, exactly the backordered orders.
    for (const o of data.orders) {
      expect(o.tags.includes('backordered')).toBe(openOrders.has(o.name));
      const ours = o.fulfillmentOrders[0]!.holds.filter((h) => h.handle === 'backorder-desk');
      expect(ours.length).toBe(openOrders.has(o.name) ? 1 : 0);
    }
    // Idempotent: another sync places nothing twice.
    await value(core.dispatch('shopify.syncNow', {}));
    expect(data.orders.flatMap((o) => o.fulfillmentOrders[0]!.holds.filter((h) => h.handle === 'backorder-desk'))).toHaveLength(
      data.orders.filter((o) => openOrders.has(o.name)).length,
    );

    // The owner sends the first notices: restock and shipping messages go only to customers told.
    const notices = (await value(core.dispatch('drafts.list', { status: ['draft'] }))).map((m) => m.id);
    expect(notices.length).toBeGreaterThan(0);
    await value(core.dispatch('drafts.approve', { ids: notices }));
    expect((await value(core.dispatch('outbox.send', {}))).sent).toBe(notices.length);

    // Restock: inventory rises in Shopify.
    const later = new Date(Date.now() + 2000).toISOString();
    for (const v of data.variants) {
      v.levels[0]!.onHand += 100;
      v.levels[0]!.available += 100;
      v.levels[0]!.updatedAt = later;
    }
    await value(core.dispatch('shopify.syncNow', {}));
    expect(await value(core.dispatch('backorders.list', {}))).toHaveLength(0);
    // Our holds released, the merchant's kept.
    expect(data.orders.flatMap((o) => o.fulfillmentOrders[0]!.holds.filter((h) => h.handle === 'backorder-desk'))).toHaveLength(0);
    expect(merchantFo.holds.map((h) => h.id)).toEqual(['gid://shopify/FulfillmentHold/1']);
    const restockDrafts = (await value(core.dispatch('drafts.list', {}))).filter((m) => /restock/.test(m.stepId));
    expect(restockDrafts.length).toBeGreaterThan(0);

    // Fulfilment with tracking → shipping confirmation drafted at the next sync, tag removed.
    const shipped = data.orders.find((o) => o.name === [...openOrders][0])!;
    shipped.lines.forEach((l) => (l.unfulfilledQuantity = 0));
    shipped.fulfillmentStatus = 'FULFILLED';
    shipped.fulfillmentOrders[0]!.status = 'CLOSED';
    shipped.fulfillments.push({ id: 'gid://shopify/Fulfillment/4242', status: 'SUCCESS', createdAt: later, tracking: [{ number: '1Z999AA10123456784', company: 'UPS', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' }] });
    shipped.updatedAt = new Date(Date.now() + 3000).toISOString();
    await value(core.dispatch('shopify.syncNow', {}));
    const confirmations = (await value(core.dispatch('drafts.list', {}))).filter((m) => m.orderName === shipped.name && /ship/i.test(m.stepId));
    expect(confirmations.length).toBeGreaterThan(0);
    expect(confirmations[0]!.body).toContain('1Z999AA10123456784');
    expect(shipped.tags).not.toContain('backordered');

    // Disconnect deletes the credentials.
    const off = await value(core.dispatch('shopify.disconnect', {}));
    expect(off.connected).toBe(false);
    expect(fs.existsSync(secretsFile)).toBe(false);
    expect((await core.dispatch('shopify.syncNow', {})).ok).toBe(false);
  });

  it('refuses to store credentials when no OS-protected key exists, and stores nothing', async () => {
    const data = generateStore({ orders: 1, variants: 1, customers: 1 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const { db, file } = tmpDb('nokey.db');
    db.close();
    const secretsFile = path.join(path.dirname(file), 'shopify-secrets.json');
    const core = createCore({ dbPath: file, shopify: { secrets: new EncryptedFileSecretStore(secretsFile, [{ name: 'none', load: () => null }]) } });
    cleanup.push(() => core.close());
    const r = await core.dispatch('shopify.connect', { shop: fake.shop, auth: { kind: 'token', accessToken: 'shpat_test_token' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/No operating-system-protected key/);
    expect(fs.existsSync(secretsFile)).toBe(false);
    expect((await value(core.dispatch('shopify.status', {}))).connected).toBe(false);
  });
});
