/**
 * zod schemas of the Admin API replies the app reads (Shopify Admin GraphQL API 2026-04 objects
 * ProductVariant, InventoryLevel, Customer, Order, LineItem, FulfillmentOrder,
 * FulfillmentOrderLineItem, Fulfillment, BulkOperation). Only the selected fields are checked;
 * unknown fields are ignored. A record that fails is refused with the field named (shape.ts), and
 * the sync stores nothing from that reply.
 *
 * The base record schemas carry no connections: in bulk JSONL a nested connection's nodes are
 * separate rows with `__parentId`; in paginated replies they come nested. Both end as the same
 * stitched records (Stitched*).
 */
import { z } from 'zod';

const gid = (type: string): z.ZodString => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+(\\?.*)?$`), `expected a ${type} GID`);
const instant = z.iso.datetime({ offset: true });
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal amount');
const moneyBag = z.object({ shopMoney: z.object({ amount: decimal, currencyCode: z.string().length(3) }) });
/** UnsignedInt64 comes as a string in JSON. */
const uint64 = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => Number(v));

export const pageInfoSchema = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

export const variantSchema = z.object({
  id: gid('ProductVariant'),
  sku: z.string().nullable(),
  title: z.string(),
  price: decimal,
  inventoryPolicy: z.enum(['DENY', 'CONTINUE']),
  updatedAt: instant,
  product: z.object({
    id: gid('Product'),
    title: z.string(),
    handle: z.string(),
    productType: z.string(),
    vendor: z.string(),
    tags: z.array(z.string()),
  }),
  inventoryItem: z.object({ id: gid('InventoryItem'), tracked: z.boolean() }),
});
export type VariantRecord = z.output<typeof variantSchema>;

export const levelSchema = z.object({
  id: gid('InventoryLevel'),
  updatedAt: instant,
  location: z.object({ id: gid('Location'), name: z.string() }),
  quantities: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
});
export type LevelRecord = z.output<typeof levelSchema>;

const consent = z.enum(['SUBSCRIBED', 'NOT_SUBSCRIBED', 'PENDING', 'UNSUBSCRIBED', 'REDACTED', 'INVALID']);
export const customerSchema = z.object({
  id: gid('Customer'),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  numberOfOrders: uint64,
  tags: z.array(z.string()),
  updatedAt: instant,
  amountSpent: z.object({ amount: decimal, currencyCode: z.string().length(3) }),
  defaultEmailAddress: z.object({ emailAddress: z.string().nullable(), marketingState: consent }).nullable(),
  defaultPhoneNumber: z.object({ phoneNumber: z.string(), marketingState: consent }).nullable(),
});
export type CustomerRecord = z.output<typeof customerSchema>;

export const fulfillmentSchema = z.object({
  id: gid('Fulfillment'),
  status: z.string(),
  createdAt: instant,
  trackingInfo: z.array(z.object({ number: z.string().nullable(), company: z.string().nullable(), url: z.string().nullable() })),
});

export const orderSchema = z.object({
  id: gid('Order'),
  name: z.string().min(1),
  createdAt: instant,
  updatedAt: instant,
  cancelledAt: instant.nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  tags: z.array(z.string()),
  displayFinancialStatus: z.string().nullable(),
  displayFulfillmentStatus: z.string(),
  currencyCode: z.string().length(3),
  totalPriceSet: moneyBag,
  customer: z.object({ id: gid('Customer') }).nullable(),
  fulfillments: z.array(fulfillmentSchema),
});
export type OrderRecord = z.output<typeof orderSchema>;

export const lineItemSchema = z.object({
  id: gid('LineItem'),
  name: z.string(),
  sku: z.string().nullable(),
  quantity: z.number().int().nonnegative(),
  currentQuantity: z.number().int().nonnegative(),
  unfulfilledQuantity: z.number().int().nonnegative(),
  requiresShipping: z.boolean(),
  vendor: z.string().nullable(),
  variant: z.object({ id: gid('ProductVariant') }).nullable(),
  originalUnitPriceSet: moneyBag,
});
export type LineItemRecord = z.output<typeof lineItemSchema>;

export const fulfillmentOrderSchema = z.object({
  id: gid('FulfillmentOrder'),
  status: z.string(),
  updatedAt: instant,
  fulfillmentHolds: z.array(z.object({ id: gid('FulfillmentHold'), reason: z.string(), handle: z.string().nullable(), heldByRequestingApp: z.boolean() })),
});
export type FulfillmentOrderRecord = z.output<typeof fulfillmentOrderSchema>;

export const foLineSchema = z.object({
  id: gid('FulfillmentOrderLineItem'),
  totalQuantity: z.number().int().nonnegative(),
  remainingQuantity: z.number().int().nonnegative(),
  lineItem: z.object({ id: gid('LineItem') }),
});
export type FoLineRecord = z.output<typeof foLineSchema>;

/** A variant with its inventory levels. */
export interface StitchedVariant {
  variant: VariantRecord;
  levels: LevelRecord[];
}
/** An order with its line items and fulfillment orders (each with its line items). */
export interface StitchedOrder {
  order: OrderRecord;
  lines: LineItemRecord[];
  fulfillmentOrders: { fo: FulfillmentOrderRecord; lines: FoLineRecord[] }[];
}

export const bulkOperationSchema = z.object({
  id: gid('BulkOperation'),
  status: z.enum(['CANCELED', 'CANCELING', 'COMPLETED', 'CREATED', 'EXPIRED', 'FAILED', 'RUNNING']),
  errorCode: z.string().nullable(),
  objectCount: uint64,
  rootObjectCount: uint64,
  url: z.string().nullable(),
  partialDataUrl: z.string().nullable(),
  createdAt: instant,
  completedAt: instant.nullable(),
  query: z.string(),
});
export type BulkOperation = z.output<typeof bulkOperationSchema>;

const userErrors = z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string(), code: z.string().nullish() }));
export const runBulkReply = z.object({
  bulkOperationRunQuery: z.object({ bulkOperation: z.object({ id: gid('BulkOperation'), status: z.string() }).nullable(), userErrors }),
});
export const pollBulkReply = z.object({ node: bulkOperationSchema.nullable() });
export const currentBulkReply = z.object({ currentBulkOperation: bulkOperationSchema.nullable() });
export const shopReply = z.object({ shop: z.object({ name: z.string(), currencyCode: z.string().length(3), ianaTimezone: z.string() }) });

const connection = <T extends z.ZodType>(node: T) => z.object({ pageInfo: pageInfoSchema, edges: z.array(z.object({ node })) });

const foWithLines = fulfillmentOrderSchema.extend({ lineItems: connection(foLineSchema) });

export const variantsPageReply = z.object({
  productVariants: connection(
    variantSchema.extend({ inventoryItem: variantSchema.shape.inventoryItem.extend({ inventoryLevels: connection(levelSchema) }) }),
  ),
});
export const customersPageReply = z.object({ customers: connection(customerSchema) });
export const ordersPageReply = z.object({
  orders: connection(
    orderSchema.extend({
      lineItems: connection(lineItemSchema),
      fulfillmentOrders: connection(foWithLines),
    }),
  ),
});
export const orderFosReply = z.object({ node: z.object({ id: gid('Order'), fulfillmentOrders: connection(foWithLines) }).nullable() });
export const foLinesReply = z.object({ node: z.object({ id: gid('FulfillmentOrder'), lineItems: connection(foLineSchema) }).nullable() });
export const orderLinesReply = z.object({ node: z.object({ id: gid('Order'), lineItems: connection(lineItemSchema) }).nullable() });
export const locationsReply = z.object({ locations: connection(z.object({ id: gid('Location'), name: z.string() })) });
export const levelsReply = z.object({
  location: z
    .object({
      id: gid('Location'),
      inventoryLevels: connection(levelSchema.extend({ item: z.object({ id: gid('InventoryItem'), variant: z.object({ id: gid('ProductVariant') }).nullable() }) })),
    })
    .nullable(),
});

const tagsPayload = z.object({ node: z.object({ id: z.string() }).nullable(), userErrors });
export const tagsAddReply = z.object({ tagsAdd: tagsPayload });
export const tagsRemoveReply = z.object({ tagsRemove: tagsPayload });
export const metafieldsSetReply = z.object({ metafieldsSet: z.object({ metafields: z.array(z.object({ id: z.string() })).nullable(), userErrors }) });
export const metafieldsDeleteReply = z.object({
  metafieldsDelete: z.object({ deletedMetafields: z.array(z.object({ ownerId: z.string(), namespace: z.string(), key: z.string() }).nullable()).nullable(), userErrors }),
});
export const holdReply = z.object({
  fulfillmentOrderHold: z.object({ fulfillmentHold: z.object({ id: gid('FulfillmentHold'), handle: z.string().nullable() }).nullable(), userErrors }),
});
export const releaseReply = z.object({ fulfillmentOrderReleaseHold: z.object({ fulfillmentOrder: z.object({ id: z.string(), status: z.string() }).nullable(), userErrors }) });
export const foHoldsReply = z.object({
  fulfillmentOrder: z.object({ id: z.string(), status: z.string(), fulfillmentHolds: fulfillmentOrderSchema.shape.fulfillmentHolds }).nullable(),
});

const job = z.object({ id: gid('Job'), done: z.boolean() });
export const orderCancelReply = z.object({ orderCancel: z.object({ job: job.nullable(), orderCancelUserErrors: userErrors }) });
export const jobReply = z.object({ job: job.nullable() });
export const orderStateReply = z.object({ order: z.object({ id: gid('Order'), cancelledAt: instant.nullable(), displayFinancialStatus: z.string().nullable() }).nullable() });
