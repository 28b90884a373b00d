/**
 * Test wiring for the Shopify sync: a fake Admin API on 127.0.0.1, the routing of the test shop to
 * it, a real SQLite file, and a client with short backoff steps. Also a dump of the store's tables
 * for comparing two databases.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src/main/app/core';
import { ShopifyClient, type ShopifyCredentials } from '../../src/main/shopify/client';
import { EncryptedFileSecretStore } from '../../src/main/shopify/secrets';
import { setRequestTimeout, shopifyRoute } from '../../src/main/shopify/transport';
import { openDatabase, type Db } from '../../src/main/store/db';
import { FakeShopify, type FakeData, type FakeOptions } from './fake-shopify';

export const NOW = '2026-04-01T12:00:00.000Z';

export function tmpDb(name = 'shop.db'): { db: Db; file: string } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bd-shopify-')), name);
  return { db: openDatabase(file), file };
}

export async function startFake(data: FakeData, options: FakeOptions = {}): Promise<{ fake: FakeShopify; stop: () => Promise<void> }> {
  const fake = new FakeShopify(data, options);
  await fake.start();
  const unroute = shopifyRoute(fake.shop, fake.origin);
  setRequestTimeout(400);
  return {
    fake,
    stop: async () => {
      unroute();
      await fake.stop();
    },
  };
}

export function testClient(fake: FakeShopify, credentials?: ShopifyCredentials, maxAttempts = 12): ShopifyClient {
  return new ShopifyClient({
    shop: fake.shop,
    credentials: credentials ?? { kind: 'token', accessToken: 'shpat_test_token' },
    retry: { baseMs: 5, capMs: 40, maxAttempts },
  });
}

const STORE_TABLES = [
  'locations', 'variants', 'inventory_levels', 'customers', 'orders', 'line_items',
  'shopify_inventory_items', 'shopify_fulfillment_orders', 'shopify_fulfillment_order_lines', 'shopify_fulfillment_holds', 'shopify_fulfillments',
];

/** Every row of the store tables, sorted, as one string per table. */
export function dumpStore(db: Db): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of STORE_TABLES) {
    const rows = db.prepare(`SELECT * FROM ${t}`).all().map((r) => JSON.stringify(r)).sort();
    out[t] = rows.join('\n');
  }
  return out;
}

/** A core on a fresh database file, its credentials in an encrypted file with a fixed test key. */
export function coreForShopify(name: string, extra: Partial<CoreOptions> = {}): { core: Core; file: string; secretsFile: string } {
  const { db, file } = tmpDb(name);
  db.close();
  const secretsFile = path.join(path.dirname(file), 'shopify-secrets.json');
  const core = createCore({
    dbPath: file,
    shopify: { secrets: new EncryptedFileSecretStore(secretsFile, [{ name: 'test key', load: () => Buffer.from('a'.repeat(64), 'hex') }]), client: { retry: { baseMs: 5, capMs: 20 } }, pollMs: 5, cancel: { pollMs: 5 } },
    ...extra,
  });
  return { core, file, secretsFile };
}

/** The value of a contract call, or its error message thrown. */
export async function value<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
