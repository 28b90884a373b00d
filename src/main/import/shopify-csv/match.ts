/**
 * Variant identity for CSV sources and matching order line items to variants.
 *
 * A CSV export carries no variant GID, so a variant is identified by its product handle and option
 * values: 'csv-variant:<handle>/<option1>/<option2>/<option3>' (schema comment on `variants.id`).
 * Empty options are left out and Shopify's placeholder 'Default Title' counts as no option, so a
 * single-variant product is 'csv-variant:<handle>'. A '/' or '%' inside a value is percent-encoded so
 * 'Size 1/2' and the two options 'Size 1', '2' never collide. Products and inventory exports both
 * name variants this way, so the two files land on the same row.
 *
 * Line items are matched by SKU (exact, trimmed). Where the line has no SKU, by its name, which
 * Shopify writes as "<product title> - <variant title>" ("The Complete Snowboard - Ice"), or as the
 * product title alone for a single-variant product. An ambiguous match (two variants share the SKU
 * or title) is no match: a wrong variant would allocate the wrong stock.
 */
import type { Db } from '../../store/db';

/** Shopify's option value for a product without options. */
export const DEFAULT_TITLE = 'Default Title';

/** Option values that matter for identity: trimmed, empties and 'Default Title' removed. */
export function significantOptions(options: readonly string[]): string[] {
  return options.map((o) => o.trim()).filter((o) => o !== '' && o.toLowerCase() !== DEFAULT_TITLE.toLowerCase());
}

function segment(value: string): string {
  return value.replace(/%/g, '%25').replace(/\//g, '%2F');
}

/** 'csv-variant:<handle>/<opt1>/<opt2>/<opt3>' for a handle and its (up to three) option values. */
export function csvVariantId(handle: string, options: readonly string[]): string {
  return ['csv-variant:' + segment(handle.trim()), ...significantOptions(options).map(segment)].join('/');
}

/** The variant title Shopify shows: option values joined by ' / ', or null for 'Default Title'. */
export function variantTitle(options: readonly string[]): string | null {
  const opts = significantOptions(options);
  return opts.length ? opts.join(' / ') : null;
}

/** Result of matching one line item. */
export interface VariantMatch {
  variantId: string | null;
  /** True when more than one variant fitted, so none was chosen. */
  ambiguous: boolean;
}

/** Matches line items against the variants stored when it was built. */
export interface VariantMatcher {
  /** Number of variants known. */
  readonly size: number;
  match(sku: string | null, lineName: string): VariantMatch;
}

interface VariantKeyRow {
  id: string;
  sku: string | null;
  product_title: string;
  variant_title: string | null;
}

function push(map: Map<string, string[]>, k: string, id: string): void {
  const list = map.get(k);
  if (list) list.push(id);
  else map.set(k, [id]);
}

function pickOne(ids: readonly string[] | undefined): VariantMatch | null {
  if (!ids || ids.length === 0) return null;
  if (ids.length === 1) return { variantId: ids[0] ?? null, ambiguous: false };
  // A variant synced from the Shopify API (a GID) is the real one; a CSV-derived twin is a copy.
  const real = ids.filter((id) => !id.startsWith('csv-variant:'));
  if (real.length === 1) return { variantId: real[0] ?? null, ambiguous: false };
  return { variantId: null, ambiguous: true };
}

/** Builds a matcher over every variant currently in `db`. */
export function loadVariantMatcher(db: Db): VariantMatcher {
  const rows = db.prepare('SELECT id, sku, product_title, variant_title FROM variants').all() as VariantKeyRow[];
  const bySku = new Map<string, string[]>();
  const byTitle = new Map<string, string[]>();
  const byTitleFolded = new Map<string, string[]>();
  const byProduct = new Map<string, string[]>();
  for (const r of rows) {
    const sku = r.sku?.trim();
    if (sku) push(bySku, sku, r.id);
    const title = r.variant_title ? `${r.product_title.trim()} - ${r.variant_title.trim()}` : r.product_title.trim();
    push(byTitle, title, r.id);
    push(byTitleFolded, title.toLowerCase(), r.id);
    push(byProduct, r.product_title.trim().toLowerCase(), r.id);
  }
  return {
    size: rows.length,
    match(sku, lineName) {
      const s = sku?.trim();
      if (s) return pickOne(bySku.get(s)) ?? { variantId: null, ambiguous: false };
      const name = lineName.trim();
      const byName = pickOne(byTitle.get(name)) ?? pickOne(byTitleFolded.get(name.toLowerCase()));
      if (byName) return byName;
      const siblings = byProduct.get(name.toLowerCase());
      if (siblings && siblings.length === 1) return { variantId: siblings[0] ?? null, ambiguous: false };
      return { variantId: null, ambiguous: false };
    },
  };
}

/**
 * Links stored line items that have no variant yet (their order was imported before the products or
 * inventory export) to the variants now known.
 * @returns how many line items were linked.
 */
export function linkUnmatchedLineItems(db: Db, matcher: VariantMatcher): number {
  if (matcher.size === 0) return 0;
  const lines = db.prepare('SELECT id, sku, name FROM line_items WHERE variant_id IS NULL').all() as {
    id: string;
    sku: string | null;
    name: string;
  }[];
  const update = db.prepare('UPDATE line_items SET variant_id = ? WHERE id = ? AND variant_id IS NULL');
  let linked = 0;
  for (const l of lines) {
    const m = matcher.match(l.sku, l.name);
    if (m.variantId) linked += update.run(m.variantId, l.id).changes;
  }
  return linked;
}
