/**
 * The Shopify part of the contract: input schemas of `shopify.*` commands and the shapes of their
 * outputs and of the `sync.progress` event. Credentials pass through `shopify.connect` once and are
 * kept only in the OS keychain (SecretStore); no output ever carries them.
 */
import { z } from 'zod';

export const shopDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'use the store domain of the form your-store.myshopify.com');

const writeBackSchema = z.object({ tags: z.boolean(), holds: z.boolean(), etaMetafield: z.boolean() }).partial().strict();
const orderActionsSchema = z.object({ cancel: z.boolean(), notifyCustomer: z.boolean() }).partial().strict();

export const shopifyConnectSchema = z
  .object({
    shop: shopDomainSchema,
    auth: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('client_credentials'), clientId: z.string().trim().min(1).max(200), clientSecret: z.string().trim().min(1).max(500) }).strict(),
      z.object({ kind: z.literal('token'), accessToken: z.string().trim().regex(/^shp(at|ca|pa)_\w+$/, 'an Admin API access token starts with shpat_').max(500) }).strict(),
    ]),
    pollMinutes: z.number().int().min(1).max(24 * 60).optional(),
    writeBack: writeBackSchema.optional(),
    orderActions: orderActionsSchema.optional(),
  })
  .strict();

export const shopifyConfigureSchema = z
  .object({ pollMinutes: z.number().int().min(1).max(24 * 60).optional(), writeBack: writeBackSchema.optional(), orderActions: orderActionsSchema.optional() })
  .strict();

/**
 * Confirmed task actions carried out in Shopify. `cancel`: "cancel and refund in full" calls the
 * Admin API's orderCancel (full refund to the original payment methods, items restocked, reason
 * CUSTOMER; needs write_orders) instead of recording it for the owner to do in the Shopify admin.
 * `notifyCustomer`: Shopify sends its own cancellation email (orderCancel notifyCustomer).
 */
export interface OrderActionFlags {
  cancel: boolean;
  notifyCustomer: boolean;
}

export interface WriteBackFlags {
  /** Tag backordered orders `backordered` (removed when they ship). */
  tags: boolean;
  /** INVENTORY_OUT_OF_STOCK hold on backordered fulfillment orders, released when stock is allocated. */
  holds: boolean;
  /** Order metafield backorder_desk.eta_range with the customer-facing ETA range. */
  etaMetafield: boolean;
}

/** Progress of a sync run (the `sync.progress` event). */
export interface SyncProgress {
  phase: 'starting' | 'bulk' | 'download' | 'write' | 'incremental' | 'done' | 'failed';
  kind: 'variants' | 'customers' | 'orders' | 'inventory' | null;
  /** Objects done in this phase, and the total when known. */
  done: number;
  total: number | null;
  message: string;
}

/** The connection as Settings shows it. */
export interface ShopifyStatus {
  connected: boolean;
  shop: string | null;
  authKind: 'token' | 'client_credentials' | null;
  pollMinutes: number;
  writeBack: WriteBackFlags;
  orderActions: OrderActionFlags;
  running: boolean;
  progress: SyncProgress | null;
  /** When every object kind last synced successfully (ISO 8601), null before the first full sync. */
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Access scopes the app needs with the current options. */
  scopes: string[];
  /** Where the credentials are kept. */
  secretStorage: string;
}

/** What one sync did. */
export interface ShopifySyncSummary {
  mode: 'initial' | 'incremental' | 'mixed';
  written: number;
  unchanged: number;
  skippedOlder: number;
  /**
   * Orders and variants of open backorders that Shopify no longer has (found this sync), and the
   * backorders closed for it (reason 'removed', event 'deleted_in_shopify'). Absent from older cores.
   */
  deleted?: { orders: number; variants: number; backordersClosed: number };
  startedAt: string;
  finishedAt: string;
}
