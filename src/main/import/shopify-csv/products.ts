/**
 * The products export (Shopify Help Center: "Using CSV files to import and export products").
 *
 * One row per variant, grouped by handle. The first row of a product carries the product fields
 * (Title, Vendor, Type, Tags); the rows after it carry only variant fields, so those are filled from
 * the first row. Rows with no variant field at all are extra images and are skipped. Both the classic
 * header ('Handle', 'Variant SKU', 'Variant Price', 'Variant Inventory Qty', …) and the 2024 header
 * ('URL handle', 'SKU', 'Price', 'Inventory quantity', 'Continue selling when out of stock', …) are read.
 *
 * 'Variant Inventory Tracker' = 'shopify' (or any fulfillment service) means tracked; empty means not
 * tracked. 'Variant Inventory Policy' deny/continue → DENY/CONTINUE. 'Variant Inventory Qty' is
 * Shopify's *available* quantity at the default location, so it is stored as `available` at the
 * location 'csv-location:Default' (name 'Default'), and skipped for variants whose stock an inventory
 * export (or an API sync) already gave per real location, which would otherwise be counted twice.
 *
 * The export has no currency column: prices are in the store's currency, which the caller supplies
 * (learned from the orders). Without it prices are not stored (one warning) rather than guessed.
 */
import type { ImportProblem, InventoryPolicy } from '../../../shared/domain';
import type { Db } from '../../store/db';
import { Columns, problem, RowRefusal, type CsvTable } from './csv';
import { csvVariantId, variantTitle } from './match';
import { count, ensureLocation, prepared, upsertRow, type SqlValue, type Tally } from './store';
import { CellError, parseMoneyMinor, parseWholeNumber, textOrNull } from './values';

/** One variant row of a products export, ready to store. */
export interface ProductVariantRecord {
  line: number;
  id: string;
  handle: string;
  productTitle: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  productType: string | null;
  tags: string;
  /** Minor units of `currency`; null when the store currency is unknown or the cell is empty. */
  priceMinor: number | null;
  currency: string | null;
  policy: InventoryPolicy;
  tracked: 0 | 1;
  /** Variant Inventory Qty: Shopify's available quantity at the default location, or null when empty. */
  available: number | null;
}

/** Result of reading a products export. */
export interface ProductsRead {
  variants: ProductVariantRecord[];
  refused: ImportProblem[];
  warnings: ImportProblem[];
}

/** Location id/name standing for "the store's default location" when only a products export gave stock. */
export const DEFAULT_LOCATION_NAME = 'Default';

function parsePolicy(raw: string): InventoryPolicy {
  const v = raw.trim().toLowerCase();
  if (v === '' || v === 'deny' || v === 'false' || v === 'no') return 'DENY';
  if (v === 'continue' || v === 'true' || v === 'yes') return 'CONTINUE';
  throw new CellError(`"${raw}" is not deny or continue`);
}

/**
 * Reads the variant rows of a products export.
 * @param storeCurrency ISO 4217 code of the store, or null when unknown (prices are then not read).
 */
export function readProducts(table: CsvTable, storeCurrency: string | null): ProductsRead {
  const cols = new Columns(table.header);
  const file = table.file;
  const k = {
    handle: cols.pick('handle', 'url handle'),
    title: cols.pick('title'),
    sku: cols.pick('variant sku', 'sku'),
    price: cols.pick('variant price', 'price'),
    tracker: cols.pick('variant inventory tracker', 'inventory tracker'),
    qty: cols.pick('variant inventory qty', 'inventory quantity'),
    policy: cols.pick('variant inventory policy', 'continue selling when out of stock'),
    vendor: cols.pick('vendor'),
    type: cols.pick('type'),
    tags: cols.pick('tags'),
    options: ['option1 value', 'option2 value', 'option3 value'] as const,
  };
  const variants: ProductVariantRecord[] = [];
  const refused: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  const firstRows = new Map<string, { line: number; title: string; vendor: string; type: string; tags: string }>();
  const seen = new Map<string, number>();
  let priceWithoutCurrency = 0;
  let firstPriceLine = 0;

  for (const row of table.rows) {
    try {
      const handle = cols.get(row, k.handle);
      if (handle === '') throw new RowRefusal(cols.original(k.handle ?? 'handle'), 'is empty; every product row needs its handle');
      const own = {
        line: row.line,
        title: cols.get(row, k.title),
        vendor: cols.get(row, k.vendor),
        type: cols.get(row, k.type),
        tags: cols.get(row, k.tags),
      };
      let product = firstRows.get(handle);
      if (!product) {
        product = own;
        firstRows.set(handle, own);
      }
      const options = k.options.map((o) => cols.get(row, o));
      const variantish = [options[0] ?? '', cols.get(row, k.sku), cols.get(row, k.price), cols.get(row, k.qty), cols.get(row, k.tracker)];
      if (variantish.every((v) => v === '')) continue; // an image-only row

      const productTitle = own.title || product.title;
      if (productTitle === '') {
        throw new RowRefusal(
          cols.original('title'),
          product.line === row.line ? "is empty on the product's first row" : `is empty here and on the product's first row (line ${product.line})`,
        );
      }
      const id = csvVariantId(handle, options);
      const earlier = seen.get(id);
      if (earlier !== undefined) throw new RowRefusal(null, `repeats the variant of line ${earlier} (same handle and options)`);

      const priceRaw = cols.get(row, k.price);
      let priceMinor: number | null = null;
      if (priceRaw !== '' && k.price && storeCurrency) {
        priceMinor = cols.read(row, k.price, (raw) => parseMoneyMinor(raw, storeCurrency));
      }
      const qtyRaw = cols.get(row, k.qty);
      variants.push({
        line: row.line,
        id,
        handle,
        productTitle,
        variantTitle: variantTitle(options),
        sku: textOrNull(cols.get(row, k.sku)),
        vendor: textOrNull(own.vendor || product.vendor),
        productType: textOrNull(own.type || product.type),
        tags: own.tags || product.tags,
        priceMinor,
        currency: priceMinor === null ? null : storeCurrency,
        policy: k.policy ? cols.read(row, k.policy, parsePolicy) : 'DENY',
        tracked: cols.get(row, k.tracker) === '' ? 0 : 1,
        available: qtyRaw === '' || !k.qty ? null : cols.read(row, k.qty, (raw) => parseWholeNumber(raw, true)),
      });
      seen.set(id, row.line);
      if (priceRaw !== '' && !storeCurrency) {
        priceWithoutCurrency += 1;
        firstPriceLine ||= row.line;
      }
    } catch (err) {
      if (!(err instanceof RowRefusal)) throw err;
      refused.push(problem(file, row.line, err.column, err.message));
    }
  }
  if (priceWithoutCurrency > 0) {
    warnings.push(
      problem(file, firstPriceLine, cols.original(k.price ?? 'variant price'),
        `${priceWithoutCurrency} price(s) were not stored: the export has no currency and the store's currency is not known yet (import an orders export too)`),
    );
  }
  return { variants, refused, warnings };
}

/** Whether a variant already has stock at a location other than the products export's 'Default'. */
function hasRealLocations(db: Db, variantId: string, defaultLocationId: string): boolean {
  return (
    prepared(db, 'SELECT 1 FROM inventory_levels WHERE variant_id = ? AND location_id <> ? LIMIT 1').get(variantId, defaultLocationId) !==
    undefined
  );
}

/**
 * Stores the variants of a products export and their default-location `available` quantity (not for
 * variants with per-location stock, see the module comment). Counts one record per variant and per
 * inventory level into `tally`.
 */
export function writeProducts(db: Db, read: ProductsRead, now: string, tally: Tally): void {
  let defaultLocationId: string | null = null;
  for (const v of read.variants) {
    const values: Record<string, SqlValue> = {
      product_handle: v.handle,
      product_title: v.productTitle,
      variant_title: v.variantTitle,
      sku: v.sku,
      vendor: v.vendor,
      product_type: v.productType,
      tags: v.tags,
      inventory_policy: v.policy,
      inventory_tracked: v.tracked,
    };
    // Keep a stored price when this file's prices could not be read (unknown currency).
    if (v.priceMinor !== null) {
      values['price_minor'] = v.priceMinor;
      values['currency'] = v.currency;
    }
    count(tally, upsertRow(db, 'variants', { id: v.id }, values, now));

    if (v.available === null) continue;
    defaultLocationId ??= ensureLocation(db, DEFAULT_LOCATION_NAME);
    // Not a warning: with products and inventory exports together this is the normal case.
    if (hasRealLocations(db, v.id, defaultLocationId)) continue;
    count(
      tally,
      upsertRow(
        db,
        'inventory_levels',
        { variant_id: v.id, location_id: defaultLocationId },
        // Shopify's Variant Inventory Qty is *available*; on hand and committed are not in this file.
        { available: v.available, on_hand: null, committed: null, incoming: null },
        now,
      ),
    );
  }
}
