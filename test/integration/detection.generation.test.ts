/**
 * The stock generation (src/main/store/stock-changes.ts): every writer of what detection reads bumps
 * it, a tick skips detection only while it is unchanged, and a tick after a change still detects.
 * Real SQLite files, the real importer, the Shopify writer and the reply action.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardBackorderFlow } from '../../src/core/sequence/flow';
import { runDetection } from '../../src/main/app/detect';
import { runTick } from '../../src/main/app/scheduler';
import { importShopifyCsv } from '../../src/main/import/shopify-csv/index';
import { cancelAndRefund, recordedOrderActions } from '../../src/main/replies/actions';
import { newTally, writeLevel } from '../../src/main/shopify/write';
import { openDatabase, type Db } from '../../src/main/store/db';
import { defaultSettings } from '../../src/main/store/settings';
import { DETECTION_MAX_AGE_MS, detectionMark } from '../../src/main/store/stock-changes';
import { ordersExport, productsExport, type VariantSpec } from '../helpers/shopify-csv';

const T0 = '2026-11-02T16:00:00.000Z';
const later = (ms: number): string => new Date(Date.parse(T0) + ms).toISOString();
const mug = (qty: number): VariantSpec[] => [{ handle: 'enamel-mug', title: 'Enamel Mug', option: 'Black', sku: 'MUG-BLK', qty, policy: 'continue', price: '18.00' }];
const orders = ordersExport([
  { name: '#1001', id: 9001, email: 'ada@example.com', billingName: 'Ada Lovelace', createdAt: '2026-11-01 09:00:00 -0500', total: '36.00',
    lines: [{ qty: 2, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }] },
]);

let dir: string;
let db: Db;
const generation = (): number => detectionMark(db).stockGeneration;
const tick = (now: string) => runTick(db, standardBackorderFlow, defaultSettings(), now);
const openBackorders = (): number => db.prepare('SELECT count(*) FROM backorders WHERE closed_at IS NULL').pluck().get() as number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-generation-'));
  db = openDatabase(path.join(dir, 'store.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('stock generation', () => {
  it('each writer of orders, line items, variants, inventory or backorders bumps it', async () => {
    let g = generation();
    importShopifyCsv(db, [{ name: 'p.csv', content: productsExport(mug(-2)) }], { now: T0 });
    expect(generation()).toBeGreaterThan(g);

    g = generation();
    importShopifyCsv(db, [{ name: 'o.csv', content: orders }], { now: T0 });
    expect(generation()).toBeGreaterThan(g);

    // Shopify sync's writer of an inventory level.
    g = generation();
    const variantId = db.prepare('SELECT id FROM variants').pluck().get() as string;
    writeLevel(db, variantId, {
      id: 'gid://shopify/InventoryLevel/1?inventory_item_id=1', updatedAt: T0, location: { id: 'gid://shopify/Location/1', name: 'Warehouse' },
      quantities: [{ name: 'available', quantity: 0 }, { name: 'on_hand', quantity: 0 }],
    }, T0, newTally());
    expect(generation()).toBeGreaterThan(g);

    // A cancellation from a customer's reply closes backorders outside detection.
    runDetection(db, T0);
    expect(openBackorders()).toBe(1);
    const bo = db.prepare('SELECT id, order_id FROM backorders').get() as { id: number; order_id: string };
    const task = db
      .prepare("INSERT INTO tasks (backorder_id, order_id, kind, reason, recommended_action, dedupe_key, created_at) VALUES (?, ?, 'cancel_requested', 'r', 'a', 'k', ?)")
      .run(bo.id, bo.order_id, T0).lastInsertRowid as number;
    g = generation();
    await cancelAndRefund(db, recordedOrderActions, task, later(1000));
    expect(generation()).toBeGreaterThan(g);
  });

  it('a tick skips detection while nothing changed, and detects after a change', () => {
    importShopifyCsv(db, [{ name: 'p.csv', content: productsExport(mug(-2)) }, { name: 'o.csv', content: orders }], { now: T0 });
    const first = runDetection(db, T0, { ifChanged: true });
    expect(first).toMatchObject({ opened: 1, skipped: false });
    expect(detectionMark(db)).toMatchObject({ detectedGeneration: generation(), detectedAt: T0 });

    expect(runDetection(db, later(60_000), { ifChanged: true }).skipped).toBe(true);
    expect(tick(later(120_000)).backordersOpened).toBe(0);

    // Restocked by a new products export: the next tick detects it.
    importShopifyCsv(db, [{ name: 'p2.csv', content: productsExport(mug(10)) }], { now: later(180_000) });
    const after = tick(later(240_000));
    expect(after.backordersClosed).toBe(1);
    expect(openBackorders()).toBe(0);
    expect(runDetection(db, later(300_000), { ifChanged: true }).skipped).toBe(true);
  });

  it('a write that did not bump it is detected within the hour anyway, and an explicit run never skips', () => {
    importShopifyCsv(db, [{ name: 'p.csv', content: productsExport(mug(-2)) }, { name: 'o.csv', content: orders }], { now: T0 });
    runDetection(db, T0);
    // A writer that forgot to bump (a direct SQL edit): skipped until the mark is an hour old.
    db.prepare('UPDATE inventory_levels SET available = 10, on_hand = 10, committed = 0').run();
    expect(runDetection(db, later(DETECTION_MAX_AGE_MS - 1), { ifChanged: true }).skipped).toBe(true);
    expect(openBackorders()).toBe(1);
    expect(runDetection(db, later(DETECTION_MAX_AGE_MS), { ifChanged: true })).toMatchObject({ skipped: false, closed: 1 });

    // Without ifChanged (the import command's own run) detection always runs.
    expect(runDetection(db, later(DETECTION_MAX_AGE_MS + 1)).skipped).toBe(false);
  });
});
