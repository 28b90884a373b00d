import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ShopifyClient } from '../../src/main/shopify/client';
import { ThrottlePacer } from '../../src/main/shopify/pacer';
import { SHOP_QUERY } from '../../src/main/shopify/queries';
import { shopReply } from '../../src/main/shopify/schemas';
import { syncShop } from '../../src/main/shopify/sync';
import { SHOPIFY_API_VERSION } from '../../src/main/shopify/version';
import { generateStore } from '../helpers/fake-shopify';
import { NOW, startFake, testClient, tmpDb } from '../helpers/shopify-sync';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('throttle pacer', () => {
  it('waits by the reported bucket and restore rate, never by a fixed plan rate', () => {
    let t = 0;
    const p = new ThrottlePacer(() => t);
    expect(p.waitMs(100)).toBe(0); // nothing known yet
    p.observe('q', { maximumAvailable: 1000, currentlyAvailable: 20, restoreRate: 50 }, 120);
    expect(p.expectedCost('q', 1)).toBe(120);
    expect(p.waitMs(120)).toBe(2000); // (120 − 20) / 50 per second
    t = 1000;
    expect(p.waitMs(120)).toBe(1000);
    p.observe('q', { maximumAvailable: 20_000, currentlyAvailable: 100, restoreRate: 1000 }, 120);
    expect(p.waitMs(120)).toBe(20);
  });
});

describe('Admin API client against the fake', () => {
  it('pins the API version in the request path', async () => {
    const { fake, stop } = await startFake(generateStore({ orders: 1, variants: 1, customers: 1 }), { version: SHOPIFY_API_VERSION });
    cleanup.push(stop);
    const r = await testClient(fake).request('BackorderDeskShop', SHOP_QUERY, {}, shopReply);
    expect(r.shop.currencyCode).toBe('USD');
    expect(SHOPIFY_API_VERSION).toBe('2026-04');
  });

  it('paces a sync by throttleStatus and splits pages whose cost exceeds the bucket', async () => {
    const data = generateStore({ orders: 40, variants: 30, customers: 30 });
    const { fake, stop } = await startFake(data, { bucket: { max: 300, restoreRate: 3000 } });
    cleanup.push(stop);
    const { db } = tmpDb();
    const client = testClient(fake);
    await syncShop(db, client, { now: () => NOW, pollMs: 5 });
    for (const o of data.orders) o.updatedAt = new Date(Date.now() + 2000).toISOString();
    await syncShop(db, client, { now: () => NOW, pollMs: 5 });
    const orderPages = fake.log.filter((l) => l.op === 'BackorderDeskOrders');
    // 50 orders per page cost more than the 300-point bucket: split until a page fits.
    expect(orderPages[0]!.variables['first']).toBe(50);
    expect(orderPages.filter((l) => l.variables['first'] === 50)).toHaveLength(1); // refused once (MAX_COST_EXCEEDED), then split
    const smaller = orderPages.filter((l) => (l.variables['first'] as number) < 50 && l.fault === null);
    expect(smaller.length).toBeGreaterThan(5);
    // Pacing: after the first replies taught the pacer the bucket, Shopify hardly ever had to throttle.
    const throttled = fake.log.filter((l) => l.fault === 'throttled').length;
    expect(throttled).toBeLessThanOrEqual(3);
    expect(db.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(40);
    db.close();
  });

  it('retries THROTTLED, 429 and 5xx replies, then succeeds', async () => {
    const { fake, stop } = await startFake(generateStore({ orders: 1, variants: 1, customers: 1 }), { faults: { rate: 0.999, seed: 3, kinds: ['throttled', '429', '503', '500'] } });
    cleanup.push(stop);
    const retries: string[] = [];
    const client = new ShopifyClient({ shop: fake.shop, credentials: { kind: 'token', accessToken: 'shpat_test_token' }, retry: { baseMs: 1, capMs: 5, maxAttempts: 6 }, onRetry: (r) => retries.push(r.reason) });
    const done = client.request('BackorderDeskShop', SHOP_QUERY, {}, shopReply);
    setTimeout(() => fake.setFaults(0), 30);
    await expect(done).resolves.toBeTruthy();
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.join(' ')).toMatch(/throttled|429|503|500/);
  });

  it('gives up with an error after the last attempt, and does not retry a refused token', async () => {
    const { fake, stop } = await startFake(generateStore({ orders: 1, variants: 1, customers: 1 }), { faults: { rate: 1, seed: 3, kinds: ['503'] } });
    cleanup.push(stop);
    await expect(testClient(fake, undefined, 3).request('BackorderDeskShop', SHOP_QUERY, {}, shopReply)).rejects.toThrow(/after 3 attempt\(s\): HTTP 503/);
    fake.setFaults(0);
    const before = fake.log.length;
    await expect(testClient(fake, { kind: 'token', accessToken: 'shpat_wrong' }).request('BackorderDeskShop', SHOP_QUERY, {}, shopReply)).rejects.toThrow(/refused the credentials \(HTTP 401\)/);
    expect(fake.log.length - before).toBe(0); // 401 is answered before the operation is logged
  });

  it('times out a request that never gets an answer, then retries it', async () => {
    const { fake, stop } = await startFake(generateStore({ orders: 1, variants: 1, customers: 1 }), { faults: { rate: 1, seed: 1, kinds: ['hang'] } });
    cleanup.push(stop);
    const client = testClient(fake);
    const p = client.request('BackorderDeskShop', SHOP_QUERY, {}, z.object({ shop: z.object({ name: z.string() }) }));
    setTimeout(() => fake.setFaults(0), 600);
    await expect(p).resolves.toEqual({ shop: { name: 'Test Shop' } });
    expect(fake.log.filter((l) => l.fault === 'hang').length).toBeGreaterThanOrEqual(1);
  });

  it('gets a token by the client credentials grant and renews it before it expires', async () => {
    const { fake, stop } = await startFake(generateStore({ orders: 1, variants: 1, customers: 1 }), { tokenTtlSec: 86_399 });
    cleanup.push(stop);
    let clock = Date.now();
    const client = new ShopifyClient({ shop: fake.shop, credentials: { kind: 'client_credentials', clientId: 'client-id', clientSecret: 'client-secret' }, retry: { baseMs: 1, capMs: 5 }, clockMs: () => clock });
    await client.request('BackorderDeskShop', SHOP_QUERY, {}, shopReply);
    await client.request('BackorderDeskShop', SHOP_QUERY, {}, shopReply);
    expect(fake.issuedTokens).toBe(1);
    clock += 86_399_000 - 5 * 60_000; // 5 minutes before expiry: renewed first
    await client.request('BackorderDeskShop', SHOP_QUERY, {}, shopReply);
    expect(fake.issuedTokens).toBe(2);
    const wrong = new ShopifyClient({ shop: fake.shop, credentials: { kind: 'client_credentials', clientId: 'client-id', clientSecret: 'nope' }, retry: { baseMs: 1, capMs: 5 } });
    await expect(wrong.request('BackorderDeskShop', SHOP_QUERY, {}, shopReply)).rejects.toThrow(/refused the client ID and secret/);
  });
});
