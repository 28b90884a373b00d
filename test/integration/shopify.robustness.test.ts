import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { syncShop } from '../../src/main/shopify/sync';
import { getSyncState } from '../../src/main/shopify/state';
import { generateStore, type FakeData } from '../helpers/fake-shopify';
import { dumpStore, NOW, startFake, testClient, tmpDb } from '../helpers/shopify-sync';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

const LATER = new Date(Date.now() + 5000).toISOString().replace(/\.\d+Z$/, 'Z');

/** The same changes in any copy of the store: a restock, a fulfilment, an edited customer. */
function changeStore(d: FakeData): void {
  const v = d.variants[3]!;
  v.levels[0]!.onHand += 7;
  v.levels[0]!.updatedAt = LATER;
  const o = d.orders[2]!;
  o.lines.forEach((l) => (l.unfulfilledQuantity = 0));
  o.fulfillmentStatus = 'FULFILLED';
  o.fulfillments.push({ id: 'gid://shopify/Fulfillment/31337', status: 'SUCCESS', createdAt: LATER, tracking: [{ number: '9400', company: 'USPS', url: null }] });
  o.updatedAt = LATER;
  // Many edited orders, so the incremental sync walks many pages.
  for (const e of d.orders.slice(10, 60)) {
    e.tags = ['edited'];
    e.updatedAt = LATER;
  }
  const c = d.customers[4]!;
  c.tags = ['VIP'];
  c.updatedAt = LATER;
}

async function fullRun(faultRate: number): Promise<{ dump: Record<string, string>; faults: number; requests: number }> {
  const data = generateStore({ orders: 80, variants: 24, customers: 30, seed: 42 });
  const { fake, stop } = await startFake(data, { maxSingleCost: 500, ...(faultRate ? { faults: { rate: faultRate, seed: 2026 } } : {}) });
  cleanup.push(stop);
  const { db } = tmpDb();
  const client = testClient(fake, undefined, 14);
  await syncShop(db, client, { now: () => NOW, pollMs: 5 });
  changeStore(data);
  await syncShop(db, client, { now: () => NOW, pollMs: 5 });
  const dump = dumpStore(db);
  db.close();
  return { dump, faults: fake.traffic.faults, requests: fake.traffic.requests };
}

describe('Shopify sync under faults', () => {
  it('with 20% of requests failing at random (5xx, 429, THROTTLED, resets, timeouts), the database ends identical to a fault-free sync', async () => {
    const clean = await fullRun(0);
    const faulty = await fullRun(0.2);
    expect(faulty.requests).toBeGreaterThan(40);
    expect(faulty.faults / faulty.requests).toBeGreaterThan(0.1);
    expect(faulty.dump).toEqual(clean.dump);
    expect(clean.dump['orders']!.split('\n')).toHaveLength(80);
  }, 120_000);

  it('a process killed while its bulk operation runs resumes polling the same operation after restart', async () => {
    const data = generateStore({ orders: 40, variants: 10, customers: 12 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    fake.holdBulk = true;
    const { db, file } = tmpDb();
    db.close();

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/shopify-sync-child.ts', file, fake.origin, fake.shop], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`child never polled a bulk operation: ${out} ${err}`)), 20_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if ((out.match(/"phase":"bulk"/g) ?? []).length >= 2) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    expect(await exited).toBeNull();

    const firstOp = fake.bulkOps[0]!;
    expect(fake.bulkOps).toHaveLength(1);
    const peek = new Database(file, { readonly: true });
    expect(peek.prepare("SELECT bulk_operation_id FROM shopify_sync_state WHERE kind = 'variants'").pluck().get()).toBe(firstOp.id);
    peek.close();

    // Restart: a new process (here: this one) opens the same file and syncs.
    fake.holdBulk = false;
    const logBefore = fake.log.length;
    const { openDatabase } = await import('../../src/main/store/db');
    const db2 = openDatabase(file);
    await syncShop(db2, testClient(fake), { now: () => NOW, pollMs: 5 });
    const after = fake.log.slice(logBefore);
    expect(after[1]).toMatchObject({ op: 'BackorderDeskPollBulk', variables: { id: firstOp.id } });
    expect(fake.bulkOps.map((o) => o.kind)).toEqual(['variants', 'customers', 'orders']);
    expect(db2.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(40);
    expect(getSyncState(db2, 'variants')).toMatchObject({ bulkDone: true, bulkOperationId: null });
    db2.close();
  }, 60_000);

  it('a failed bulk operation keeps the complete records of its partial data and starts again next time', async () => {
    const data = generateStore({ orders: 10, variants: 6, customers: 5 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const { db } = tmpDb();
    fake.failNextBulk = { kind: 'orders', afterRows: 9 }; // cuts into the children of an order
    await expect(syncShop(db, testClient(fake), { now: () => NOW, pollMs: 5 })).rejects.toThrow(/orders bulk query ended FAILED.*partial data were kept/);
    const kept = db.prepare('SELECT count(*) FROM orders').pluck().get() as number;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(10);
    // The kept orders are complete: each has all its line items.
    for (const o of data.orders.slice(0, kept)) {
      expect(db.prepare('SELECT count(*) FROM line_items WHERE order_id = ?').pluck().get(o.id)).toBe(o.lines.length);
    }
    expect(getSyncState(db, 'orders')).toMatchObject({ bulkDone: false, bulkOperationId: null });
    expect(getSyncState(db, 'orders').lastError).toMatch(/FAILED/);
    await syncShop(db, testClient(fake), { now: () => NOW, pollMs: 5 });
    expect(db.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(10);
    expect(fake.bulkOps.filter((o) => o.kind === 'orders')).toHaveLength(2);
    db.close();
  });
});

describe('Shopify replies of the wrong shape', () => {
  it('a paginated reply with a bad field is rejected naming the field, and the stored order is not overwritten', async () => {
    const data = generateStore({ orders: 8, variants: 5, customers: 4 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const { db } = tmpDb();
    const client = testClient(fake);
    await syncShop(db, client, { now: () => NOW, pollMs: 5 });
    const before = dumpStore(db);
    const o = data.orders[0]!;
    o.updatedAt = LATER;
    o.total = '999.00';
    fake.replyHook = (op, d) => {
      if (op !== 'BackorderDeskOrders') return d;
      const edges = (d as { orders: { edges: { node: Record<string, unknown> }[] } }).orders.edges;
      if (edges[0]) edges[0].node['name'] = 42;
      return d;
    };
    await expect(syncShop(db, client, { now: () => NOW, pollMs: 5 })).rejects.toThrow(/orders\.edges\[0\]\.node\.name/);
    expect(dumpStore(db)['orders']).toEqual(before['orders']);
    expect(getSyncState(db, 'orders').lastError).toMatch(/node\.name/);
    db.close();
  });

  it('a bulk JSONL line with a bad field is rejected naming the line and field, and nothing of that kind is written', async () => {
    const data = generateStore({ orders: 8, variants: 5, customers: 4 });
    const { fake, stop } = await startFake(data);
    cleanup.push(stop);
    const { db } = tmpDb();
    fake.jsonlHook = (line, i) => (line.includes('"gid://shopify/LineItem/') && i > 5 ? line.replace(/"currentQuantity":\d+/, '"currentQuantity":"two"') : line);
    await expect(syncShop(db, testClient(fake), { now: () => NOW, pollMs: 5 })).rejects.toThrow(/line \d+\.currentQuantity/);
    expect(db.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM variants').pluck().get()).toBe(5);
    db.close();
  });
});
