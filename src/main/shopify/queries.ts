/**
 * The GraphQL documents the app sends (Shopify Admin GraphQL API 2026-04). Field selections are
 * shared between the bulk queries (initial sync) and the paginated ones (incremental sync), so both
 * produce records of the same shape (schemas.ts). Operation names are stable: the fake Admin API of
 * the tests recognises operations by them.
 */

const VARIANT_FIELDS = `id sku title price inventoryPolicy updatedAt
  product { id title handle productType vendor tags }`;
const INVENTORY_LEVEL_FIELDS = `id updatedAt location { id name }
  quantities(names: ["available", "on_hand", "committed", "incoming"]) { name quantity }`;
const CUSTOMER_FIELDS = `id firstName lastName numberOfOrders tags updatedAt
  amountSpent { amount currencyCode }
  defaultEmailAddress { emailAddress marketingState }
  defaultPhoneNumber { phoneNumber marketingState }`;
const ORDER_FIELDS = `id name createdAt updatedAt cancelledAt email phone tags
  displayFinancialStatus displayFulfillmentStatus currencyCode
  totalPriceSet { shopMoney { amount currencyCode } }
  customer { id }
  fulfillments { id status createdAt trackingInfo { number company url } }`;
const LINE_ITEM_FIELDS = `id name sku quantity currentQuantity unfulfilledQuantity requiresShipping vendor
  variant { id }
  originalUnitPriceSet { shopMoney { amount currencyCode } }`;
const FULFILLMENT_ORDER_FIELDS = `id status updatedAt
  fulfillmentHolds { id reason handle heldByRequestingApp }`;
const FO_LINE_FIELDS = `id totalQuantity remainingQuantity lineItem { id }`;

/** Bulk query kinds, synced in this order (orders refer to customers and variants). */
export const BULK_KINDS = ['variants', 'customers', 'orders'] as const;
export type BulkKind = (typeof BULK_KINDS)[number];

/** Bulk operation documents (JSONL output, nested connections as rows with `__parentId`). */
export const BULK_QUERIES: Record<BulkKind, string> = {
  variants: `{ productVariants { edges { node { ${VARIANT_FIELDS}
    inventoryItem { id tracked inventoryLevels { edges { node { ${INVENTORY_LEVEL_FIELDS} } } } } } } } }`,
  customers: `{ customers { edges { node { ${CUSTOMER_FIELDS} } } } }`,
  orders: `{ orders { edges { node { ${ORDER_FIELDS}
    lineItems { edges { node { ${LINE_ITEM_FIELDS} } } }
    fulfillmentOrders { edges { node { ${FULFILLMENT_ORDER_FIELDS}
      lineItems { edges { node { ${FO_LINE_FIELDS} } } } } } } } } } }`,
};

export const SHOP_QUERY = `query BackorderDeskShop { shop { name currencyCode ianaTimezone } }`;

export const RUN_BULK = `mutation BackorderDeskRunBulk($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } } }`;

const BULK_FIELDS = `id status errorCode objectCount rootObjectCount url partialDataUrl createdAt completedAt query`;
export const POLL_BULK = `query BackorderDeskPollBulk($id: ID!) { node(id: $id) { ... on BulkOperation { ${BULK_FIELDS} } } }`;
export const CURRENT_BULK = `query BackorderDeskCurrentBulk { currentBulkOperation(type: QUERY) { ${BULK_FIELDS} } }`;

const PAGE = 'pageInfo { hasNextPage endCursor }';

/** Nested page sizes of the paginated queries (the top-level size adapts to the cost limit). */
export const NESTED = { inventoryLevels: 10, lineItems: 20, fulfillmentOrders: 3, foLines: 20 } as const;

export const VARIANTS_PAGE = `query BackorderDeskVariants($first: Int!, $after: String, $query: String) {
  productVariants(first: $first, after: $after, query: $query) { ${PAGE} edges { node { ${VARIANT_FIELDS}
    inventoryItem { id tracked inventoryLevels(first: ${NESTED.inventoryLevels}) { ${PAGE} edges { node { ${INVENTORY_LEVEL_FIELDS} } } } } } } } }`;

export const CUSTOMERS_PAGE = `query BackorderDeskCustomers($first: Int!, $after: String, $query: String) {
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) { ${PAGE} edges { node { ${CUSTOMER_FIELDS} } } } }`;

export const ORDERS_PAGE = `query BackorderDeskOrders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) { ${PAGE} edges { node { ${ORDER_FIELDS}
    lineItems(first: ${NESTED.lineItems}) { ${PAGE} edges { node { ${LINE_ITEM_FIELDS} } } }
    fulfillmentOrders(first: ${NESTED.fulfillmentOrders}) { ${PAGE} edges { node { ${FULFILLMENT_ORDER_FIELDS}
      lineItems(first: ${NESTED.foLines}) { ${PAGE} edges { node { ${FO_LINE_FIELDS} } } } } } } } } } }`;

/** The rest of one order's line items when they did not fit its page of ORDERS_PAGE. */
export const ORDER_LINES_PAGE = `query BackorderDeskOrderLines($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on Order { id lineItems(first: $first, after: $after) { ${PAGE} edges { node { ${LINE_ITEM_FIELDS} } } } } } }`;

/**
 * The rest of one order's fulfillment orders when they did not fit its page of ORDERS_PAGE (an order
 * split over many locations, or re-routed often), each with its first page of line items.
 */
export const ORDER_FOS_PAGE = `query BackorderDeskOrderFos($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on Order { id fulfillmentOrders(first: $first, after: $after) { ${PAGE} edges { node { ${FULFILLMENT_ORDER_FIELDS}
    lineItems(first: ${NESTED.foLines}) { ${PAGE} edges { node { ${FO_LINE_FIELDS} } } } } } } } } }`;

/** The rest of one fulfillment order's line items when they did not fit its nested page. */
export const FO_LINES_PAGE = `query BackorderDeskFoLines($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on FulfillmentOrder { id lineItems(first: $first, after: $after) { ${PAGE} edges { node { ${FO_LINE_FIELDS} } } } } } }`;

export const LOCATIONS_PAGE = `query BackorderDeskLocations($first: Int!, $after: String) {
  locations(first: $first, after: $after, includeInactive: true) { ${PAGE} edges { node { id name } } } }`;

/** Inventory levels of one location changed since a time (InventoryLevel `updated_at` filter). */
export const LEVELS_PAGE = `query BackorderDeskLevels($location: ID!, $first: Int!, $after: String, $query: String) {
  location(id: $location) { id inventoryLevels(first: $first, after: $after, query: $query) { ${PAGE} edges { node { ${INVENTORY_LEVEL_FIELDS}
    item { id variant { id } } } } } } }`;

/** Which of the given orders and variants still exist: a deleted one comes back as null. */
export const NODES_QUERY = `query BackorderDeskNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }`;

export const TAGS_ADD = `mutation BackorderDeskTagsAdd($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;
export const TAGS_REMOVE = `mutation BackorderDeskTagsRemove($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;
export const METAFIELDS_SET = `mutation BackorderDeskMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { id key namespace value } userErrors { field message code } } }`;
export const METAFIELDS_DELETE = `mutation BackorderDeskMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
  metafieldsDelete(metafields: $metafields) { deletedMetafields { ownerId namespace key } userErrors { field message } } }`;
export const FO_HOLD = `mutation BackorderDeskHold($id: ID!, $hold: FulfillmentOrderHoldInput!) {
  fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) { fulfillmentHold { id handle reason } fulfillmentOrder { id status } userErrors { field message code } } }`;
export const FO_RELEASE = `mutation BackorderDeskRelease($id: ID!, $holdIds: [ID!]) {
  fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) { fulfillmentOrder { id status } userErrors { field message code } } }`;
export const FO_HOLDS = `query BackorderDeskFoHolds($id: ID!) { fulfillmentOrder(id: $id) { id status fulfillmentHolds { id reason handle heldByRequestingApp } } }`;

/**
 * Cancel and refund in full (Admin API 2026-04 `orderCancel`, needs write_orders): the refund goes to
 * the original payment methods (`refundMethod`, which replaced the deprecated `refund` flag), items
 * are restocked. Shopify cancels in a background job, returned here and polled with JOB_QUERY.
 */
export const ORDER_CANCEL = `mutation BackorderDeskOrderCancel($orderId: ID!, $notifyCustomer: Boolean, $refundMethod: OrderCancelRefundMethodInput!, $restock: Boolean!, $reason: OrderCancelReason!, $staffNote: String) {
  orderCancel(orderId: $orderId, notifyCustomer: $notifyCustomer, refundMethod: $refundMethod, restock: $restock, reason: $reason, staffNote: $staffNote) {
    job { id done } orderCancelUserErrors { field message code } } }`;
export const JOB_QUERY = `query BackorderDeskJob($id: ID!) { job(id: $id) { id done } }`;
/** Whether an order is cancelled already (before cancelling, and to settle an unclear answer). */
export const ORDER_STATE = `query BackorderDeskOrderState($id: ID!) { order(id: $id) { id cancelledAt displayFinancialStatus } }`;
