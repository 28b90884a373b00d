/**
 * Orders of an export in batches as flat typed arrays and a shared string table: the form in which the
 * parse worker (orders-worker.ts) hands the orders it read to the importer on the main thread.
 *
 * Why not the records themselves: a structured clone of 50,000 order records took the receiving
 * thread 225–440 ms to rebuild, about as long as reading them from the CSV; this form takes it about
 * 60–90 ms. The typed arrays move without copying, and each distinct string (a SKU, a status, an
 * email) crosses once, however many rows repeat it.
 *
 * Shape of one batch: per order, {@link ORDER_STRINGS}.length string references and
 * {@link ORDER_NUMBERS}.length numbers; per line item (the orders' lines, in order),
 * {@link LINE_STRINGS}.length and {@link LINE_NUMBERS}.length. A string reference is an index into
 * the table both sides grow batch by batch, or -1 for null. Numbers are float64, exact for the
 * integers stored (minor units, quantities, line numbers) up to 2^53.
 */
import type { LineRecord, OrderRecord } from './orders';

const ORDER_STRINGS = [
  'name', 'shopifyId', 'createdAt', 'currency', 'financialStatus', 'fulfillmentStatus', 'cancelledAt', 'email', 'phone',
  'customerName', 'tags', 'shippingMethod', 'sourceUpdatedAt',
] as const satisfies readonly (keyof OrderRecord)[];
const ORDER_NUMBERS = ['line', 'totalMinor', 'acceptsMarketing', 'rowCount'] as const satisfies readonly (keyof OrderRecord)[];
const LINE_STRINGS = ['name', 'sku', 'fulfillmentStatus', 'vendor'] as const satisfies readonly (keyof LineRecord)[];
const LINE_NUMBERS = ['line', 'position', 'quantity', 'fulfilledQuantity', 'priceMinor', 'requiresShipping'] as const satisfies readonly (keyof LineRecord)[];
const OS = ORDER_STRINGS.length;
const ON = ORDER_NUMBERS.length + 1; // + the order's number of lines
const LS = LINE_STRINGS.length;
const LN = LINE_NUMBERS.length;

/** Separator of the new strings of a batch. No cell holds NUL: a text with one is refused as binary (csv.ts checkText). */
const SEP = '\u0000';

/** One batch of orders, ready for postMessage (transfer the buffers of {@link batchTransferList}). */
export interface EncodedOrderBatch {
  /** Strings first used in this batch, joined by NUL, in table order. */
  newStrings: string;
  newStringCount: number;
  orders: number;
  orderStrings: Int32Array;
  orderNumbers: Float64Array;
  lineStrings: Int32Array;
  lineNumbers: Float64Array;
}

/** The buffers of a batch, to transfer rather than copy. */
export const batchTransferList = (b: EncodedOrderBatch): ArrayBuffer[] =>
  [b.orderStrings.buffer, b.orderNumbers.buffer, b.lineStrings.buffer, b.lineNumbers.buffer] as ArrayBuffer[];

/** The sending side: one per file, since the string table grows across its batches. */
export class OrderBatchEncoder {
  private readonly index = new Map<string, number>();
  private fresh: string[] = [];

  private ref(s: string | null): number {
    if (s === null) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      if (s.includes(SEP)) throw new Error('order batch: a string holds NUL, which the CSV reader refuses');
      i = this.index.size;
      this.index.set(s, i);
      this.fresh.push(s);
    }
    return i;
  }

  /** Encodes `orders` (the next batch of the file). */
  encode(orders: readonly OrderRecord[]): EncodedOrderBatch {
    let lines = 0;
    for (const o of orders) lines += o.lines.length;
    const orderStrings = new Int32Array(orders.length * OS);
    const orderNumbers = new Float64Array(orders.length * ON);
    const lineStrings = new Int32Array(lines * LS);
    const lineNumbers = new Float64Array(lines * LN);
    let l = 0;
    orders.forEach((o, k) => {
      for (let j = 0; j < OS; j++) orderStrings[k * OS + j] = this.ref(o[ORDER_STRINGS[j]!]);
      for (let j = 0; j < ON - 1; j++) orderNumbers[k * ON + j] = o[ORDER_NUMBERS[j]!];
      orderNumbers[k * ON + ON - 1] = o.lines.length;
      for (const line of o.lines) {
        for (let j = 0; j < LS; j++) lineStrings[l * LS + j] = this.ref(line[LINE_STRINGS[j]!]);
        for (let j = 0; j < LN; j++) lineNumbers[l * LN + j] = line[LINE_NUMBERS[j]!];
        l++;
      }
    });
    const batch: EncodedOrderBatch = {
      newStrings: this.fresh.join(SEP),
      newStringCount: this.fresh.length,
      orders: orders.length,
      orderStrings,
      orderNumbers,
      lineStrings,
      lineNumbers,
    };
    this.fresh = [];
    return batch;
  }
}

/** The receiving side: one per file, fed the file's batches in the order they were encoded. */
export class OrderBatchDecoder {
  private readonly strings: string[] = [];

  /** The orders of `b`. */
  decode(b: EncodedOrderBatch): OrderRecord[] {
    if (b.newStringCount > 0) {
      const added = b.newStrings.split(SEP);
      if (added.length !== b.newStringCount) throw new Error(`order batch: ${added.length} new strings, ${b.newStringCount} announced`);
      for (const s of added) this.strings.push(s);
    }
    const t = this.strings;
    const str = (i: number): string | null => (i < 0 ? null : t[i]!);
    const req = (i: number): string => {
      const s = str(i);
      if (s === null) throw new Error('order batch: a required string is missing');
      return s;
    };
    const { orderStrings: os, orderNumbers: on, lineStrings: ls, lineNumbers: ln } = b;
    const out: OrderRecord[] = [];
    let l = 0;
    for (let k = 0; k < b.orders; k++) {
      const s = k * OS;
      const n = k * ON;
      const lineCount = on[n + ON - 1]!;
      const lines: LineRecord[] = [];
      for (let q = 0; q < lineCount; q++, l++) {
        const a = l * LS;
        const m = l * LN;
        lines.push({
          line: ln[m]!,
          position: ln[m + 1]!,
          name: req(ls[a]!),
          sku: str(ls[a + 1]!),
          quantity: ln[m + 2]!,
          fulfilledQuantity: ln[m + 3]!,
          fulfillmentStatus: str(ls[a + 2]!),
          priceMinor: ln[m + 4]!,
          requiresShipping: ln[m + 5] === 0 ? 0 : 1,
          vendor: str(ls[a + 3]!),
        });
      }
      // Property order as OrdersReader builds a record, so both give V8 the same object shape.
      out.push({
        line: on[n]!,
        name: req(os[s]!),
        shopifyId: str(os[s + 1]!),
        createdAt: req(os[s + 2]!),
        currency: req(os[s + 3]!),
        totalMinor: on[n + 1]!,
        financialStatus: str(os[s + 4]!),
        fulfillmentStatus: str(os[s + 5]!),
        cancelledAt: str(os[s + 6]!),
        email: str(os[s + 7]!),
        phone: str(os[s + 8]!),
        customerName: str(os[s + 9]!),
        acceptsMarketing: on[n + 2] === 0 ? 0 : 1,
        tags: req(os[s + 10]!),
        shippingMethod: str(os[s + 11]!),
        sourceUpdatedAt: req(os[s + 12]!),
        lines,
        rowCount: on[n + 3]!,
      });
    }
    return out;
  }
}
