/**
 * The Shopify contract commands (shopify.connect, shopify.configure, shopify.disconnect,
 * shopify.status, shopify.syncNow) for one core, over a ShopifyService. `shopify.syncNow` resolves
 * when the sync has finished; progress goes out as `sync.progress` events meanwhile, and the sync's
 * network waits never block the main process (writes are chunked).
 */
import path from 'node:path';
import type { ShopifyStatus, ShopifySyncSummary, SyncProgress } from '../../shared/shopify';
import type { Db } from '../store/db';
import type { ShopifyClientOptions } from './client';
import { EncryptedFileSecretStore, type SecretStore } from './secrets';
import { ShopifyService, type ShopifyServiceOptions, type ConnectInput, type OrderActionFlags, type WriteBackFlags } from './service';

/** Core options for Shopify; everything optional. */
export interface ShopifyCoreOptions {
  /** Where credentials go; default an EncryptedFileSecretStore next to the database (CLI, web mode). */
  secrets?: SecretStore;
  /** Sync on the poll interval (Electron, web mode). */
  autoSync?: boolean;
  /** Tests: client backoff, bulk poll interval. */
  client?: Partial<Omit<ShopifyClientOptions, 'shop' | 'credentials'>>;
  pollMs?: number;
  /** Tests: polling of Shopify's cancel job. */
  cancel?: ShopifyServiceOptions['cancel'];
}

export function shopifyHandlers(ctx: {
  db: Db;
  dbPath: string;
  now: () => string;
  /** The core's scheduler tick, run after each sync (detection, due steps). */
  afterSync: () => Promise<unknown>;
  emit: (p: SyncProgress) => void;
  changed: () => void;
  options?: ShopifyCoreOptions;
}) {
  const o = ctx.options ?? {};
  const secrets = o.secrets ?? new EncryptedFileSecretStore(path.join(path.dirname(path.resolve(ctx.dbPath)), 'shopify-secrets.json'));
  const service = new ShopifyService(ctx.db, {
    secrets,
    now: ctx.now,
    onProgress: ctx.emit,
    afterSync: async () => {
      await ctx.afterSync();
      ctx.changed();
    },
    ...(o.client ? { client: o.client } : {}),
    ...(o.pollMs ? { pollMs: o.pollMs } : {}),
    ...(o.cancel ? { cancel: o.cancel } : {}),
    ...(o.autoSync ? { autoSync: true } : {}),
  });
  const handlers = {
    'shopify.connect': async (input: ConnectInput): Promise<ShopifyStatus> => {
      const s = await service.connect(input);
      service.wake();
      return s;
    },
    'shopify.configure': (input: { pollMinutes?: number; writeBack?: Partial<WriteBackFlags>; orderActions?: Partial<OrderActionFlags> }): ShopifyStatus =>
      service.configure(input),
    'shopify.disconnect': (): Promise<ShopifyStatus> => service.disconnect(),
    'shopify.status': (): ShopifyStatus => service.status(),
    'shopify.syncNow': (): Promise<ShopifySyncSummary> => service.syncNow(),
  };
  return { handlers, service };
}
