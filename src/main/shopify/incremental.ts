/**
 * Incremental sync: records changed since the kind's cursor, minus an overlap window, through the
 * paginated Admin API connections (cursor pagination: `first`/`after`, `pageInfo.endCursor`), each
 * page validated then written in its own transaction. The overlap re-reads records changed around
 * the cursor (clock skew, changes committed while the last sync ran); re-reading is harmless because
 * every write compares first (write.ts) and older order versions are skipped.
 *
 * Page size starts at `startFirst` and shrinks when Shopify says the query costs more than one
 * request may (CostExceededError): the query is split into smaller pages.
 */
import type { z } from 'zod';
import type { Db } from '../store/db';
import type { ShopifyClient } from './client';
import { CostExceededError } from './errors';
import { CUSTOMERS_PAGE, FO_LINES_PAGE, LEVELS_PAGE, LOCATIONS_PAGE, ORDER_FOS_PAGE, ORDER_LINES_PAGE, ORDERS_PAGE, VARIANTS_PAGE } from './queries';
import {
  customersPageReply,
  foLinesReply,
  levelsReply,
  locationsReply,
  orderFosReply,
  orderLinesReply,
  ordersPageReply,
  variantsPageReply,
  type FoLineRecord,
  type FulfillmentOrderRecord,
  type LineItemRecord,
  type StitchedOrder,
  type StitchedVariant,
} from './schemas';
import { writeCustomers, writeLevel, writeOrders, writeVariants, type WriteTally } from './write';

interface Connection<N> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: N }[];
}

/**
 * Walks a connection page by page, splitting pages that cost too much.
 * @param variables the query's variables; `after` (a cursor) starts the walk after that element
 * @param pick the connection inside `data` (null = stop, e.g. a node that no longer exists)
 */
export async function* paginate<S extends z.ZodType, N>(
  client: ShopifyClient,
  operation: string,
  document: string,
  variables: Record<string, unknown>,
  schema: S,
  pick: (data: z.output<S>) => Connection<N> | null,
  startFirst: number,
): AsyncGenerator<N[]> {
  let first = startFirst;
  // A walk may continue a connection whose first page came nested in another reply.
  let after: string | null = typeof variables.after === 'string' ? variables.after : null;
  for (;;) {
    let data: z.output<S>;
    try {
      data = await client.request(`${operation}:${first}`, document, { ...variables, first, after }, schema, first * 4);
    } catch (err) {
      if (err instanceof CostExceededError && first > 1) {
        first = Math.max(1, Math.min(first - 1, Math.floor((first * err.maximum * 0.9) / err.requested)));
        continue;
      }
      throw err;
    }
    const conn = pick(data);
    if (!conn) return;
    yield conn.edges.map((e) => e.node);
    if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) return;
    after = conn.pageInfo.endCursor;
  }
}

export interface IncrementalContext {
  db: Db;
  client: ShopifyClient;
  currency: string;
  now: string;
  tally: WriteTally;
  /** Called after each written page with the records of that page. */
  onPage?: (count: number) => void;
}

const updatedSince = (since: string | null): string | null => (since ? `updated_at:>='${since}'` : null);
const later = (a: string | null, b: string): string => (a && Date.parse(a) >= Date.parse(b) ? a : b);

/** Variants (and their first inventory levels) changed since `since`. @returns the newest updatedAt seen. */
export async function syncVariantsSince(ctx: IncrementalContext, since: string | null): Promise<string | null> {
  let newest: string | null = null;
  const q = updatedSince(since);
  for await (const nodes of paginate(ctx.client, 'BackorderDeskVariants', VARIANTS_PAGE, { query: q }, variantsPageReply, (d) => d.productVariants, 100)) {
    const records: StitchedVariant[] = nodes.map((n) => ({
      variant: { ...n, inventoryItem: { id: n.inventoryItem.id, tracked: n.inventoryItem.tracked } },
      levels: n.inventoryItem.inventoryLevels.edges.map((e) => e.node),
    }));
    ctx.db.transaction(() => writeVariants(ctx.db, records, ctx.currency, ctx.now, ctx.tally)).immediate();
    for (const r of records) newest = later(newest, r.variant.updatedAt);
    ctx.onPage?.(records.length);
  }
  return newest;
}

/** Customers changed since `since`. @returns the newest updatedAt seen. */
export async function syncCustomersSince(ctx: IncrementalContext, since: string | null): Promise<string | null> {
  let newest: string | null = null;
  for await (const nodes of paginate(ctx.client, 'BackorderDeskCustomers', CUSTOMERS_PAGE, { query: updatedSince(since) }, customersPageReply, (d) => d.customers, 100)) {
    ctx.db.transaction(() => writeCustomers(ctx.db, nodes, ctx.now, ctx.tally)).immediate();
    for (const c of nodes) newest = later(newest, c.updatedAt);
    ctx.onPage?.(nodes.length);
  }
  return newest;
}

type FoNode = FulfillmentOrderRecord & { lineItems: Connection<FoLineRecord> };

/**
 * One fulfillment order with all its line items: the nested first page, then the rest by cursor
 * through the fulfillment order itself (Admin API 2026-04 `node(id:)` → FulfillmentOrder.lineItems).
 */
async function completeFo(ctx: IncrementalContext, n: FoNode): Promise<StitchedOrder['fulfillmentOrders'][number]> {
  const { lineItems, ...fo } = n;
  const lines = lineItems.edges.map((e) => e.node);
  if (lineItems.pageInfo.hasNextPage) {
    const rest = paginate(ctx.client, 'BackorderDeskFoLines', FO_LINES_PAGE, { id: n.id, after: lineItems.pageInfo.endCursor }, foLinesReply, (d) => d.node?.lineItems ?? null, 100);
    for await (const more of rest) lines.push(...more);
  }
  return { fo, lines };
}

/**
 * Orders changed since `since`, each complete: line items, fulfillment orders and their line items
 * beyond the nested page sizes (NESTED) are fetched by cursor before the order is written, so an
 * order is never stored with only its first page. @returns the newest updatedAt seen.
 */
export async function syncOrdersSince(ctx: IncrementalContext, since: string | null): Promise<string | null> {
  let newest: string | null = null;
  for await (const nodes of paginate(ctx.client, 'BackorderDeskOrders', ORDERS_PAGE, { query: updatedSince(since) }, ordersPageReply, (d) => d.orders, 50)) {
    const records: StitchedOrder[] = [];
    for (const n of nodes) {
      const { lineItems, fulfillmentOrders, ...order } = n;
      const lines: LineItemRecord[] = lineItems.edges.map((e) => e.node);
      if (lineItems.pageInfo.hasNextPage) {
        const rest = paginate(ctx.client, 'BackorderDeskOrderLines', ORDER_LINES_PAGE, { id: n.id, after: lineItems.pageInfo.endCursor }, orderLinesReply, (d) => d.node?.lineItems ?? null, 100);
        for await (const more of rest) lines.push(...more);
      }
      const foNodes: FoNode[] = fulfillmentOrders.edges.map((e) => e.node);
      if (fulfillmentOrders.pageInfo.hasNextPage) {
        const rest = paginate(ctx.client, 'BackorderDeskOrderFos', ORDER_FOS_PAGE, { id: n.id, after: fulfillmentOrders.pageInfo.endCursor }, orderFosReply, (d) => d.node?.fulfillmentOrders ?? null, 10);
        for await (const more of rest) foNodes.push(...more);
      }
      const fos: StitchedOrder['fulfillmentOrders'] = [];
      for (const f of foNodes) fos.push(await completeFo(ctx, f));
      records.push({ order, lines, fulfillmentOrders: fos });
    }
    ctx.db.transaction(() => writeOrders(ctx.db, records, ctx.now, ctx.tally)).immediate();
    for (const r of records) newest = later(newest, r.order.updatedAt);
    ctx.onPage?.(records.length);
  }
  return newest;
}

/** Inventory levels changed since `since`, location by location. @returns the newest updatedAt seen. */
export async function syncInventorySince(ctx: IncrementalContext, since: string | null): Promise<string | null> {
  let newest: string | null = null;
  const locations: { id: string; name: string }[] = [];
  for await (const nodes of paginate(ctx.client, 'BackorderDeskLocations', LOCATIONS_PAGE, {}, locationsReply, (d) => d.locations, 50)) locations.push(...nodes);
  const variantOf = ctx.db.prepare('SELECT variant_id FROM shopify_inventory_items WHERE inventory_item_id = ?').pluck();
  const variantKnown = ctx.db.prepare('SELECT 1 FROM variants WHERE id = ?').pluck();
  for (const loc of locations) {
    const pages = paginate(ctx.client, 'BackorderDeskLevels', LEVELS_PAGE, { location: loc.id, query: updatedSince(since) }, levelsReply, (d) => d.location?.inventoryLevels ?? null, 100);
    for await (const nodes of pages) {
      ctx.db.transaction(() => {
        for (const n of nodes) {
          const variantId = (variantOf.get(n.item.id) as string | undefined) ?? n.item.variant?.id ?? null;
          // A level of a variant not stored yet arrives with that variant's next sync.
          if (!variantId || variantKnown.get(variantId) === undefined) continue;
          writeLevel(ctx.db, variantId, n, ctx.now, ctx.tally);
        }
      }).immediate();
      for (const n of nodes) newest = later(newest, n.updatedAt);
      ctx.onPage?.(nodes.length);
    }
  }
  return newest;
}
