/**
 * Reading a bulk operation's JSONL result (Shopify Admin GraphQL API, "Perform bulk operations":
 * one JSON object per line; the nodes of a nested connection are their own lines, after their
 * parent, carrying `__parentId`). Lines are validated as they arrive and stitched to their parents;
 * nothing is written until the whole file has been read and checked.
 */
import { z } from 'zod';
import { ShapeError } from './errors';
import { parseShape } from './shape';
import {
  customerSchema,
  foLineSchema,
  fulfillmentOrderSchema,
  levelSchema,
  lineItemSchema,
  orderSchema,
  variantSchema,
  type CustomerRecord,
  type StitchedOrder,
  type StitchedVariant,
} from './schemas';
import type { BulkKind } from './queries';
import { requestTimeout } from './transport';

/** Result of one bulk kind, stitched. */
export type BulkResult =
  | { kind: 'variants'; records: StitchedVariant[] }
  | { kind: 'customers'; records: CustomerRecord[] }
  | { kind: 'orders'; records: StitchedOrder[] };

const rowHead = z.object({ id: z.string(), __parentId: z.string().optional() });

/** GID type of an id: 'gid://shopify/LineItem/1' → 'LineItem'. */
function gidType(id: string): string {
  return /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1] ?? '';
}

/** Incrementally stitches JSONL lines of one bulk kind. */
export class JsonlStitcher {
  private lineNo = 0;
  private readonly variants = new Map<string, StitchedVariant>();
  private readonly byInventoryItem = new Map<string, StitchedVariant>();
  private readonly customers: CustomerRecord[] = [];
  private readonly orders = new Map<string, StitchedOrder>();
  private readonly fos = new Map<string, StitchedOrder['fulfillmentOrders'][number]>();

  constructor(
    private readonly kind: BulkKind,
    private readonly operation = `bulk ${kind} JSONL`,
  ) {}

  /** Adds one line of the file (blank lines are skipped). @throws ShapeError naming line and field. */
  push(line: string): void {
    this.lineNo++;
    if (!line.trim()) return;
    const where = `line ${this.lineNo}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new ShapeError(this.operation, where, 'not JSON');
    }
    const head = parseShape(this.operation, rowHead, json, where);
    const type = gidType(head.id);
    const parent = head.__parentId;
    switch (`${this.kind}:${type}`) {
      case 'variants:ProductVariant': {
        const variant = parseShape(this.operation, variantSchema, json, where);
        const s: StitchedVariant = { variant, levels: [] };
        this.variants.set(variant.id, s);
        this.byInventoryItem.set(variant.inventoryItem.id, s);
        return;
      }
      case 'variants:InventoryLevel': {
        const level = parseShape(this.operation, levelSchema, json, where);
        const owner = parent ? (this.variants.get(parent) ?? this.byInventoryItem.get(parent)) : undefined;
        if (!owner) throw new ShapeError(this.operation, `${where}.__parentId`, `no variant ${parent ?? '(missing)'} before this inventory level`);
        owner.levels.push(level);
        return;
      }
      case 'customers:Customer':
        this.customers.push(parseShape(this.operation, customerSchema, json, where));
        return;
      case 'orders:Order': {
        const order = parseShape(this.operation, orderSchema, json, where);
        this.orders.set(order.id, { order, lines: [], fulfillmentOrders: [] });
        return;
      }
      case 'orders:LineItem': {
        const line = parseShape(this.operation, lineItemSchema, json, where);
        this.parentOrder(parent, where).lines.push(line);
        return;
      }
      case 'orders:FulfillmentOrder': {
        const fo = parseShape(this.operation, fulfillmentOrderSchema, json, where);
        const entry = { fo, lines: [] };
        this.parentOrder(parent, where).fulfillmentOrders.push(entry);
        this.fos.set(fo.id, entry);
        return;
      }
      case 'orders:FulfillmentOrderLineItem': {
        const l = parseShape(this.operation, foLineSchema, json, where);
        const fo = parent ? this.fos.get(parent) : undefined;
        if (!fo) throw new ShapeError(this.operation, `${where}.__parentId`, `no fulfillment order ${parent ?? '(missing)'} before this line`);
        fo.lines.push(l);
        return;
      }
      default:
        throw new ShapeError(this.operation, `${where}.id`, `unexpected object ${head.id} in the ${this.kind} result`);
    }
  }

  private parentOrder(parent: string | undefined, where: string): StitchedOrder {
    const o = parent ? this.orders.get(parent) : undefined;
    if (!o) throw new ShapeError(this.operation, `${where}.__parentId`, `no order ${parent ?? '(missing)'} before this row`);
    return o;
  }

  /** Lines read so far. */
  get lines(): number {
    return this.lineNo;
  }

  /**
   * The stitched records. With `dropLast` (partial data of a failed operation) the last top-level
   * record is left out, because its children may have been cut off.
   */
  result(dropLast = false): BulkResult {
    const cut = <T>(list: T[]): T[] => (dropLast ? list.slice(0, -1) : list);
    if (this.kind === 'variants') return { kind: 'variants', records: cut([...this.variants.values()]) };
    if (this.kind === 'customers') return { kind: 'customers', records: cut(this.customers) };
    return { kind: 'orders', records: cut([...this.orders.values()]) };
  }
}

/**
 * Downloads a JSONL file and feeds it to `onLine`, line by line as bytes arrive.
 * @param idleTimeoutMs abort when no byte arrives for this long (default: the request deadline)
 * @throws on HTTP errors (status in the message) and network failures; the caller retries.
 */
export async function streamJsonl(url: string, onLine: (line: string) => void, idleTimeoutMs = requestTimeout()): Promise<void> {
  const ctrl = new AbortController();
  let timer = setTimeout(() => ctrl.abort(new Error('download stalled')), idleTimeoutMs);
  const kick = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => ctrl.abort(new Error('download stalled')), idleTimeoutMs);
  };
  try {
    const res = await fetch(url, { signal: ctrl.signal });
    if (!res.ok || !res.body) throw new Error(`bulk result download: HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let rest = '';
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      kick();
      if (done) break;
      rest += decoder.decode(value, { stream: true });
      let nl = rest.indexOf('\n');
      let start = 0;
      while (nl !== -1) {
        onLine(rest.slice(start, nl));
        start = nl + 1;
        nl = rest.indexOf('\n', start);
      }
      rest = rest.slice(start);
    }
    rest += decoder.decode();
    if (rest) onLine(rest);
  } finally {
    clearTimeout(timer);
  }
}
