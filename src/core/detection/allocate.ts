/**
 * Backorder detection: which part of each open line item current stock cannot cover.
 *
 * Rule (DESIGN.md glossary, "backorder"): per tracked variant, the on-hand quantity (summed over
 * locations: any location may fulfil) is allocated to open line items in order-date order (FIFO, ties
 * broken by order name then line position, so the result never depends on input order). What a line
 * cannot get is its backordered quantity. Untracked variants are never backordered; lines whose
 * variant is unknown are reported separately, not guessed.
 *
 * Pure: no I/O, no clock. Quantities are whole units.
 */

/** Stock of one variant, as the store reports it. */
export interface VariantStock {
  variantId: string;
  /** False when Shopify does not track inventory for the variant (it can always ship). */
  tracked: boolean;
  /** Units physically on hand across all locations (Shopify InventoryLevel `on_hand`), ≥ 0 expected. */
  onHand: number;
}

/** A line item still waiting to ship: not cancelled, not fully fulfilled. */
export interface OpenLine {
  lineItemId: string;
  orderId: string;
  orderName: string;
  /** Order creation instant, ISO 8601 with offset; compared as instants, not strings. */
  orderedAt: string;
  position: number;
  variantId: string | null;
  /** Units ordered and not yet fulfilled (ordered − fulfilled), > 0. */
  openQuantity: number;
}

export interface LineAllocation {
  lineItemId: string;
  variantId: string;
  allocated: number;
  backordered: number;
}

export interface DetectionResult {
  /** Every open line of a tracked variant, with what stock covers and what it does not. */
  allocations: LineAllocation[];
  /** Lines whose variant is unknown (no SKU/title match): they cannot be judged. */
  unmatched: string[];
}

const instant = (iso: string): number => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
};

// The same comparison as `a.localeCompare(b, 'en', { numeric: true })`, without building a
// collator per call (ECMA-402 defines localeCompare with options as exactly this).
const byOrderName = new Intl.Collator('en', { numeric: true }).compare;

interface Queued {
  line: OpenLine;
  t: number;
}

const fifo = (a: Queued, b: Queued): number =>
  a.t - b.t || byOrderName(a.line.orderName, b.line.orderName) || a.line.position - b.line.position;

/**
 * Allocates on-hand stock to open lines FIFO and returns the uncovered quantity per line.
 * Negative on-hand figures (a store that went below zero) count as zero stock.
 */
export function allocateStock(stock: Iterable<VariantStock>, lines: Iterable<OpenLine>): DetectionResult {
  const byVariant = new Map<string, VariantStock>();
  for (const s of stock) byVariant.set(s.variantId, s);

  const queues = new Map<string, Queued[]>();
  const unmatched: string[] = [];
  for (const line of lines) {
    if (line.openQuantity <= 0) continue;
    if (line.variantId === null || !byVariant.has(line.variantId)) {
      unmatched.push(line.lineItemId);
      continue;
    }
    const q = queues.get(line.variantId);
    const entry = { line, t: instant(line.orderedAt) };
    if (q) q.push(entry);
    else queues.set(line.variantId, [entry]);
  }

  const allocations: LineAllocation[] = [];
  for (const [variantId, queue] of queues) {
    const s = byVariant.get(variantId)!;
    queue.sort(fifo);
    let remaining = s.tracked ? Math.max(0, s.onHand) : Number.POSITIVE_INFINITY;
    for (const { line } of queue) {
      const allocated = Math.min(line.openQuantity, remaining);
      remaining -= allocated;
      allocations.push({ lineItemId: line.lineItemId, variantId, allocated, backordered: line.openQuantity - allocated });
    }
  }
  return { allocations, unmatched };
}
