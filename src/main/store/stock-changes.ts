/**
 * The stock generation: a counter (migration 9, `detection_state`) that every writer of what
 * backorder detection reads bumps — orders, line items, variants, inventory levels, and backorders
 * closed outside detection. Detection records the generation it read, so a scheduler tick can tell
 * that nothing changed since and skip it (src/main/app/detect.ts).
 *
 * A writer that forgets to bump delays detection, it does not lose it: a tick re-runs detection at
 * least every {@link DETECTION_MAX_AGE_MS} whatever the counter says.
 */
import type { Db } from './db';

/** Longest a tick trusts an unchanged generation before detecting again anyway (1 hour, in ms). */
export const DETECTION_MAX_AGE_MS = 3_600_000;

/** The last detection run as recorded: the generation it read, when (ISO 8601 UTC), its unmatched count. */
export interface DetectionMark {
  stockGeneration: number;
  detectedGeneration: number | null;
  detectedAt: string | null;
  unmatched: number;
}

/**
 * Records that orders, line items, variants, inventory levels or backorders were written. Cheap (one
 * single-row UPDATE); call it once per batch, inside the batch's transaction.
 */
export function markStockChanged(db: Db): void {
  db.prepare('UPDATE detection_state SET stock_generation = stock_generation + 1 WHERE id = 1').run();
}

/** The counter and the last detection run's mark. */
export function detectionMark(db: Db): DetectionMark {
  const r = db
    .prepare('SELECT stock_generation AS stockGeneration, detected_generation AS detectedGeneration, detected_at AS detectedAt, unmatched FROM detection_state WHERE id = 1')
    .get() as DetectionMark | undefined;
  // The row is made by migration 9 and never deleted; a missing one means "never detected".
  return r ?? { stockGeneration: 0, detectedGeneration: null, detectedAt: null, unmatched: 0 };
}

/**
 * Whether the last detection run is still current at `now` (ISO 8601): it read the present
 * generation, and ran less than {@link DETECTION_MAX_AGE_MS} ago (and not in the future of `now`,
 * as with the sandbox's or a test's clock going back).
 */
export function detectionIsCurrent(mark: DetectionMark, now: string): boolean {
  if (mark.detectedGeneration === null || mark.detectedAt === null || mark.detectedGeneration !== mark.stockGeneration) return false;
  const age = Date.parse(now) - Date.parse(mark.detectedAt);
  return age >= 0 && age < DETECTION_MAX_AGE_MS;
}

/** Records a detection run that read `generation` at `now`; call inside the run's transaction. */
export function recordDetection(db: Db, generation: number, now: string, unmatched: number): void {
  db.prepare('UPDATE detection_state SET detected_generation = ?, detected_at = ?, unmatched = ? WHERE id = 1').run(generation, now, unmatched);
}
