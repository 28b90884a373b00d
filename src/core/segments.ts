/**
 * Customer segments (DESIGN.md glossary): VIP = at least N previous orders (default 3),
 * first-time buyer = no previous order, high value = this order's total above the threshold
 * (default $500, in minor units). Pure.
 */
import type { Segment } from '../shared/domain';

export interface SegmentInput {
  /** Orders this customer placed before this one. */
  previousOrders: number;
  /** This order's total, minor units. */
  orderValueMinor: number;
}

export interface SegmentRules {
  vipMinPreviousOrders: number;
  highValueThresholdMinor: number;
}

export function segmentsOf(c: SegmentInput, rules: SegmentRules): Segment[] {
  const out: Segment[] = [];
  if (c.previousOrders >= rules.vipMinPreviousOrders) out.push('vip');
  if (c.previousOrders === 0) out.push('first_time');
  if (c.orderValueMinor > rules.highValueThresholdMinor) out.push('high_value');
  return out;
}
