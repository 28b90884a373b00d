import { describe, expect, it } from 'vitest';
import { allocateStock, type OpenLine, type VariantStock } from '../../src/core/detection/allocate';
import { reconcileBackorders } from '../../src/core/detection/reconcile';

const line = (id: string, variantId: string | null, qty: number, orderedAt: string, orderName = id, position = 1): OpenLine => ({
  lineItemId: id, orderId: `o-${orderName}`, orderName, orderedAt, position, variantId, openQuantity: qty,
});
const stock = (variantId: string, onHand: number, tracked = true): VariantStock => ({ variantId, onHand, tracked });

type Row = { name: string; stock: VariantStock[]; lines: OpenLine[]; expect: Record<string, number>; unmatched?: string[] };

const table: Row[] = [
  { name: 'enough stock: nothing backordered', stock: [stock('A', 5)], lines: [line('l1', 'A', 2, '2026-11-01T10:00:00Z'), line('l2', 'A', 3, '2026-11-02T10:00:00Z')], expect: { l1: 0, l2: 0 } },
  { name: 'oldest order served first', stock: [stock('A', 2)], lines: [line('late', 'A', 2, '2026-11-03T10:00:00Z'), line('early', 'A', 2, '2026-11-01T10:00:00Z')], expect: { early: 0, late: 2 } },
  { name: 'partial backorder', stock: [stock('A', 1)], lines: [line('l1', 'A', 3, '2026-11-01T10:00:00Z')], expect: { l1: 2 } },
  { name: 'zero stock', stock: [stock('A', 0)], lines: [line('l1', 'A', 1, '2026-11-01T10:00:00Z')], expect: { l1: 1 } },
  { name: 'negative on hand counts as zero', stock: [stock('A', -4)], lines: [line('l1', 'A', 1, '2026-11-01T10:00:00Z')], expect: { l1: 1 } },
  { name: 'untracked variant never backordered', stock: [stock('U', 0, false)], lines: [line('l1', 'U', 9, '2026-11-01T10:00:00Z')], expect: { l1: 0 } },
  { name: 'unknown variant is unmatched, not guessed', stock: [stock('A', 0)], lines: [line('l1', null, 1, '2026-11-01T10:00:00Z'), line('l2', 'Z', 1, '2026-11-01T10:00:00Z')], expect: {}, unmatched: ['l1', 'l2'] },
  {
    name: 'multi-line order with one line in stock',
    stock: [stock('A', 5), stock('B', 0)],
    lines: [line('o1-a', 'A', 1, '2026-11-01T10:00:00Z', '#1001', 1), line('o1-b', 'B', 1, '2026-11-01T10:00:00Z', '#1001', 2)],
    expect: { 'o1-a': 0, 'o1-b': 1 },
  },
  {
    name: 'offsets compared as instants, not strings',
    stock: [stock('A', 1)],
    // 09:00 -04:00 is 13:00Z, later than 12:00Z although its string sorts first
    lines: [line('ny', 'A', 1, '2026-11-01T09:00:00-04:00'), line('utc', 'A', 1, '2026-11-01T12:00:00Z')],
    expect: { utc: 0, ny: 1 },
  },
  {
    name: 'same instant: order name then position decides',
    stock: [stock('A', 1)],
    lines: [line('b', 'A', 1, '2026-11-01T10:00:00Z', '#1010'), line('a', 'A', 1, '2026-11-01T10:00:00Z', '#1009')],
    expect: { a: 0, b: 1 },
  },
  { name: 'fully fulfilled line (open 0) ignored', stock: [stock('A', 0)], lines: [line('l1', 'A', 0, '2026-11-01T10:00:00Z')], expect: {} },
];

describe('allocateStock (FIFO backorder detection)', () => {
  it.each(table)('$name', (row) => {
    const r = allocateStock(row.stock, row.lines);
    const got = Object.fromEntries(r.allocations.map((a) => [a.lineItemId, a.backordered]));
    expect(got).toEqual(row.expect);
    expect(r.unmatched.sort()).toEqual((row.unmatched ?? []).sort());
    for (const a of r.allocations) {
      const l = row.lines.find((x) => x.lineItemId === a.lineItemId)!;
      expect(a.allocated + a.backordered).toBe(l.openQuantity);
    }
  });

  it('result does not depend on input order', () => {
    const lines = Array.from({ length: 50 }, (_, i) => line(`l${i}`, i % 2 ? 'A' : 'B', 1 + (i % 3), new Date(Date.UTC(2026, 10, 1, i)).toISOString(), `#${1000 + i}`));
    const s = [stock('A', 20), stock('B', 7)];
    const a = allocateStock(s, lines).allocations.sort((x, y) => x.lineItemId.localeCompare(y.lineItemId));
    const b = allocateStock(s, [...lines].reverse()).allocations.sort((x, y) => x.lineItemId.localeCompare(y.lineItemId));
    expect(b).toEqual(a);
  });
});

describe('reconcileBackorders', () => {
  const states = new Map([
    ['cancelled', { cancelled: true, fulfilled: false }],
    ['shipped', { cancelled: false, fulfilled: true }],
  ]);
  it('opens, resizes and closes with the right reason', () => {
    const stored = [
      { id: 1, lineItemId: 'same', quantityBackordered: 2 },
      { id: 2, lineItemId: 'grow', quantityBackordered: 1 },
      { id: 3, lineItemId: 'covered', quantityBackordered: 1 },
      { id: 4, lineItemId: 'cancelled', quantityBackordered: 1 },
      { id: 5, lineItemId: 'shipped', quantityBackordered: 1 },
      { id: 6, lineItemId: 'vanished', quantityBackordered: 1 },
    ];
    const allocations = [
      { lineItemId: 'same', variantId: 'A', allocated: 0, backordered: 2 },
      { lineItemId: 'grow', variantId: 'A', allocated: 0, backordered: 3 },
      { lineItemId: 'covered', variantId: 'A', allocated: 1, backordered: 0 },
      { lineItemId: 'new', variantId: 'B', allocated: 1, backordered: 1 },
    ];
    const c = reconcileBackorders(stored, allocations, states);
    expect(c.open).toEqual([{ lineItemId: 'new', variantId: 'B', quantity: 1 }]);
    expect(c.resize).toEqual([{ id: 2, quantity: 3 }]);
    expect(c.close).toEqual([
      { id: 3, reason: 'restocked' },
      { id: 4, reason: 'cancelled' },
      { id: 5, reason: 'fulfilled' },
      { id: 6, reason: 'removed' },
    ]);
  });
});
