/**
 * On-hand stock per variant, from whatever quantities the sources stored.
 *
 * Why not just `available`: Shopify's *available* already subtracts the units *committed* to open
 * orders (Shopify Admin API InventoryLevel quantities: available, committed, on_hand — on_hand =
 * available + committed + unavailable). Backorder detection allocates on-hand stock to the waiting
 * line items itself, in order-date order; fed `available`, it would subtract those orders a second
 * time and see backorders that are not there.
 *
 * So, per variant, summed over its locations:
 * - on_hand where the source gave it (inventory export, newer layout; API sync);
 * - otherwise available + committed, where committed is the source's figure when it gave one, and
 *   when it did not (products export, older inventory export) the units the stored open line items
 *   still wait for: orders not cancelled, line items not fully fulfilled, quantity − fulfilled.
 *
 * The estimate assumes the orders and the stock figures were exported at about the same time: an
 * order placed after the stock export is added back although Shopify had not subtracted it yet. When
 * one variant mixes locations with and without on_hand, open line items are counted variant-wide.
 * A variant with no inventory level, or only levels without quantities, has `onHand: null`
 * (unknown), not 0.
 */
import type { InventoryPolicy } from '../../shared/domain';
import type { Db } from './db';

/** Stock facts of one variant. `onHand` is in units, summed over locations; null when unknown. */
export interface VariantStock {
  /** Whether Shopify tracks quantities for the variant; untracked variants are never out of stock. */
  tracked: boolean;
  policy: InventoryPolicy;
  onHand: number | null;
}

interface LevelRow {
  variant_id: string;
  available: number | null;
  on_hand: number | null;
  committed: number | null;
}

/**
 * Units the stored open line items still wait for, per variant: orders not cancelled, line items
 * with a variant and not fully fulfilled, quantity − fulfilled summed. The committed estimate of
 * {@link variantStockView}; detection, which reads those lines anyway, computes it from them.
 */
export function waitingUnits(db: Db): Map<string, number> {
  const open = db
    .prepare(
      `SELECT li.variant_id AS variant_id, SUM(li.quantity - li.fulfilled_quantity) AS waiting
       FROM line_items li JOIN orders o ON o.id = li.order_id
       WHERE o.cancelled_at IS NULL AND li.variant_id IS NOT NULL AND li.quantity > li.fulfilled_quantity
       GROUP BY li.variant_id`,
    )
    .all() as { variant_id: string; waiting: number }[];
  return new Map(open.map((r) => [r.variant_id, r.waiting]));
}

/**
 * Computes {@link VariantStock} for every variant in `db` (see the module comment for the rules).
 * Read-only.
 * @param waiting {@link waitingUnits} when the caller has it; otherwise it is read, and only when
 *   some level lacks both on_hand and committed (it is a pass over every open line item).
 */
export function variantStockView(db: Db, waiting?: ReadonlyMap<string, number>): Map<string, VariantStock> {
  const variants = db.prepare('SELECT id, inventory_tracked, inventory_policy FROM variants').all() as {
    id: string;
    inventory_tracked: number;
    inventory_policy: InventoryPolicy;
  }[];
  const levels = db.prepare('SELECT variant_id, available, on_hand, committed FROM inventory_levels').all() as LevelRow[];

  const perVariant = new Map<string, LevelRow[]>();
  let estimateNeeded = false;
  for (const l of levels) {
    if (l.on_hand === null && l.available !== null && l.committed === null) estimateNeeded = true;
    const list = perVariant.get(l.variant_id);
    if (list) list.push(l);
    else perVariant.set(l.variant_id, [l]);
  }
  const units = waiting ?? (estimateNeeded ? waitingUnits(db) : new Map<string, number>());

  const view = new Map<string, VariantStock>();
  for (const v of variants) {
    let known = false;
    let onHand = 0;
    let availableOnly = false;
    let committedGiven = 0;
    let committedMissing = false;
    for (const l of perVariant.get(v.id) ?? []) {
      if (l.on_hand !== null) {
        known = true;
        onHand += l.on_hand;
      } else if (l.available !== null) {
        known = true;
        availableOnly = true;
        onHand += l.available;
        if (l.committed !== null) committedGiven += l.committed;
        else committedMissing = true;
      }
    }
    if (known && availableOnly) onHand += committedMissing ? (units.get(v.id) ?? 0) : committedGiven;
    view.set(v.id, { tracked: v.inventory_tracked !== 0, policy: v.inventory_policy, onHand: known ? onHand : null });
  }
  return view;
}
