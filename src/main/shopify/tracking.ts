/**
 * Carrier tracking of an order for the shipping confirmation draft: the newest fulfillment with a
 * tracking number that the Shopify sync stored (shopify_fulfillments). Empty for orders without one
 * (CSV imports), so the draft then says nothing about tracking rather than invent it.
 */
import type { DraftTracking } from '../../core/drafts/facts';
import type { Db } from '../store/db';

/** `{tracking}` for DraftFacts, or `{}`. */
export function trackingFacts(db: Db, orderId: string): { tracking?: DraftTracking } {
  const row = db
    .prepare(
      `SELECT tracking_number AS number, tracking_company AS company, tracking_url AS url FROM shopify_fulfillments
        WHERE order_id = ? AND tracking_number IS NOT NULL AND status NOT IN ('CANCELLED', 'ERROR', 'FAILURE')
        ORDER BY created_at DESC LIMIT 1`,
    )
    .get(orderId) as { number: string; company: string | null; url: string | null } | undefined;
  if (!row) return {};
  return { tracking: { number: row.number, ...(row.company ? { company: row.company } : {}), ...(row.url ? { url: row.url } : {}) } };
}
