/**
 * Supplier and ETA shapes shared by the contract, the CLI and the renderer. Dates are date-only ISO
 * strings in the store's time zone; durations are whole days.
 */
import { z } from 'zod';

export type DateLocale = 'en-US' | 'en-GB';
export type QuoteSourceName = 'email' | 'edi' | 'sheet' | 'manual' | 'model';

/** Where a supplier sheet keeps each value (column header names, matched case-insensitively). */
export interface SheetMapping {
  sku: string;
  quantity?: string;
  /** Quoted date, or the first day of a quoted range. */
  date: string;
  /** Last day of a quoted range, when the sheet has one. */
  dateEnd?: string;
  po?: string;
  /** Google Sheet id and A1 range, when the sheet is read through the Sheets API. */
  googleSheetId?: string;
  googleRange?: string;
}

export interface SupplierRow {
  id: number;
  name: string;
  /** The products' Vendor value this supplier supplies (default: its name). */
  vendor: string | null;
  emails: string[];
  domains: string[];
  leadTimeDays: number | null;
  transitDays: number;
  /** Numeric dates: en-US month/day, en-GB day/month; null = unknown (ambiguous dates flagged). */
  dateLocale: DateLocale | null;
  /** Variants assigned explicitly, beyond the Vendor match. */
  variantIds: string[];
  /** Variants supplied, by Vendor or explicitly. */
  variantCount: number;
  sheetMapping: SheetMapping | null;
  updatedAt: string;
}

export interface QuoteRow {
  id: number;
  supplierId: number | null;
  supplierName: string | null;
  variantId: string | null;
  variantTitle: string | null;
  sku: string | null;
  poNumber: string | null;
  source: QuoteSourceName;
  sourceRef: string;
  quotedAt: string;
  kind: 'date' | 'range' | 'unknown';
  start: string | null;
  end: string | null;
  isShipDate: boolean;
  arrivalStart: string | null;
  arrivalEnd: string | null;
  confidence: number;
  sentence: string;
  rule: string;
  status: 'active' | 'superseded' | 'arrived' | 'rejected';
  createdAt: string;
}

export interface ScorecardRow {
  supplier: string;
  supplierId: number | null;
  arrivals: number;
  /** Share of arrivals on or before the quoted date; null without arrivals. */
  onTimeRate: number | null;
  medianSlipDays: number | null;
  /** Latest arrivals late in a row ("missed 4 times in a row"). */
  missesInRow: number;
  latestQuotes: QuoteRow[];
}

export interface HistoryImportReport {
  file: string;
  mapping: string;
  rowsRead: number;
  stored: number;
  unchanged: number;
  refused: { line: number; field: string; message: string }[];
}

/** What importing one supplier sheet did; each problem names the file, line and column. */
export interface SheetImportReport {
  file: string;
  supplier: string;
  /** The column mapping used (saved on the supplier), or null when none could be found. */
  mapping: SheetMapping | null;
  /** Data lines read (the header not counted). */
  rowsRead: number;
  /** Quotes stored, and lines already stored from an earlier read of the same sheet. */
  stored: number;
  unchanged: number;
  problems: { file: string; line: number; column: string; message: string }[];
}

/** A file the watched EDI folder handled (table edi_files). */
export interface EdiFileRow {
  file: string;
  status: 'imported' | 'failed';
  quotes: number;
  /** Lines naming no SKU of ours. */
  unmatched: number;
  error: string | null;
  /** Where the file was moved (processed/ or failed/), null when it could not be moved. */
  movedTo: string | null;
  handledAt: string;
}

/** `eta.ediFiles`: the watched folder, why it cannot be watched (if so), and the latest files. */
export interface EdiFolderStatus {
  folder: string;
  watching: boolean;
  problem: string | null;
  files: EdiFileRow[];
  /** Files in the folder left where they are because they are not X12 interchanges (names). */
  skipped: string[];
}

// ---- Contract inputs (zod), referenced from contract.ts ----

const isoDay = z.iso.date();
export const sheetMappingSchema = z.strictObject({
  sku: z.string().min(1).max(100),
  quantity: z.string().max(100).optional(),
  date: z.string().min(1).max(100),
  dateEnd: z.string().max(100).optional(),
  po: z.string().max(100).optional(),
  googleSheetId: z.string().max(200).optional(),
  googleRange: z.string().max(200).optional(),
});

/** `suppliers.update`: create or change the supplier named `name`. */
export const supplierUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  vendor: z.string().max(200).nullable().optional(),
  emails: z.array(z.email()).max(50).optional(),
  domains: z.array(z.string().regex(/^@?[a-z0-9.-]+\.[a-z]{2,}$/i, 'a mail domain like example.com')).max(50).optional(),
  leadTimeDays: z.number().int().min(0).max(730).nullable().optional(),
  transitDays: z.number().int().min(0).max(365).optional(),
  dateLocale: z.enum(['en-US', 'en-GB']).nullable().optional(),
  variantIds: z.array(z.string().min(1)).max(10_000).optional(),
  sheetMapping: sheetMappingSchema.nullable().optional(),
});

/**
 * `eta.addQuote`: a quote typed by a person (`start`/`end`, or `unknown`) or read from pasted
 * supplier `text` (then the variants it names, or `variantId`, get the quote).
 */
export const addQuoteSchema = z
  .strictObject({
    supplier: z.string().min(1).max(200).optional(),
    variantId: z.string().min(1).optional(),
    quotedAt: isoDay.optional(),
    text: z.string().min(1).max(100_000).optional(),
    start: isoDay.optional(),
    end: isoDay.optional(),
    unknown: z.boolean().optional(),
    isShipDate: z.boolean().optional(),
    poNumber: z.string().max(100).optional(),
  })
  .refine((q) => q.text !== undefined || q.unknown === true || q.start !== undefined, { message: 'give text, start (and end) or unknown' })
  .refine((q) => !(q.start && q.end) || q.start <= q.end, { message: 'end is before start', path: ['end'] });

export const quotesQuerySchema = z.strictObject({ variantId: z.string().min(1).optional(), supplierId: z.number().int().positive().optional() });

export const historyImportSchema = z.strictObject({ name: z.string().min(1).max(500), content: z.string().max(200 * 1024 * 1024) });

/**
 * `eta.importSheet`: a supplier sheet as CSV text. `mapping` (header names) defaults to the
 * supplier's saved one, else it is guessed from the header; the one used is saved on the supplier.
 */
export const sheetImportSchema = z.strictObject({
  supplier: z.string().min(1).max(200),
  name: z.string().min(1).max(500),
  content: z.string().max(50 * 1024 * 1024),
  mapping: sheetMappingSchema.optional(),
});

/**
 * `eta.linkSheet`: a supplier's Google Sheet (its address or id) and the A1 range to read (default
 * the first tab, A:Z); `mapping` as for eta.importSheet. Needs the Google connection (Settings → Gmail).
 */
export const sheetLinkSchema = z.strictObject({
  supplier: z.string().min(1).max(200),
  sheet: z.string().min(10).max(500),
  range: z.string().min(1).max(200).optional(),
  mapping: sheetMappingSchema.optional(),
});

/** `eta.syncSheets`: read the linked Google Sheets again (one supplier's, or all). */
export const sheetSyncSchema = z.strictObject({ supplier: z.string().min(1).max(200).optional() });
