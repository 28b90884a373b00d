/**
 * A whole core (real SQLite file) connected to the fake Gmail and fake Google OAuth servers: the
 * refresh token sits in an in-memory SecretStore as if the owner had connected, so `gmail.syncNow`
 * runs the real googleapis client, token refresh included. Pacing and backoff are instant.
 * The store sells one backordered variant, MUG-BLK from vendor "Kiln Works", on order #1001.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../src/main/app/core';
import { SECRET_REFRESH_TOKEN } from '../../src/main/gmail/connection';
import type { GmailCoreOptions } from '../../src/main/gmail/handlers';
import { QuotaPacer } from '../../src/main/gmail/pacer';
import type { SecretStore } from '../../src/main/shopify/secrets';
import { call } from './core-calls';
import type { FakeGmail } from './fake-gmail';
import type { FakeGoogleOAuth } from './fake-google-oauth';
import { ordersExport, productsExport } from './shopify-csv';

export function memorySecrets(initial: Record<string, string> = {}): SecretStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: async (n) => data.get(n) ?? null,
    set: async (n, v) => void data.set(n, v),
    delete: async (n) => void data.delete(n),
    describe: () => 'memory',
  };
}

/** Calls a command and unwraps the envelope; throws with the code and message on `{ok: false}`. */
export { call };

export interface GmailCoreFixture {
  core: Core;
  dir: string;
  secrets: ReturnType<typeof memorySecrets>;
}

/** The core, connected (a stored refresh token) unless `connected: false`. */
export function gmailCore(
  fake: FakeGmail,
  oauth: FakeGoogleOAuth,
  o: { now: () => string; connected?: boolean; gmail?: Partial<GmailCoreOptions>; core?: Partial<CoreOptions> },
): GmailCoreFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-gmail-core-'));
  const secrets = memorySecrets(o.connected === false ? {} : { [SECRET_REFRESH_TOKEN]: 'refresh-test' });
  const core = createCore({
    dbPath: path.join(dir, 'store.db'),
    now: o.now,
    settings: {
      storeName: 'Test Shop', fromAddress: 'Test <shop@example.com>', timezone: 'America/New_York',
      gmail: { clientId: 'desktop-client', sendEmail: false, sendMode: 'direct', syncDays: 30, dailySendCap: 500, pollMinutes: 5 },
    },
    gmail: {
      secrets, endpoints: oauth.endpoints, rootUrl: fake.rootUrl,
      api: { pacer: new QuotaPacer({ ratePerSecond: 1e9, burst: 1e9 }), backoff: { sleep: async () => undefined, retries: 2 } },
      ...o.gmail,
    },
    ...o.core,
  });
  return { core, dir, secrets };
}

/** Imports the one-variant store: MUG-BLK oversold by 2 on order #1001. */
export async function importMugStore(core: Core): Promise<void> {
  await call(core, 'import.files', {
    files: [
      { name: 'products_export.csv', content: productsExport([{ handle: 'enamel-mug', title: 'Enamel Mug', option: 'Black', sku: 'MUG-BLK', qty: -2, policy: 'continue', price: '18.00', vendor: 'Kiln Works' }]) },
      {
        name: 'orders_export.csv',
        content: ordersExport([{ name: '#1001', id: 9001, email: 'ada@example.com', billingName: 'Ada Lovelace', createdAt: '2026-11-01 09:00:00 -0500', total: '36.00', lines: [{ qty: 2, name: 'Enamel Mug - Black', price: '18.00', sku: 'MUG-BLK' }] }]),
      },
    ],
  });
}
