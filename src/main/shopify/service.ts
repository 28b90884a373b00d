/**
 * The live Shopify connection as the app core uses it: connect (check the credentials against the
 * shop, then keep them in the SecretStore and the options in `shopify_connection`), disconnect
 * (delete the credentials), status, and syncing — on demand ("Sync now") and on a poll interval.
 *
 * Scheduling is by wall clock: a light check every 30 s starts a sync when the interval has passed
 * since the last attempt, so a laptop that slept catches up at the first check after waking (and the
 * Electron shell also calls `wake()` on powerMonitor 'resume'). One sync runs at a time; "Sync now"
 * during a run joins it. After each successful sync, `afterSync` runs (the core's scheduler tick:
 * detection and due steps, so a fulfilment's shipping confirmation is drafted within one poll
 * interval), then the enabled write-backs. With the cancel option on, it also carries out a
 * confirmed "cancel and refund in full" through orderCancel (`cancelOrder`, order-cancel.ts).
 */
import type { z } from 'zod';
import { AppError } from '../../shared/result';
import type { OrderActionFlags, shopifyConnectSchema, ShopifyStatus, WriteBackFlags } from '../../shared/shopify';
import type { Db } from '../store/db';
import { ShopifyClient, type ShopifyCredentials, type ShopifyClientOptions } from './client';
import { cancelInShopify, type CancelOptions } from './order-cancel';
import { SHOP_QUERY } from './queries';
import { shopReply } from './schemas';
import type { SecretStore } from './secrets';
import { clearSyncState, getSyncState, type SyncKind } from './state';
import { syncShop, type SyncProgress, type SyncSummary } from './sync';
import { READ_SCOPES, WRITE_SCOPES } from './version';
import { writeBack } from './writeback';

/** What `shopify.connect` takes (validated by shopifyConnectSchema). */
export type ConnectInput = z.output<typeof shopifyConnectSchema>;
export type { OrderActionFlags, ShopifyStatus, WriteBackFlags };

export interface ShopifyServiceOptions {
  secrets: SecretStore;
  now: () => string;
  onProgress?: (p: SyncProgress) => void;
  /** Runs after a successful sync (detection, sequence); its failure is reported, not thrown. */
  afterSync?: () => Promise<void> | void;
  /** ETA range text per order for the metafield write-back; default the ETA store's (eta-range.ts). */
  etaRange?: (orderId: string) => string | null;
  /** Client options for tests (backoff); shop and credentials come from the connection. */
  client?: Partial<Omit<ShopifyClientOptions, 'shop' | 'credentials'>>;
  /** Sync options for tests (bulk poll interval). */
  pollMs?: number;
  /** Cancel job polling for tests. */
  cancel?: Omit<CancelOptions, 'notifyCustomer'>;
  /** Start the interval timer (Electron, web mode); off for the CLI. */
  autoSync?: boolean;
}

interface ConnectionRow {
  shop: string;
  auth_kind: 'token' | 'client_credentials';
  poll_minutes: number;
  writeback_tags: number;
  writeback_holds: number;
  writeback_eta_metafield: number;
  cancel_orders: number;
  cancel_notify_customer: number;
}

const SECRET = { token: 'shopify.accessToken', clientId: 'shopify.clientId', clientSecret: 'shopify.clientSecret' } as const;
const CHECK_EVERY_MS = 30_000;

/** Scopes for the read side plus the enabled write-backs and order actions. */
export function requiredScopes(w: WriteBackFlags, a: OrderActionFlags = { cancel: false, notifyCustomer: true }): string[] {
  const s = new Set<string>(READ_SCOPES);
  if (a.cancel) WRITE_SCOPES.cancelOrders.forEach((x) => s.add(x));
  if (w.tags) WRITE_SCOPES.tags.forEach((x) => s.add(x));
  if (w.etaMetafield) WRITE_SCOPES.etaMetafield.forEach((x) => s.add(x));
  if (w.holds) WRITE_SCOPES.holds.forEach((x) => s.add(x));
  return [...s];
}

export class ShopifyService {
  private running: Promise<SyncSummary> | null = null;
  private progress: SyncProgress | null = null;
  private lastAttemptMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private client: ShopifyClient | null = null;
  /** A failure outside the per-kind sync state (write-back, after-sync step). */
  private otherError: { message: string; at: string } | null = null;

  constructor(
    private readonly db: Db,
    private readonly opts: ShopifyServiceOptions,
  ) {
    if (opts.autoSync) {
      this.timer = setInterval(() => this.wake(), CHECK_EVERY_MS);
      this.timer.unref();
    }
  }

  private connection(): ConnectionRow | null {
    return (this.db.prepare('SELECT * FROM shopify_connection WHERE id = 1').get() as ConnectionRow | undefined) ?? null;
  }

  private flags(c: ConnectionRow | null): WriteBackFlags {
    return { tags: c?.writeback_tags === 1, holds: c?.writeback_holds === 1, etaMetafield: c?.writeback_eta_metafield === 1 };
  }

  private actions(c: ConnectionRow | null): OrderActionFlags {
    return { cancel: c?.cancel_orders === 1, notifyCustomer: c ? c.cancel_notify_customer === 1 : true };
  }

  private async credentials(c: ConnectionRow): Promise<ShopifyCredentials> {
    if (c.auth_kind === 'token') {
      const accessToken = await this.opts.secrets.get(SECRET.token);
      if (!accessToken) throw new AppError('UNAVAILABLE', 'The Shopify access token is missing from the keychain; connect the store again.');
      return { kind: 'token', accessToken };
    }
    const [clientId, clientSecret] = await Promise.all([this.opts.secrets.get(SECRET.clientId), this.opts.secrets.get(SECRET.clientSecret)]);
    if (!clientId || !clientSecret) throw new AppError('UNAVAILABLE', 'The Shopify client ID or secret is missing from the keychain; connect the store again.');
    return { kind: 'client_credentials', clientId, clientSecret };
  }

  private makeClient(shop: string, credentials: ShopifyCredentials): ShopifyClient {
    return new ShopifyClient({ ...this.opts.client, shop, credentials });
  }

  /**
   * Checks the credentials with one request to the shop, then stores them and the options.
   * @throws AppError('BAD_INPUT') for a malformed shop; 'UNAUTHORIZED' when Shopify refuses the
   *   credentials; 'UNAVAILABLE' when the secrets cannot be stored safely (nothing is stored then).
   */
  async connect(input: ConnectInput): Promise<ShopifyStatus> {
    const shop = input.shop.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    const credentials: ShopifyCredentials = input.auth.kind === 'token'
      ? { kind: 'token', accessToken: input.auth.accessToken.trim() }
      : { kind: 'client_credentials', clientId: input.auth.clientId.trim(), clientSecret: input.auth.clientSecret.trim() };
    const client = this.makeClient(shop, credentials);
    await client.request('BackorderDeskShop', SHOP_QUERY, {}, shopReply, 2);

    const previous = this.connection();
    if (previous && previous.shop !== shop) await this.disconnect();
    const s = this.opts.secrets;
    if (credentials.kind === 'token') {
      await s.set(SECRET.token, credentials.accessToken);
      await s.delete(SECRET.clientId);
      await s.delete(SECRET.clientSecret);
    } else {
      await s.set(SECRET.clientId, credentials.clientId);
      await s.set(SECRET.clientSecret, credentials.clientSecret);
      await s.delete(SECRET.token);
    }
    const w = { ...this.flags(previous), ...input.writeBack };
    const a = { ...this.actions(previous), ...input.orderActions };
    this.db
      .prepare(
        `INSERT INTO shopify_connection (id, shop, auth_kind, poll_minutes, writeback_tags, writeback_holds, writeback_eta_metafield, cancel_orders, cancel_notify_customer, connected_at)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET shop = excluded.shop, auth_kind = excluded.auth_kind, poll_minutes = excluded.poll_minutes,
           writeback_tags = excluded.writeback_tags, writeback_holds = excluded.writeback_holds,
           writeback_eta_metafield = excluded.writeback_eta_metafield, cancel_orders = excluded.cancel_orders,
           cancel_notify_customer = excluded.cancel_notify_customer, connected_at = excluded.connected_at`,
      )
      .run(shop, credentials.kind, input.pollMinutes ?? previous?.poll_minutes ?? 5, w.tags ? 1 : 0, w.holds ? 1 : 0, w.etaMetafield ? 1 : 0, a.cancel ? 1 : 0, a.notifyCustomer ? 1 : 0, this.opts.now());
    this.client = client;
    this.lastAttemptMs = 0;
    return this.status();
  }

  /** Changes the poll interval, write-back and order action options of the current connection. */
  configure(patch: { pollMinutes?: number; writeBack?: Partial<WriteBackFlags>; orderActions?: Partial<OrderActionFlags> }): ShopifyStatus {
    const c = this.connection();
    if (!c) throw new AppError('NOT_FOUND', 'No Shopify store is connected.');
    const w = { ...this.flags(c), ...patch.writeBack };
    const a = { ...this.actions(c), ...patch.orderActions };
    this.db
      .prepare(
        `UPDATE shopify_connection SET poll_minutes = ?, writeback_tags = ?, writeback_holds = ?, writeback_eta_metafield = ?,
           cancel_orders = ?, cancel_notify_customer = ? WHERE id = 1`,
      )
      .run(patch.pollMinutes ?? c.poll_minutes, w.tags ? 1 : 0, w.holds ? 1 : 0, w.etaMetafield ? 1 : 0, a.cancel ? 1 : 0, a.notifyCustomer ? 1 : 0);
    return this.status();
  }

  /**
   * "Cancel and refund in full" in Shopify (order-cancel.ts) when a store is connected, the cancel
   * option is on and the order came from Shopify (a GID id).
   * @returns what Shopify did, or null when the action is not Shopify's to do here (the caller then
   *   records it for the owner).
   * @throws as cancelInShopify: the owner sees Shopify's refusal and the task stays open.
   */
  async cancelOrder(order: { id: string; name: string }): Promise<string | null> {
    const c = this.connection();
    if (!c || c.cancel_orders !== 1 || !order.id.startsWith('gid://shopify/Order/')) return null;
    const client = this.client ?? (this.client = this.makeClient(c.shop, await this.credentials(c)));
    return cancelInShopify(client, order.id, order.name, { ...this.opts.cancel, notifyCustomer: c.cancel_notify_customer === 1 });
  }

  /** Deletes the stored credentials and the sync progress; the synced orders stay. */
  async disconnect(): Promise<ShopifyStatus> {
    for (const name of Object.values(SECRET)) await this.opts.secrets.delete(name);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM shopify_connection').run();
      clearSyncState(this.db);
    })();
    this.client = null;
    return this.status();
  }

  status(): ShopifyStatus {
    const c = this.connection();
    const kinds: SyncKind[] = ['variants', 'inventory', 'customers', 'orders'];
    const states = kinds.map((k) => getSyncState(this.db, k));
    const ok = states.map((s) => s.lastSuccessAt).filter((x): x is string => x !== null).sort();
    const err = states.filter((s) => s.lastError).sort((a, b) => (b.lastErrorAt ?? '').localeCompare(a.lastErrorAt ?? ''))[0];
    const w = this.flags(c);
    const a = this.actions(c);
    return {
      connected: c !== null,
      shop: c?.shop ?? null,
      authKind: c?.auth_kind ?? null,
      pollMinutes: c?.poll_minutes ?? 5,
      writeBack: w,
      orderActions: a,
      running: this.running !== null,
      progress: this.progress,
      // A sync succeeded when every kind did: the oldest of their last successes.
      lastSuccessAt: ok.length === kinds.length ? ok[0]! : null,
      lastError: err?.lastError ?? this.otherError?.message ?? null,
      lastErrorAt: err?.lastErrorAt ?? this.otherError?.at ?? null,
      scopes: requiredScopes(w, a),
      secretStorage: this.opts.secrets.describe(),
    };
  }

  /** Starts a sync unless one is running (then joins it). Resolves when it ends; rejects on failure. */
  syncNow(): Promise<SyncSummary> {
    if (this.running) return this.running;
    const c = this.connection();
    if (!c) return Promise.reject(new AppError('NOT_FOUND', 'No Shopify store is connected. Connect it in Settings → Shopify.'));
    this.lastAttemptMs = Date.now();
    const run = (async () => {
      const client = this.client ?? (this.client = this.makeClient(c.shop, await this.credentials(c)));
      const summary = await syncShop(this.db, client, {
        now: this.opts.now,
        ...(this.opts.pollMs ? { pollMs: this.opts.pollMs } : {}),
        onProgress: (p) => {
          this.progress = p;
          this.opts.onProgress?.(p);
        },
      });
      this.otherError = null;
      try {
        await this.opts.afterSync?.();
      } catch (err) {
        this.otherError = { message: `Synced, but detection failed: ${err instanceof Error ? err.message : String(err)}`, at: this.opts.now() };
      }
      const w = this.flags(c);
      if (w.tags || w.holds || w.etaMetafield) {
        const r = await writeBack(this.db, client, { ...w, now: this.opts.now(), ...(this.opts.etaRange ? { etaRange: this.opts.etaRange } : {}) });
        if (r.errors.length) {
          this.otherError = { message: `Synced, but Shopify refused some status updates: ${r.errors.slice(0, 3).join('; ')}`, at: this.opts.now() };
          throw new AppError('UNAVAILABLE', this.otherError.message);
        }
      }
      return summary;
    })();
    this.running = run.catch((err: unknown) => {
      if (!this.otherError && !(err instanceof AppError && /Shopify's|shape/.test(err.message))) {
        // Errors of the sync itself are in the per-kind state; others (credentials missing) only here.
        const anyKind = getSyncState(this.db, 'variants').lastError ?? getSyncState(this.db, 'orders').lastError;
        if (!anyKind) this.otherError = { message: err instanceof Error ? err.message : String(err), at: this.opts.now() };
      }
      throw err;
    }).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Starts a sync when the poll interval has passed since the last attempt (timer, wake from sleep). */
  wake(): void {
    const c = this.connection();
    if (!c || this.running) return;
    if (Date.now() - this.lastAttemptMs < c.poll_minutes * 60_000) return;
    this.syncNow().catch(() => undefined); // recorded in the sync state and shown by status()
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
