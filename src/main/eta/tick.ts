/**
 * The ETA part of a scheduler tick (scheduler.ts calls it before deciding steps): notices arrivals
 * from stock increases, then computes each live backorder's customer-facing ETA range
 * (backorder-eta.ts), recording 'eta_changed' events so this very tick can act on them.
 */
import type { DraftFacts } from '../../core/drafts/facts';
import type { Settings } from '../../shared/contract';
import type { Db } from '../store/db';
import { recordInventoryArrivals } from './arrivals';
import { computeBackorderEtas, storeDay, type BackorderEta } from './backorder-eta';

/**
 * ETA per backorder id for the live backorders of this tick (open ones get one; `variantId` is the
 * backorder's own, null when its line matched no variant).
 */
export function etaForTick(
  db: Db,
  rows: readonly { id: number; openedAt: string; closedAt: string | null; variantId: string | null }[],
  settings: Settings,
  now: string,
): Map<number, BackorderEta> {
  if (db.prepare("SELECT 1 FROM eta_quotes WHERE status = 'active' LIMIT 1").get()) {
    recordInventoryArrivals(db, storeDay(now, settings.timezone), now);
  }
  return computeBackorderEtas(db, rows, { now, timezone: settings.timezone, interval: settings.etaInterval });
}

/** The draft facts an ETA allows: the range, whether the supplier confirmed it, why it moved. */
export function etaDraftFacts(eta: BackorderEta | undefined): Pick<DraftFacts, 'etaStart' | 'etaEnd' | 'etaReason' | 'supplierConfirmed'> {
  if (!eta) return { supplierConfirmed: false };
  return {
    supplierConfirmed: eta.supplierConfirmed,
    ...(eta.start && eta.end ? { etaStart: eta.start, etaEnd: eta.end } : {}),
    ...(eta.shifted && eta.reason ? { etaReason: eta.reason } : {}),
  };
}
