/**
 * Turns a fresh allocation into changes of the stored backorders: which open, which change
 * quantity, which end and why. Pure; the caller applies the changes in one transaction.
 */
import type { BackorderCloseReason } from '../../shared/domain';
import type { LineAllocation } from './allocate';

export interface StoredOpenBackorder {
  id: number;
  lineItemId: string;
  quantityBackordered: number;
}

/** What is known of a line that may have left the open set since the last detection. */
export interface LineState {
  cancelled: boolean;
  /** Every ordered unit fulfilled. */
  fulfilled: boolean;
}

export interface BackorderChanges {
  open: { lineItemId: string; variantId: string; quantity: number }[];
  resize: { id: number; quantity: number }[];
  close: { id: number; reason: BackorderCloseReason }[];
}

/**
 * Compares stored open backorders with a new allocation. `lineStates` is asked only about the lines
 * of stored backorders that are not in the allocation.
 * A backorder closes as `cancelled` or `fulfilled` when its line says so, as `restocked` when stock
 * now covers it, and as `removed` when the line is gone or can no longer be judged (its variant
 * became untracked or unknown).
 */
export function reconcileBackorders(
  stored: readonly StoredOpenBackorder[],
  allocations: readonly LineAllocation[],
  lineStates: Pick<ReadonlyMap<string, LineState>, 'get'>,
): BackorderChanges {
  const changes: BackorderChanges = { open: [], resize: [], close: [] };
  const storedByLine = new Map(stored.map((b) => [b.lineItemId, b]));
  // Stored lines that are still allocated; only those matter below, so lines without a stored
  // backorder (most of them) are not remembered.
  const seen = new Set<string>();

  for (const a of allocations) {
    const existing = storedByLine.get(a.lineItemId);
    if (existing) seen.add(a.lineItemId);
    if (a.backordered > 0) {
      if (!existing) changes.open.push({ lineItemId: a.lineItemId, variantId: a.variantId, quantity: a.backordered });
      else if (existing.quantityBackordered !== a.backordered) changes.resize.push({ id: existing.id, quantity: a.backordered });
    } else if (existing) {
      changes.close.push({ id: existing.id, reason: 'restocked' });
    }
  }

  for (const b of stored) {
    if (seen.has(b.lineItemId)) continue;
    const state = lineStates.get(b.lineItemId);
    const reason: BackorderCloseReason = !state ? 'removed' : state.cancelled ? 'cancelled' : state.fulfilled ? 'fulfilled' : 'removed';
    changes.close.push({ id: b.id, reason });
  }
  return changes;
}
