/**
 * The inventory export (Shopify Help Center: "Exporting or importing inventory with a CSV file"),
 * in both layouts Shopify has produced:
 *
 * - column-per-location (older): Handle, Title, Option1 Name, Option1 Value, …, SKU, [HS Code, COO],
 *   then one column per location whose cells hold the *available* quantity.
 * - row-per-location (newer): Handle, Title, Option1…3, SKU, HS Code, COO, Location, [Bin name],
 *   Incoming, Unavailable, Committed, Available, On hand — one row per variant and location. Shopify
 *   suffixes these "(not editable)" / "(current)"; "On hand (new)" is the column a merchant fills in
 *   before importing and is ignored.
 *
 * A 'not stocked' cell means the variant has no inventory level at that location, so a stored level
 * there is removed. An empty cell means "not given" and stores NULL (or, in the older layout, leaves
 * the location untouched). Variants not yet known from a products export are created from the row
 * (title, options, SKU). Stock given per real location replaces the products export's 'Default'
 * figure for that variant, which stood for the same units.
 *
 * With bins (Shopify's physical-inventory preview), a variant can have several rows at one location:
 * on hand is then summed over the bins, while available, committed and incoming are location-level
 * figures (Shopify Admin API "InventoryLocationItem") and are taken from the first row.
 */
import type { ImportProblem } from '../../../shared/domain';
import type { Db } from '../../store/db';
import { Columns, problem, RowRefusal, type CsvRow, type CsvTable } from './csv';
import { inventoryLocationColumns, type Layout } from './layout';
import { csvVariantId, variantTitle } from './match';
import { DEFAULT_LOCATION_NAME } from './products';
import { count, ensureLocation, prepared, upsertRow, type Tally } from './store';
import { CellError, parseWholeNumber, textOrNull } from './values';

/** Quantities of one variant at one location, as the export gave them (null = not given). */
export interface LevelRecord {
  location: string;
  notStocked: boolean;
  available: number | null;
  onHand: number | null;
  committed: number | null;
  incoming: number | null;
}

/** One row of an inventory export: the variant it names and its levels. */
export interface InventoryRecord {
  line: number;
  variantId: string;
  handle: string;
  productTitle: string;
  variantTitle: string | null;
  sku: string | null;
  levels: LevelRecord[];
}

/** Result of reading an inventory export. */
export interface InventoryRead {
  records: InventoryRecord[];
  /** Whether the layout gives on hand / committed / incoming (row-per-location) or only available. */
  full: boolean;
  refused: ImportProblem[];
  warnings: ImportProblem[];
}

const NOT_STOCKED = 'not stocked';

/** A quantity cell: null when empty, 'not stocked', or a whole number (negatives allowed). */
function parseQuantity(raw: string): number | null | typeof NOT_STOCKED {
  const v = raw.trim();
  if (v === '') return null;
  if (v.toLowerCase() === NOT_STOCKED) return NOT_STOCKED;
  try {
    return parseWholeNumber(v, true);
  } catch {
    throw new CellError(`"${raw}" is not a whole number or 'not stocked'`);
  }
}

function identity(cols: Columns, row: CsvRow, titles: Map<string, string>): Omit<InventoryRecord, 'levels' | 'line'> {
  const handle = cols.get(row, 'handle');
  if (handle === '') throw new RowRefusal(cols.original('handle'), 'is empty; every inventory row needs its handle');
  const options = ['option1 value', 'option2 value', 'option3 value'].map((o) => cols.get(row, o));
  const title = cols.get(row, 'title') || titles.get(handle) || '';
  if (title === '') throw new RowRefusal(cols.original('title'), 'is empty and no earlier row of this handle has it');
  titles.set(handle, title);
  return {
    variantId: csvVariantId(handle, options),
    handle,
    productTitle: title,
    variantTitle: variantTitle(options),
    sku: textOrNull(cols.get(row, 'sku')),
  };
}

/** Reads an inventory export in either layout (see the module comment). */
export function readInventory(table: CsvTable, layout: Layout): InventoryRead {
  const cols = new Columns(table.header);
  const file = table.file;
  const records: InventoryRecord[] = [];
  const refused: ImportProblem[] = [];
  const titles = new Map<string, string>();
  const full = layout.name === 'inventory/row-per-location';

  // For row-per-location: where each variant × location was first seen, to merge bin rows.
  const firstSeen = new Map<string, { level: LevelRecord; line: number; bin: string }>();
  const locationColumns = full ? [] : inventoryLocationColumns(cols);

  for (const row of table.rows) {
    try {
      const id = identity(cols, row, titles);
      if (full) {
        const location = cols.get(row, 'location');
        if (location === '') throw new RowRefusal(cols.original('location'), 'is empty; each row is one variant at one location');
        const q = (key: string): number | null | typeof NOT_STOCKED => (cols.has(key) ? cols.read(row, key, parseQuantity) : null);
        const available = q('available');
        const onHand = q('on hand');
        const committed = q('committed');
        const incoming = q('incoming');
        const notStocked = available === NOT_STOCKED || onHand === NOT_STOCKED;
        const num = (v: number | null | typeof NOT_STOCKED): number | null => (v === NOT_STOCKED ? null : v);
        const level: LevelRecord = {
          location,
          notStocked,
          available: notStocked ? null : num(available),
          onHand: notStocked ? null : num(onHand),
          committed: notStocked ? null : num(committed),
          incoming: notStocked ? null : num(incoming),
        };
        const bin = cols.get(row, 'bin name');
        const seenKey = `${id.variantId}\u0000${location}`;
        const earlier = firstSeen.get(seenKey);
        if (earlier) {
          if (earlier.bin === bin) {
            throw new RowRefusal(null, `repeats variant ${id.handle} at location "${location}" from line ${earlier.line}`);
          }
          // Another bin of the same location: on hand adds up; the other figures are per location.
          if (level.onHand !== null) earlier.level.onHand = (earlier.level.onHand ?? 0) + level.onHand;
          continue;
        }
        firstSeen.set(seenKey, { level, line: row.line, bin });
        records.push({ line: row.line, ...id, levels: [level] });
      } else {
        const levels: LevelRecord[] = [];
        for (const key of locationColumns) {
          const v = cols.read(row, key, parseQuantity);
          if (v === null) continue; // empty: this export says nothing about that location
          levels.push({
            location: cols.original(key),
            notStocked: v === NOT_STOCKED,
            available: v === NOT_STOCKED ? null : v,
            onHand: null,
            committed: null,
            incoming: null,
          });
        }
        records.push({ line: row.line, ...id, levels });
      }
    } catch (err) {
      if (!(err instanceof RowRefusal)) throw err;
      refused.push(problem(file, row.line, err.column, err.message));
    }
  }
  return { records, full, refused, warnings: [] };
}

/**
 * Stores an inventory export: variants (created when unknown; title, options and SKU refreshed) and
 * their inventory levels. Counts one record per variant and per level (a removed level counts as
 * stored) into `tally`.
 */
export function writeInventory(db: Db, read: InventoryRead, now: string, tally: Tally): void {
  const locationIds = new Map<string, string>();
  const locationId = (name: string): string => {
    let id = locationIds.get(name);
    if (!id) {
      id = ensureLocation(db, name);
      locationIds.set(name, id);
    }
    return id;
  };
  const defaultLocation = prepared(db, 'SELECT id FROM locations WHERE name = ?').get(DEFAULT_LOCATION_NAME) as { id: string } | undefined;

  for (const r of read.records) {
    count(
      tally,
      upsertRow(
        db,
        'variants',
        { id: r.variantId },
        { product_handle: r.handle, product_title: r.productTitle, variant_title: r.variantTitle, sku: r.sku },
        now,
      ),
    );
    let gaveRealLocation = false;
    for (const level of r.levels) {
      const loc = locationId(level.location);
      if (level.location !== DEFAULT_LOCATION_NAME) gaveRealLocation = true;
      if (level.notStocked) {
        const removed = prepared(db, 'DELETE FROM inventory_levels WHERE variant_id = ? AND location_id = ?').run(r.variantId, loc).changes;
        count(tally, removed > 0 ? 'updated' : 'unchanged');
        continue;
      }
      count(
        tally,
        upsertRow(
          db,
          'inventory_levels',
          { variant_id: r.variantId, location_id: loc },
          // The older layout gives only available; clearing the rest keeps an earlier export's on hand
          // from outliving the quantity it belonged to.
          { available: level.available, on_hand: level.onHand, committed: level.committed, incoming: level.incoming },
          now,
        ),
      );
    }
    if (gaveRealLocation && defaultLocation) {
      const removed = prepared(db, 'DELETE FROM inventory_levels WHERE variant_id = ? AND location_id = ?').run(
        r.variantId,
        defaultLocation.id,
      ).changes;
      if (removed > 0) count(tally, 'updated');
    }
  }
}
