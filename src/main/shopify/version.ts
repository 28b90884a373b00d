/**
 * The Admin API version every request of the app uses, pinned so a library upgrade never changes the
 * wire format underneath the schemas in schemas.ts. 2026-04 is the newest stable version
 * @shopify/shopify-api 13.1.0 knows (`ApiVersion.April26`).
 */
import { ApiVersion } from '@shopify/shopify-api';

export const SHOPIFY_API_VERSION = ApiVersion.April26;

/** Access scopes the read side needs (Shopify Admin API access scopes). */
export const READ_SCOPES = [
  'read_orders',
  'read_products',
  'read_inventory',
  'read_customers',
  'read_fulfillments',
  'read_merchant_managed_fulfillment_orders',
] as const;

/** Extra scopes per write-back option. */
export const WRITE_SCOPES = {
  tags: ['write_orders'],
  etaMetafield: ['write_orders'],
  holds: ['write_merchant_managed_fulfillment_orders'],
  /** "Cancel and refund in full" through orderCancel. */
  cancelOrders: ['write_orders'],
} as const;
