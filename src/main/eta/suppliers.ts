/**
 * Supplier store (table `suppliers`, migration 3): who supplies which variants — by the products'
 * Vendor value unless assigned explicitly — how to recognise their mail, lead and transit days and
 * their numeric date order.
 */
import type { DateLocale, SheetMapping, SupplierRow } from '../../shared/eta';
import { AppError } from '../../shared/result';
import type { Db } from '../store/db';

interface Raw {
  id: number;
  name: string;
  vendor: string | null;
  emails: string;
  domains: string;
  lead_time_days: number | null;
  transit_days: number;
  date_locale: DateLocale | null;
  sheet_mapping: string | null;
  updated_at: string;
}

/** A change to a supplier; absent fields stay as they are. */
export interface SupplierPatch {
  name: string;
  vendor?: string | null;
  emails?: string[];
  domains?: string[];
  leadTimeDays?: number | null;
  transitDays?: number;
  dateLocale?: DateLocale | null;
  variantIds?: string[];
  sheetMapping?: SheetMapping | null;
}

const VENDOR_VARIANTS = `SELECT v.id FROM variants v WHERE v.vendor IS NOT NULL AND lower(trim(v.vendor)) = lower(trim(?))`;

function toRow(db: Db, r: Raw): SupplierRow {
  const explicit = db.prepare('SELECT variant_id FROM supplier_variants WHERE supplier_id = ? ORDER BY variant_id').pluck().all(r.id) as string[];
  const byVendor = db.prepare(VENDOR_VARIANTS).pluck().all(r.vendor ?? r.name) as string[];
  return {
    id: r.id,
    name: r.name,
    vendor: r.vendor,
    emails: JSON.parse(r.emails) as string[],
    domains: JSON.parse(r.domains) as string[],
    leadTimeDays: r.lead_time_days,
    transitDays: r.transit_days,
    dateLocale: r.date_locale,
    variantIds: explicit,
    variantCount: new Set([...explicit, ...byVendor]).size,
    sheetMapping: r.sheet_mapping ? (JSON.parse(r.sheet_mapping) as SheetMapping) : null,
    updatedAt: r.updated_at,
  };
}

/** Every supplier, by name. */
export function listSuppliers(db: Db): SupplierRow[] {
  return (db.prepare('SELECT * FROM suppliers ORDER BY name').all() as Raw[]).map((r) => toRow(db, r));
}

/** One supplier by name (case-insensitive) or null. */
export function getSupplier(db: Db, name: string): SupplierRow | null {
  const r = db.prepare('SELECT * FROM suppliers WHERE lower(name) = lower(?)').get(name) as Raw | undefined;
  return r ? toRow(db, r) : null;
}

/**
 * Creates or updates the supplier named `patch.name`.
 * @throws AppError('NOT_FOUND') naming a variant id that does not exist.
 */
export function upsertSupplier(db: Db, patch: SupplierPatch, now: string): SupplierRow {
  const tx = db.transaction(() => {
    db.prepare('INSERT INTO suppliers (name, vendor, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING').run(patch.name, patch.name, now);
    const id = db.prepare('SELECT id FROM suppliers WHERE name = ?').pluck().get(patch.name) as number;
    const set = (col: string, v: unknown): void => {
      db.prepare(`UPDATE suppliers SET ${col} = ?, updated_at = ? WHERE id = ?`).run(v, now, id);
    };
    if (patch.vendor !== undefined) set('vendor', patch.vendor);
    if (patch.emails !== undefined) set('emails', JSON.stringify(patch.emails.map((e) => e.trim().toLowerCase())));
    if (patch.domains !== undefined) set('domains', JSON.stringify(patch.domains.map((d) => d.trim().toLowerCase().replace(/^@/, ''))));
    if (patch.leadTimeDays !== undefined) set('lead_time_days', patch.leadTimeDays);
    if (patch.transitDays !== undefined) set('transit_days', patch.transitDays);
    if (patch.dateLocale !== undefined) set('date_locale', patch.dateLocale);
    if (patch.sheetMapping !== undefined) set('sheet_mapping', patch.sheetMapping ? JSON.stringify(patch.sheetMapping) : null);
    if (patch.variantIds !== undefined) {
      for (const v of patch.variantIds) {
        if (!db.prepare('SELECT 1 FROM variants WHERE id = ?').get(v)) throw new AppError('NOT_FOUND', `variantIds: no variant ${v}`);
      }
      db.prepare('DELETE FROM supplier_variants WHERE supplier_id = ?').run(id);
      const ins = db.prepare('INSERT INTO supplier_variants (supplier_id, variant_id) VALUES (?, ?)');
      for (const v of patch.variantIds) ins.run(id, v);
    }
    return id;
  });
  const id = tx.immediate();
  return toRow(db, db.prepare('SELECT * FROM suppliers WHERE id = ?').get(id) as Raw);
}

/**
 * Creates a supplier for every products' Vendor value that has none yet (the default:
 * "which variants each supplies, by default from the products' Vendor"). Returns how many it made.
 */
export function seedSuppliersFromVendors(db: Db, now: string): number {
  const vendors = db
    .prepare(`SELECT DISTINCT trim(vendor) FROM variants WHERE vendor IS NOT NULL AND trim(vendor) <> ''
              AND lower(trim(vendor)) NOT IN (SELECT lower(coalesce(vendor, name)) FROM suppliers)`)
    .pluck()
    .all() as string[];
  const ins = db.prepare('INSERT OR IGNORE INTO suppliers (name, vendor, updated_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const v of vendors) ins.run(v, v, now);
  })();
  return vendors.length;
}

/** The supplier of a variant: an explicit assignment first, else the Vendor match; null when none. */
export function supplierOfVariant(db: Db, variantId: string): { id: number; name: string; transitDays: number; leadTimeDays: number | null; dateLocale: DateLocale | null } | null {
  const r = db
    .prepare(
      `SELECT s.id, s.name, s.transit_days AS transitDays, s.lead_time_days AS leadTimeDays, s.date_locale AS dateLocale
         FROM suppliers s
        WHERE s.id IN (SELECT supplier_id FROM supplier_variants WHERE variant_id = ?)
           OR lower(trim(coalesce(s.vendor, s.name))) = (SELECT lower(trim(vendor)) FROM variants WHERE id = ?)
        ORDER BY (s.id IN (SELECT supplier_id FROM supplier_variants WHERE variant_id = ?)) DESC, s.id
        LIMIT 1`,
    )
    .get(variantId, variantId, variantId) as { id: number; name: string; transitDays: number; leadTimeDays: number | null; dateLocale: DateLocale | null } | undefined;
  return r ?? null;
}

/** The supplier whose address or domain sent `from` (an address or "Name <address>"); null when none. */
export function supplierOfSender(db: Db, from: string): SupplierRow | null {
  const addr = (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
  const domain = addr.split('@')[1] ?? '';
  return listSuppliers(db).find((s) => s.emails.includes(addr) || (domain && s.domains.some((d) => domain === d || domain.endsWith(`.${d}`)))) ?? null;
}
