/**
 * A fake Shopify Admin API on 127.0.0.1 (node:http) for tests and the bench, speaking the
 * documented wire format of the operations the app sends (Shopify Admin GraphQL API 2026-04):
 *
 * - POST /admin/api/<version>/graphql.json with `X-Shopify-Access-Token`; 401 for an unknown token.
 *   Operations are recognised by their operation name (the app's documents in
 *   src/main/shopify/queries.ts); there is no general GraphQL parser.
 * - every reply carries `extensions.cost` {requestedQueryCost, actualQueryCost, throttleStatus}; a
 *   leaky bucket (maximumAvailable, restoreRate) answers THROTTLED when a request costs more than is
 *   available, and MAX_COST_EXCEEDED when it costs more than `maxSingleCost`. Cost follows Shopify's
 *   rule: objects 1, connections 2 + first × node cost.
 * - cursor pagination (`first`/`after`, pageInfo.endCursor) and the `updated_at:>='…'` search filter,
 *   nested connections cut at the app's nested page sizes and continued through `node(id:)`;
 * - bulk operations: bulkOperationRunQuery → CREATED → RUNNING → COMPLETED after `bulkPolls` polls
 *   (or held while `holdBulk`), JSONL served by this server (nested connection nodes as their own
 *   lines with `__parentId`), FAILED with a `partialDataUrl` when asked, "already in progress" while
 *   one runs, currentBulkOperation;
 * - orderCancel (typed variables checked, orderCancelUserErrors, a background Job polled with
 *   job(id:) that cancels, refunds and restocks), and order(id:) { cancelledAt };
 * - nodes(ids:), null for each id of an object no longer in the data (a deleted order or variant);
 * - POST /admin/oauth/access_token (client credentials grant) with expiring tokens;
 * - write-back mutations: tagsAdd, tagsRemove, metafieldsSet, metafieldsDelete, fulfillmentOrderHold,
 *   fulfillmentOrderReleaseHold, and fulfillmentOrder(id) holds.
 * - fault injection: with probability `faults.rate` a request gets 500/502/503, 429 with
 *   Retry-After, a THROTTLED reply, a reset connection, no answer at all (a timeout), or — for
 *   mutations — is carried out and then left unanswered; JSONL downloads may be cut off mid-file.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NESTED } from '../../src/main/shopify/queries';

export interface FakeLevel { locationId: string; available: number; onHand: number; committed: number; incoming: number; updatedAt: string }
export interface FakeVariant {
  id: string; sku: string | null; title: string; price: string; inventoryPolicy: 'DENY' | 'CONTINUE'; updatedAt: string;
  product: { id: string; title: string; handle: string; productType: string; vendor: string; tags: string[] };
  inventoryItemId: string; tracked: boolean; levels: FakeLevel[];
}
export interface FakeCustomer {
  id: string; firstName: string | null; lastName: string | null; numberOfOrders: number; tags: string[]; updatedAt: string;
  amountSpent: string; email: string | null; emailState: string; phone: string | null; smsState: string;
}
export interface FakeLine {
  id: string; name: string; sku: string | null; quantity: number; currentQuantity: number; unfulfilledQuantity: number;
  requiresShipping: boolean; vendor: string | null; variantId: string | null; price: string;
}
export interface FakeHold { id: string; reason: string; handle: string | null; heldByApp: boolean }
export interface FakeFo { id: string; status: string; updatedAt: string; holds: FakeHold[]; lines: { id: string; total: number; remaining: number; lineItemId: string }[] }
export interface FakeFulfillment { id: string; status: string; createdAt: string; tracking: { number: string | null; company: string | null; url: string | null }[] }
export interface FakeOrder {
  id: string; name: string; createdAt: string; updatedAt: string; cancelledAt: string | null; email: string | null; phone: string | null;
  tags: string[]; financialStatus: string; fulfillmentStatus: string; currency: string; total: string; customerId: string | null;
  lines: FakeLine[]; fulfillmentOrders: FakeFo[]; fulfillments: FakeFulfillment[]; metafields: Record<string, string>;
}
export interface FakeData {
  currency: string;
  locations: { id: string; name: string }[];
  variants: FakeVariant[];
  customers: FakeCustomer[];
  orders: FakeOrder[];
}

export type FaultKind = '500' | '502' | '503' | '429' | 'throttled' | 'reset' | 'hang' | 'process-then-hang';
export interface FakeOptions {
  shop?: string;
  version?: string;
  accessToken?: string;
  clientId?: string;
  clientSecret?: string;
  tokenTtlSec?: number;
  bucket?: { max: number; restoreRate: number };
  maxSingleCost?: number;
  bulkPolls?: number;
  faults?: { rate: number; seed: number; kinds?: FaultKind[] };
}

interface BulkOp {
  id: string; kind: 'variants' | 'customers' | 'orders'; status: string; query: string; createdAt: string; completedAt: string | null;
  polls: number; failAfterRows: number | null; rows: number;
}

/** A request whose variables do not fit the operation's types (answered as GraphQL errors). */
class GraphqlInputError extends Error {}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * A deterministic store: `variants` variants over 2 locations (a third of them CONTINUE and
 * oversold), `customers` customers, `orders` orders of 1–3 lines each, some fulfilled with tracking.
 */
export function generateStore(sizes: { orders: number; variants: number; customers: number; seed?: number }): FakeData {
  const r = rng(sizes.seed ?? 1);
  const base = Date.parse('2026-03-01T00:00:00Z');
  const locations = [
    { id: 'gid://shopify/Location/905684977', name: 'Warehouse' },
    { id: 'gid://shopify/Location/905684978', name: 'Shop floor' },
  ];
  const variants: FakeVariant[] = [];
  for (let i = 0; i < sizes.variants; i++) {
    const continueSelling = i % 3 === 0;
    const onHand = continueSelling ? Math.floor(r() * 3) : 5 + Math.floor(r() * 50);
    variants.push({
      id: `gid://shopify/ProductVariant/${40000000 + i}`,
      sku: `SKU-${i}`,
      title: i % 4 === 0 ? 'Default Title' : `Size ${['S', 'M', 'L'][i % 3]}`,
      price: `${10 + (i % 40)}.${i % 2 ? '99' : '00'}`,
      inventoryPolicy: continueSelling ? 'CONTINUE' : 'DENY',
      updatedAt: iso(base - 86_400_000 + i * 1000),
      product: { id: `gid://shopify/Product/${7000000 + Math.floor(i / 2)}`, title: `Product ${Math.floor(i / 2)}`, handle: `product-${Math.floor(i / 2)}`, productType: 'Gear', vendor: `Vendor ${i % 5}`, tags: i % 2 ? ['outdoor'] : [] },
      inventoryItemId: `gid://shopify/InventoryItem/${80000000 + i}`,
      tracked: true,
      levels: locations.map((l, k) => ({ locationId: l.id, available: k === 0 ? onHand : 0, onHand: k === 0 ? onHand : 0, committed: 0, incoming: continueSelling ? 10 : 0, updatedAt: iso(base - 86_400_000 + i * 1000) })),
    });
  }
  const customers: FakeCustomer[] = [];
  for (let i = 0; i < sizes.customers; i++) {
    customers.push({
      id: `gid://shopify/Customer/${115310000 + i}`,
      firstName: `First${i}`, lastName: `Last${i}`, numberOfOrders: 0, tags: i % 7 === 0 ? ['VIP'] : [],
      updatedAt: iso(base - 3_600_000 + i * 1000), amountSpent: '0.00',
      email: `customer${i}@example.com`, emailState: i % 2 ? 'SUBSCRIBED' : 'NOT_SUBSCRIBED',
      phone: i % 3 === 0 ? `+1555${String(1000000 + i).slice(-7)}` : null, smsState: 'NOT_SUBSCRIBED',
    });
  }
  const orders: FakeOrder[] = [];
  let lineSeq = 1;
  for (let i = 0; i < sizes.orders; i++) {
    const c = customers.length ? customers[i % customers.length]! : null;
    const created = base + i * 60_000;
    const nLines = 1 + Math.floor(r() * 3);
    const lines: FakeLine[] = [];
    let total = 0;
    const fulfilled = i % 5 === 0;
    for (let k = 0; k < nLines; k++) {
      const v = variants[Math.floor(r() * variants.length)]!;
      const q = 1 + Math.floor(r() * 2);
      lines.push({
        id: `gid://shopify/LineItem/${1000000 + lineSeq++}`, name: `${v.product.title}${v.title === 'Default Title' ? '' : ` - ${v.title}`}`, sku: v.sku,
        quantity: q, currentQuantity: q, unfulfilledQuantity: fulfilled ? 0 : q, requiresShipping: true, vendor: v.product.vendor, variantId: v.id, price: v.price,
      });
      total += q * Number(v.price);
    }
    const oid = 450789469 + i;
    const foId = `gid://shopify/FulfillmentOrder/${519788021 + i}`;
    orders.push({
      id: `gid://shopify/Order/${oid}`, name: `#${1001 + i}`, createdAt: iso(created), updatedAt: iso(created + 1000), cancelledAt: null,
      email: c?.email ?? null, phone: null, tags: [], financialStatus: 'PAID', fulfillmentStatus: fulfilled ? 'FULFILLED' : 'UNFULFILLED', currency: 'USD',
      total: total.toFixed(2), customerId: c?.id ?? null,
      lines,
      fulfillmentOrders: [{ id: foId, status: fulfilled ? 'CLOSED' : 'OPEN', updatedAt: iso(created + 1000), holds: [], lines: lines.map((l, k) => ({ id: `gid://shopify/FulfillmentOrderLineItem/${(oid % 1_000_000) * 10 + k}`, total: l.quantity, remaining: l.unfulfilledQuantity, lineItemId: l.id })) }],
      fulfillments: fulfilled ? [{ id: `gid://shopify/Fulfillment/${255858046 + i}`, status: 'SUCCESS', createdAt: iso(created + 3_600_000), tracking: [{ number: `1Z${1000 + i}`, company: 'UPS', url: `https://www.ups.com/track?tracknum=1Z${1000 + i}` }] }] : [],
      metafields: {},
    });
    if (c) {
      c.numberOfOrders++;
      c.amountSpent = (Number(c.amountSpent) + total).toFixed(2);
    }
  }
  return { currency: 'USD', locations, variants, customers, orders };
}

// --- serialisation to the Admin API's GraphQL shapes -------------------------------------------

function variantNode(v: FakeVariant): Record<string, unknown> {
  return {
    id: v.id, sku: v.sku, title: v.title, price: v.price, inventoryPolicy: v.inventoryPolicy, updatedAt: v.updatedAt,
    product: v.product, inventoryItem: { id: v.inventoryItemId, tracked: v.tracked },
  };
}
function levelNode(d: FakeData, v: FakeVariant, l: FakeLevel): Record<string, unknown> {
  const loc = d.locations.find((x) => x.id === l.locationId)!;
  return {
    id: `gid://shopify/InventoryLevel/${loc.id.split('/').pop()}?inventory_item_id=${v.inventoryItemId.split('/').pop()}`,
    updatedAt: l.updatedAt, location: { id: loc.id, name: loc.name },
    quantities: [
      { name: 'available', quantity: l.available }, { name: 'on_hand', quantity: l.onHand },
      { name: 'committed', quantity: l.committed }, { name: 'incoming', quantity: l.incoming },
    ],
  };
}
function customerNode(c: FakeCustomer): Record<string, unknown> {
  return {
    id: c.id, firstName: c.firstName, lastName: c.lastName, numberOfOrders: String(c.numberOfOrders), tags: c.tags, updatedAt: c.updatedAt,
    amountSpent: { amount: c.amountSpent, currencyCode: 'USD' },
    defaultEmailAddress: c.email ? { emailAddress: c.email, marketingState: c.emailState } : null,
    defaultPhoneNumber: c.phone ? { phoneNumber: c.phone, marketingState: c.smsState } : null,
  };
}
function orderNode(o: FakeOrder): Record<string, unknown> {
  return {
    id: o.id, name: o.name, createdAt: o.createdAt, updatedAt: o.updatedAt, cancelledAt: o.cancelledAt, email: o.email, phone: o.phone, tags: o.tags,
    displayFinancialStatus: o.financialStatus, displayFulfillmentStatus: o.fulfillmentStatus, currencyCode: o.currency,
    totalPriceSet: { shopMoney: { amount: o.total, currencyCode: o.currency } },
    customer: o.customerId ? { id: o.customerId } : null,
    fulfillments: o.fulfillments.map((f) => ({ id: f.id, status: f.status, createdAt: f.createdAt, trackingInfo: f.tracking })),
  };
}
function lineNode(l: FakeLine): Record<string, unknown> {
  return {
    id: l.id, name: l.name, sku: l.sku, quantity: l.quantity, currentQuantity: l.currentQuantity, unfulfilledQuantity: l.unfulfilledQuantity,
    requiresShipping: l.requiresShipping, vendor: l.vendor, variant: l.variantId ? { id: l.variantId } : null,
    originalUnitPriceSet: { shopMoney: { amount: l.price, currencyCode: 'USD' } },
  };
}
function foNode(f: FakeFo): Record<string, unknown> {
  return { id: f.id, status: f.status, updatedAt: f.updatedAt, fulfillmentHolds: f.holds.map((h) => ({ id: h.id, reason: h.reason, handle: h.handle, heldByRequestingApp: h.heldByApp })) };
}
function foLineNode(l: FakeFo['lines'][number]): Record<string, unknown> {
  return { id: l.id, totalQuantity: l.total, remainingQuantity: l.remaining, lineItem: { id: l.lineItemId } };
}

/** All JSONL lines of a bulk kind, in Shopify's order (children after their parent). Exported for the bench. */
export function* jsonlRows(d: FakeData, kind: BulkOp['kind']): Generator<string> {
  if (kind === 'variants') {
    for (const v of d.variants) {
      yield JSON.stringify(variantNode(v));
      for (const l of v.levels) yield JSON.stringify({ ...levelNode(d, v, l), __parentId: v.id });
    }
  } else if (kind === 'customers') {
    for (const c of d.customers) yield JSON.stringify(customerNode(c));
  } else {
    for (const o of d.orders) {
      yield JSON.stringify(orderNode(o));
      for (const l of o.lines) yield JSON.stringify({ ...lineNode(l), __parentId: o.id });
      for (const f of o.fulfillmentOrders) {
        yield JSON.stringify({ ...foNode(f), __parentId: o.id });
        for (const fl of f.lines) yield JSON.stringify({ ...foLineNode(fl), __parentId: f.id });
      }
    }
  }
}

function page<T>(items: T[], first: number, after: string | null): { slice: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } {
  const start = after ? Number(Buffer.from(after, 'base64').toString('utf8').replace('offset:', '')) : 0;
  const slice = items.slice(start, start + first);
  const end = start + slice.length;
  return { slice, pageInfo: { hasNextPage: end < items.length, endCursor: slice.length ? Buffer.from(`offset:${end}`).toString('base64') : null } };
}
const conn = <T>(items: T[], first: number, after: string | null, map: (x: T) => unknown): Record<string, unknown> => {
  const p = page(items, first, after);
  return { pageInfo: p.pageInfo, edges: p.slice.map((x) => ({ node: map(x) })) };
};

function since(query: unknown): number | null {
  if (typeof query !== 'string') return null;
  const m = /updated_at:>='([^']+)'/.exec(query);
  return m ? Date.parse(m[1]!) : null;
}
const byUpdated = <T extends { updatedAt: string; id: string }>(list: T[], from: number | null): T[] =>
  list.filter((x) => from === null || Date.parse(x.updatedAt) >= from).sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || a.id.localeCompare(b.id));

/** Requested cost of an operation (Shopify: object 1, connection 2 + first × node). */
function costOf(op: string, v: Record<string, unknown>): number {
  const first = typeof v.first === 'number' ? v.first : 1;
  const conn = (n: number, node: number): number => 2 + n * node;
  switch (op) {
    case 'BackorderDeskVariants': return conn(first, 3 + conn(NESTED.inventoryLevels, 2));
    case 'BackorderDeskCustomers': return conn(first, 4);
    case 'BackorderDeskOrders': return conn(first, 3 + conn(NESTED.lineItems, 3) + conn(NESTED.fulfillmentOrders, 2 + conn(NESTED.foLines, 2)));
    case 'BackorderDeskOrderLines': return 1 + conn(first, 3);
    case 'BackorderDeskNodes': return Array.isArray(v.ids) ? v.ids.length : 1;
    case 'BackorderDeskOrderFos': return 1 + conn(first, 2 + conn(NESTED.foLines, 2));
    case 'BackorderDeskFoLines': return 1 + conn(first, 2);
    case 'BackorderDeskLocations': return conn(first, 1);
    case 'BackorderDeskLevels': return 1 + conn(first, 4);
    default: return op.startsWith('BackorderDesk') && /Hold|Release|Tags|Metafields|RunBulk|Cancel/.test(op) ? 10 : 1;
  }
}

/** The fake server. */
export class FakeShopify {
  readonly shop: string;
  readonly version: string;
  data: FakeData;
  origin = '';
  /** Every GraphQL operation received, with the fault injected if any. */
  readonly log: { op: string; fault: FaultKind | null; variables: Record<string, unknown> }[] = [];
  readonly bulkOps: BulkOp[] = [];
  holdBulk = false;
  /** Make the next bulk operation of this kind fail after this many JSONL rows (partial data). */
  failNextBulk: { kind: BulkOp['kind']; afterRows: number } | null = null;
  faults: { rate: number; rand: () => number; kinds: FaultKind[] } | null = null;
  /** orderCancel calls accepted, with their options. */
  readonly cancellations: { orderId: string; notifyCustomer: boolean; refundToOriginal: boolean; restock: boolean; reason: string }[] = [];
  /** Background jobs of orderCancel (run at the first look: a job poll or the order's state). */
  readonly cancelJobs: { id: string; orderId: string; done: boolean }[] = [];
  /** The next request of this operation is carried out but never answered (the client times out). */
  loseAnswerOf: string | null = null;
  /** When set, orderCancel refuses with this userError message (e.g. a pending payment). */
  refuseCancel: string | null = null;
  /** Changes a GraphQL reply's `data` before it is sent (tests of malformed replies). */
  replyHook: ((op: string, data: unknown) => unknown) | null = null;
  /** Changes a JSONL line before it is sent (tests of malformed bulk results). */
  jsonlHook: ((line: string, index: number) => string) | null = null;
  private opts: Required<Omit<FakeOptions, 'faults'>>;
  private bucket: { level: number; atMs: number };
  private readonly tokens = new Map<string, number>();
  private server: http.Server | null = null;
  private seq = 1;

  constructor(data: FakeData, options: FakeOptions = {}) {
    this.data = data;
    this.opts = {
      shop: 'test-shop.myshopify.com', version: '2026-04', accessToken: 'shpat_test_token', clientId: 'client-id', clientSecret: 'client-secret',
      tokenTtlSec: 86_399, bucket: { max: 2000, restoreRate: 100_000 }, maxSingleCost: 1000, bulkPolls: 2, ...options,
    };
    this.shop = this.opts.shop;
    this.version = this.opts.version;
    this.bucket = { level: this.opts.bucket.max, atMs: Date.now() };
    this.tokens.set(this.opts.accessToken, Number.POSITIVE_INFINITY);
    if (options.faults) this.setFaults(options.faults.rate, options.faults.seed, options.faults.kinds);
  }

  setFaults(rate: number, seed = 7, kinds: FaultKind[] = ['500', '502', '503', '429', 'throttled', 'reset', 'hang', 'process-then-hang']): void {
    this.faults = rate > 0 ? { rate, rand: rng(seed), kinds } : null;
  }

  setBucket(max: number, restoreRate: number): void {
    this.opts.bucket = { max, restoreRate };
    this.bucket = { level: max, atMs: Date.now() };
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
    this.server = null;
  }

  ops(name: string): number {
    return this.log.filter((l) => l.op === name && l.fault === null).length;
  }

  private nextId(type: string): string {
    return `gid://shopify/${type}/${900000000 + this.seq++}`;
  }

  /** Requests of any kind (GraphQL, token, JSONL) and how many of them got a fault. */
  readonly traffic = { requests: 0, faults: 0 };

  private pickFault(): FaultKind | null {
    this.traffic.requests++;
    if (!this.faults || this.faults.rand() >= this.faults.rate) return null;
    this.traffic.faults++;
    const k = this.faults.kinds;
    return k[Math.floor(this.faults.rand() * k.length)]!;
  }

  private available(): number {
    const now = Date.now();
    const b = this.opts.bucket;
    this.bucket.level = Math.min(b.max, this.bucket.level + ((now - this.bucket.atMs) / 1000) * b.restoreRate);
    this.bucket.atMs = now;
    return this.bucket.level;
  }

  private throttleStatus(): Record<string, number> {
    return { maximumAvailable: this.opts.bucket.max, currentlyAvailable: Math.floor(this.available()), restoreRate: this.opts.bucket.restoreRate };
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private async body(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private failHttp(res: http.ServerResponse, fault: FaultKind): boolean {
    switch (fault) {
      case '500': case '502': case '503':
        this.json(res, Number(fault), { errors: 'Internal Server Error' });
        return true;
      case '429':
        this.json(res, 429, { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, { 'Retry-After': '0.05' });
        return true;
      case 'reset':
        res.socket?.destroy();
        return true;
      case 'hang':
        return true; // never answered: the client's deadline fires
      default:
        return false;
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    try {
      if (req.method === 'POST' && url.pathname === '/admin/oauth/access_token') return await this.token(req, res);
      if (req.method === 'GET' && url.pathname.startsWith('/bulk/')) return this.serveJsonl(url, res);
      if (req.method === 'POST' && url.pathname === `/admin/api/${this.version}/graphql.json`) return await this.graphql(req, res);
      this.json(res, 404, { errors: 'Not Found' });
    } catch (err) {
      this.json(res, 500, { errors: String(err) });
    }
  }

  private async token(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await this.body(req);
    const fault = this.pickFault();
    if (fault && fault !== 'throttled' && fault !== 'process-then-hang' && this.failHttp(res, fault)) return;
    const b = JSON.parse(raw) as { client_id?: string; client_secret?: string; grant_type?: string };
    if (b.grant_type !== 'client_credentials' || b.client_id !== this.opts.clientId || b.client_secret !== this.opts.clientSecret) {
      this.json(res, 400, { error: 'invalid_client', error_description: 'Client authentication failed.' });
      return;
    }
    const token = `shpat_cc_${this.seq++}`;
    this.tokens.set(token, Date.now() + this.opts.tokenTtlSec * 1000);
    this.json(res, 200, { access_token: token, scope: 'read_orders,read_products', expires_in: this.opts.tokenTtlSec });
  }

  /** Tokens issued by the client credentials grant so far. */
  get issuedTokens(): number {
    return [...this.tokens.keys()].filter((t) => t.startsWith('shpat_cc_')).length;
  }

  private serveJsonl(url: URL, res: http.ServerResponse): void {
    const m = /^\/bulk\/(.+?)(-partial)?\.jsonl$/.exec(url.pathname);
    const op = this.bulkOps.find((o) => o.id.split('/').pop() === m?.[1]);
    if (!op) return this.json(res, 404, { errors: 'Not Found' });
    const fault = this.pickFault();
    if (fault && fault !== 'throttled' && fault !== 'process-then-hang' && fault !== 'reset' && this.failHttp(res, fault)) return;
    const limit = m?.[2] ? (op.failAfterRows ?? 0) : Number.POSITIVE_INFINITY;
    const cutAt = fault === 'reset' ? Math.max(1, Math.floor(op.rows / 2)) : Number.POSITIVE_INFINITY;
    res.writeHead(200, { 'Content-Type': 'application/jsonl' });
    let n = 0;
    let buf = '';
    for (const line of jsonlRows(this.data, op.kind)) {
      if (n >= limit) break;
      if (n >= cutAt) {
        res.write(buf + line.slice(0, 10));
        res.socket?.destroy();
        return;
      }
      buf += (this.jsonlHook ? this.jsonlHook(line, n) : line) + '\n';
      n++;
      if (buf.length > 1 << 16) {
        res.write(buf);
        buf = '';
      }
    }
    res.end(buf);
  }

  private async graphql(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await this.body(req);
    const token = req.headers['x-shopify-access-token'];
    const expiry = typeof token === 'string' ? this.tokens.get(token) : undefined;
    if (expiry === undefined || expiry < Date.now()) {
      this.json(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      return;
    }
    const { query, variables = {} } = JSON.parse(raw) as { query: string; variables?: Record<string, unknown> };
    const op = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    const fault = this.pickFault();
    this.log.push({ op, fault, variables });
    if (fault && fault !== 'throttled' && fault !== 'process-then-hang' && this.failHttp(res, fault)) return;

    const requested = costOf(op, variables);
    if (requested > this.opts.maxSingleCost) {
      this.json(res, 200, {
        errors: [{ message: `Query cost is ${requested}, which exceeds the single query cost limit (${this.opts.maxSingleCost}).`, extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: this.opts.maxSingleCost } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: this.throttleStatus() } },
      });
      return;
    }
    if (fault === 'throttled' || requested > this.available()) {
      if (fault !== 'throttled') this.log[this.log.length - 1]!.fault = 'throttled';
      this.json(res, 200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: this.throttleStatus() } },
      });
      return;
    }
    let executed: unknown;
    try {
      executed = this.execute(op, query, variables);
    } catch (err) {
      if (!(err instanceof GraphqlInputError)) throw err;
      this.json(res, 200, { errors: [{ message: err.message, extensions: { code: 'argumentLiteralsIncompatible' } }] });
      return;
    }
    const data = this.replyHook ? this.replyHook(op, executed) : executed;
    this.bucket.level -= requested;
    if (fault === 'process-then-hang') return;
    if (this.loseAnswerOf === op) {
      this.loseAnswerOf = null;
      return; // carried out, never answered
    }
    this.json(res, 200, { data, extensions: { cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: this.throttleStatus() } } });
  }

  private bulkNode(op: BulkOp): Record<string, unknown> {
    const done = op.status === 'COMPLETED';
    const tail = op.id.split('/').pop();
    return {
      id: op.id, status: op.status, errorCode: op.status === 'FAILED' ? 'INTERNAL_SERVER_ERROR' : null,
      objectCount: String(done ? op.rows : Math.floor(op.rows / 2)), rootObjectCount: '0',
      url: done && op.rows > 0 ? `${this.origin}/bulk/${tail}.jsonl` : null,
      partialDataUrl: op.status === 'FAILED' ? `${this.origin}/bulk/${tail}-partial.jsonl` : null,
      createdAt: op.createdAt, completedAt: op.completedAt, query: op.query,
    };
  }

  private advance(op: BulkOp): void {
    if (op.status === 'COMPLETED' || op.status === 'FAILED') return;
    op.polls++;
    if (op.status === 'CREATED') op.status = 'RUNNING';
    if (this.holdBulk || op.polls < this.opts.bulkPolls) return;
    op.rows = [...jsonlRows(this.data, op.kind)].length;
    op.completedAt = iso(Date.now());
    op.status = op.failAfterRows !== null ? 'FAILED' : 'COMPLETED';
  }

  /** The background job of orderCancel: cancelled, refunded, the items back in stock when asked. */
  private runCancelJob(job: { orderId: string; done: boolean }): void {
    if (job.done) return;
    const o = this.findOrder(job.orderId);
    job.done = true;
    if (!o) return;
    const at = iso(Date.now());
    o.cancelledAt = at;
    o.updatedAt = at;
    o.financialStatus = 'REFUNDED';
    const asked = this.cancellations.find((c) => c.orderId === o.id);
    for (const l of o.lines) {
      const variant = this.data.variants.find((x) => x.id === l.variantId);
      if (!asked?.restock || !variant) continue;
      variant.levels[0]!.onHand += l.unfulfilledQuantity;
      variant.levels[0]!.available += l.unfulfilledQuantity;
      variant.levels[0]!.updatedAt = at;
    }
  }

  private findOrder(id: unknown): FakeOrder | undefined {
    return this.data.orders.find((o) => o.id === id);
  }
  private findFo(id: unknown): { order: FakeOrder; fo: FakeFo } | undefined {
    for (const order of this.data.orders) {
      const fo = order.fulfillmentOrders.find((f) => f.id === id);
      if (fo) return { order, fo };
    }
    return undefined;
  }

  private execute(op: string, query: string, v: Record<string, unknown>): unknown {
    const d = this.data;
    const first = typeof v.first === 'number' ? v.first : 10;
    const after = typeof v.after === 'string' ? v.after : null;
    switch (op) {
      case 'BackorderDeskShop':
        return { shop: { name: 'Test Shop', currencyCode: d.currency, ianaTimezone: 'America/New_York' } };
      case 'BackorderDeskRunBulk': {
        const q = String(v.query);
        const running = this.bulkOps.find((o) => o.status === 'CREATED' || o.status === 'RUNNING');
        if (running) {
          return { bulkOperationRunQuery: { bulkOperation: null, userErrors: [{ field: ['query'], message: `A bulk query operation for this app and shop is already in progress: ${running.id}.`, code: 'OPERATION_IN_PROGRESS' }] } };
        }
        const kind = /productVariants/.test(q) ? 'variants' : /customers/.test(q) && !/orders/.test(q) ? 'customers' : 'orders';
        const fail = this.failNextBulk?.kind === kind ? this.failNextBulk : null;
        if (fail) this.failNextBulk = null;
        const bop: BulkOp = { id: this.nextId('BulkOperation'), kind, status: 'CREATED', query: q, createdAt: iso(Date.now()), completedAt: null, polls: 0, failAfterRows: fail?.afterRows ?? null, rows: 0 };
        this.bulkOps.push(bop);
        return { bulkOperationRunQuery: { bulkOperation: { id: bop.id, status: bop.status }, userErrors: [] } };
      }
      case 'BackorderDeskPollBulk': {
        const bop = this.bulkOps.find((o) => o.id === v.id);
        if (!bop) return { node: null };
        this.advance(bop);
        return { node: this.bulkNode(bop) };
      }
      case 'BackorderDeskCurrentBulk': {
        const bop = this.bulkOps[this.bulkOps.length - 1];
        return { currentBulkOperation: bop ? this.bulkNode(bop) : null };
      }
      case 'BackorderDeskVariants':
        return {
          productVariants: conn(byUpdated(d.variants, since(v.query)), first, after, (x) => ({
            ...variantNode(x),
            inventoryItem: { id: x.inventoryItemId, tracked: x.tracked, inventoryLevels: conn(x.levels, NESTED.inventoryLevels, null, (l) => levelNode(d, x, l)) },
          })),
        };
      case 'BackorderDeskCustomers':
        return { customers: conn(byUpdated(d.customers, since(v.query)), first, after, customerNode) };
      case 'BackorderDeskOrders':
        return {
          orders: conn(byUpdated(d.orders, since(v.query)), first, after, (o) => ({
            ...orderNode(o),
            lineItems: conn(o.lines, NESTED.lineItems, null, lineNode),
            fulfillmentOrders: conn(o.fulfillmentOrders, NESTED.fulfillmentOrders, null, (f) => ({ ...foNode(f), lineItems: conn(f.lines, NESTED.foLines, null, foLineNode) })),
          })),
        };
      case 'BackorderDeskOrderLines': {
        const o = this.findOrder(v.id);
        return { node: o ? { id: o.id, lineItems: conn(o.lines, first, after, lineNode) } : null };
      }
      case 'BackorderDeskOrderCancel': {
        const reasons = ['CUSTOMER', 'DECLINED', 'FRAUD', 'INVENTORY', 'OTHER', 'STAFF'];
        const rm = v.refundMethod as { originalPaymentMethodsRefund?: unknown } | undefined;
        // Shopify validates the typed variables before running anything: a missing required one is a top-level error.
        if (typeof v.orderId !== 'string' || typeof v.restock !== 'boolean' || !reasons.includes(String(v.reason)) || !rm || typeof rm !== 'object') {
          throw new GraphqlInputError('Variable input of orderCancel is invalid: orderId, refundMethod, restock and reason are required.');
        }
        const o = this.findOrder(v.orderId);
        const fail = (field: string, message: string, code: string): unknown => ({ orderCancel: { job: null, orderCancelUserErrors: [{ field: [field], message, code }] } });
        if (!o) return fail('orderId', 'Order does not exist', 'NOT_FOUND');
        if (o.cancelledAt || this.cancelJobs.some((j) => j.orderId === o.id)) return fail('orderId', 'Cannot cancel an order that has already been cancelled.', 'INVALID');
        if (this.refuseCancel) return fail('orderId', this.refuseCancel, 'INVALID');
        const job = { id: this.nextId('Job'), orderId: o.id, done: false };
        this.cancelJobs.push(job);
        this.cancellations.push({ orderId: o.id, notifyCustomer: v.notifyCustomer === true, refundToOriginal: rm.originalPaymentMethodsRefund === true, restock: v.restock, reason: String(v.reason) });
        return { orderCancel: { job: { id: job.id, done: false }, orderCancelUserErrors: [] } };
      }
      case 'BackorderDeskJob': {
        const job = this.cancelJobs.find((j) => j.id === v.id);
        if (!job) return { job: null };
        this.runCancelJob(job);
        return { job: { id: job.id, done: job.done } };
      }
      case 'BackorderDeskOrderState': {
        const o = this.findOrder(v.id);
        // Shopify's job runs on its own: by the time anyone looks again, it has run.
        for (const j of this.cancelJobs) if (j.orderId === v.id) this.runCancelJob(j);
        return { order: o ? { id: o.id, cancelledAt: o.cancelledAt, displayFinancialStatus: o.financialStatus } : null };
      }
      case 'BackorderDeskNodes': {
        // Shopify's nodes(ids:): one entry per id, in order, null for an object that does not exist.
        const ids = (v.ids as string[]) ?? [];
        const exists = (id: string): boolean =>
          d.orders.some((o) => o.id === id) || d.variants.some((x) => x.id === id) || d.customers.some((c) => c.id === id);
        return { nodes: ids.map((id) => (exists(id) ? { id } : null)) };
      }
      case 'BackorderDeskOrderFos': {
        const o = this.findOrder(v.id);
        return { node: o ? { id: o.id, fulfillmentOrders: conn(o.fulfillmentOrders, first, after, (f) => ({ ...foNode(f), lineItems: conn(f.lines, NESTED.foLines, null, foLineNode) })) } : null };
      }
      case 'BackorderDeskFoLines': {
        const f = this.findFo(v.id);
        return { node: f ? { id: f.fo.id, lineItems: conn(f.fo.lines, first, after, foLineNode) } : null };
      }
      case 'BackorderDeskLocations':
        return { locations: conn(d.locations, first, after, (l) => l) };
      case 'BackorderDeskLevels': {
        const loc = d.locations.find((l) => l.id === v.location);
        if (!loc) return { location: null };
        const from = since(v.query);
        const levels = d.variants
          .flatMap((x) => x.levels.filter((l) => l.locationId === loc.id).map((l) => ({ x, l, id: x.id, updatedAt: l.updatedAt })))
          .filter((e) => from === null || Date.parse(e.updatedAt) >= from)
          .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || a.id.localeCompare(b.id));
        return { location: { id: loc.id, inventoryLevels: conn(levels, first, after, (e) => ({ ...levelNode(d, e.x, e.l), item: { id: e.x.inventoryItemId, variant: { id: e.x.id } } })) } };
      }
      case 'BackorderDeskTagsAdd':
      case 'BackorderDeskTagsRemove': {
        const o = this.findOrder(v.id);
        const field = op === 'BackorderDeskTagsAdd' ? 'tagsAdd' : 'tagsRemove';
        if (!o) return { [field]: { node: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] } };
        const tags = (v.tags as string[]) ?? [];
        if (field === 'tagsAdd') for (const t of tags) { if (!o.tags.includes(t)) o.tags.push(t); }
        else o.tags = o.tags.filter((t) => !tags.includes(t));
        o.updatedAt = iso(Date.now());
        return { [field]: { node: { id: o.id }, userErrors: [] } };
      }
      case 'BackorderDeskMetafieldsSet': {
        const list = (v.metafields as { ownerId: string; namespace: string; key: string; value: string }[]) ?? [];
        const out = [];
        for (const m of list) {
          const o = this.findOrder(m.ownerId);
          if (!o) return { metafieldsSet: { metafields: null, userErrors: [{ field: ['metafields', '0', 'ownerId'], message: 'Owner does not exist', code: 'INVALID' }] } };
          o.metafields[`${m.namespace}.${m.key}`] = m.value;
          out.push({ id: this.nextId('Metafield'), key: m.key, namespace: m.namespace, value: m.value });
        }
        return { metafieldsSet: { metafields: out, userErrors: [] } };
      }
      case 'BackorderDeskMetafieldsDelete': {
        const list = (v.metafields as { ownerId: string; namespace: string; key: string }[]) ?? [];
        const deleted = list.map((m) => {
          const o = this.findOrder(m.ownerId);
          const k = `${m.namespace}.${m.key}`;
          if (!o || !(k in o.metafields)) return null;
          delete o.metafields[k];
          return { ownerId: m.ownerId, namespace: m.namespace, key: m.key };
        });
        return { metafieldsDelete: { deletedMetafields: deleted, userErrors: [] } };
      }
      case 'BackorderDeskHold': {
        const f = this.findFo(v.id);
        if (!f) return { fulfillmentOrderHold: { fulfillmentHold: null, fulfillmentOrder: null, userErrors: [{ field: ['id'], message: 'Fulfillment order not found.', code: 'FULFILLMENT_ORDER_NOT_FOUND' }] } };
        const input = v.hold as { reason: string; handle?: string };
        if (input.handle && f.fo.holds.some((h) => h.handle === input.handle && h.heldByApp)) {
          return { fulfillmentOrderHold: { fulfillmentHold: null, fulfillmentOrder: null, userErrors: [{ field: ['fulfillmentHold', 'handle'], message: 'The handle provided for the fulfillment hold is already in use by this app for another hold on this fulfillment order.', code: 'DUPLICATE_FULFILLMENT_HOLD_HANDLE' }] } };
        }
        const hold: FakeHold = { id: this.nextId('FulfillmentHold'), reason: input.reason, handle: input.handle ?? null, heldByApp: true };
        f.fo.holds.push(hold);
        f.fo.status = 'ON_HOLD';
        f.fo.updatedAt = f.order.updatedAt = iso(Date.now());
        return { fulfillmentOrderHold: { fulfillmentHold: { id: hold.id, handle: hold.handle, reason: hold.reason }, fulfillmentOrder: { id: f.fo.id, status: f.fo.status }, userErrors: [] } };
      }
      case 'BackorderDeskRelease': {
        const f = this.findFo(v.id);
        if (!f) return { fulfillmentOrderReleaseHold: { fulfillmentOrder: null, userErrors: [{ field: ['id'], message: 'Fulfillment order not found.', code: 'FULFILLMENT_ORDER_NOT_FOUND' }] } };
        const ids = v.holdIds as string[] | undefined;
        f.fo.holds = ids ? f.fo.holds.filter((h) => !ids.includes(h.id)) : [];
        if (!f.fo.holds.length && f.fo.status === 'ON_HOLD') f.fo.status = 'OPEN';
        f.fo.updatedAt = f.order.updatedAt = iso(Date.now());
        return { fulfillmentOrderReleaseHold: { fulfillmentOrder: { id: f.fo.id, status: f.fo.status }, userErrors: [] } };
      }
      case 'BackorderDeskFoHolds': {
        const f = this.findFo(v.id);
        return { fulfillmentOrder: f ? { id: f.fo.id, status: f.fo.status, fulfillmentHolds: foNode(f.fo).fulfillmentHolds } : null };
      }
      default:
        throw new Error(`fake Shopify: unknown operation ${op} (${query.slice(0, 80)})`);
    }
  }
}
