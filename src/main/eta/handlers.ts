/**
 * Contract handlers of the supplier/ETA commands ('suppliers.*', 'eta.*'), spread into the core's
 * handler map by core.ts. Each is a thin adapter from the validated input to the stores and the
 * pure ETA core.
 */
import { createHash } from 'node:crypto';
import { extractEta } from '../../core/eta/extract/index';
import { matchVariants, poNumbers, type VariantRef } from '../../core/eta/extract/match';
import { scorecard } from '../../core/eta/scorecard';
import type { HistoryImportReport, QuoteRow, ScorecardRow, SupplierRow } from '../../shared/eta';
import type { addQuoteSchema, SheetImportReport, sheetImportSchema, supplierUpdateSchema } from '../../shared/eta';
import { AppError } from '../../shared/result';
import type { Db } from '../store/db';
import { loadSettings } from '../store/settings';
import { storeDay } from './backorder-eta';
import { readHistoryCsv } from './history-import';
import { importSheet, readCsvTable } from './sheet-import';
import { addHistory, addQuote, historyKey, listQuotes, loadHistory } from './quotes';
import { getSupplier, listSuppliers, seedSuppliersFromVendors, supplierOfVariant, upsertSupplier } from './suppliers';
import type { z } from 'zod';

/** Variants as the matcher sees them. */
export function variantRefs(db: Db): VariantRef[] {
  return db
    .prepare("SELECT id, sku, product_title || COALESCE(' / ' || variant_title, '') AS title FROM variants")
    .all() as VariantRef[];
}

/** Purchase orders known from earlier quotes (PO number → variants). */
export function knownPos(db: Db): { poNumber: string; variantIds: string[] }[] {
  const rows = db.prepare('SELECT po_number AS po, variant_id AS v FROM eta_quotes WHERE po_number IS NOT NULL AND variant_id IS NOT NULL').all() as { po: string; v: string }[];
  const by = new Map<string, Set<string>>();
  for (const r of rows) by.set(r.po, (by.get(r.po) ?? new Set()).add(r.v));
  return [...by].map(([poNumber, ids]) => ({ poNumber, variantIds: [...ids] }));
}

/**
 * Stores a quote typed or pasted by a person (see addQuoteSchema).
 * @throws AppError('BAD_INPUT') when pasted text names no known variant and none was given.
 */
export function addQuoteCommand(db: Db, input: z.output<typeof addQuoteSchema>, now: string): QuoteRow[] {
  const settings = loadSettings(db);
  const today = storeDay(now, settings.timezone);
  const quotedAt = input.quotedAt ?? today;
  const supplierByName = input.supplier ? getSupplier(db, input.supplier) : null;
  if (input.supplier && !supplierByName) throw new AppError('NOT_FOUND', `supplier: no supplier named "${input.supplier}"`);
  let variantIds: string[] = input.variantId ? [input.variantId] : [];
  if (input.text === undefined && !input.variantId) throw new AppError('BAD_INPUT', 'variantId: a typed quote needs the variant it is for');
  if (input.variantId && !db.prepare('SELECT 1 FROM variants WHERE id = ?').get(input.variantId)) throw new AppError('NOT_FOUND', `variantId: no variant ${input.variantId}`);
  if (input.text !== undefined && !variantIds.length) variantIds = matchVariants(input.text, variantRefs(db), knownPos(db)).map((m) => m.variantId);
  const targets: (string | null)[] = variantIds.length ? variantIds : [null];
  const out: QuoteRow[] = [];
  for (const variantId of targets) {
    const supplier = supplierByName ?? (variantId ? supplierOfVariant(db, variantId) : null);
    const transit = supplierByName?.transitDays ?? (supplier && 'transitDays' in supplier ? supplier.transitDays : 0);
    const locale = (supplierByName?.dateLocale ?? (supplier && 'dateLocale' in supplier ? supplier.dateLocale : null)) ?? undefined;
    // Pasting the same text twice is one quote; typing a new range is always a new one.
    const ref = input.text !== undefined
      ? `pasted:${createHash('sha256').update(`${quotedAt}\n${input.text}`).digest('hex').slice(0, 16)}`
      : `typed:${now}:${input.start ?? ''}:${input.end ?? ''}:${input.unknown === true}`;
    if (input.text !== undefined) {
      const e = extractEta(input.text, { sent: quotedAt, transitDays: transit, ...(locale ? { locale } : {}) });
      out.push(addQuote(db, {
        supplierId: supplier?.id ?? null, variantId, poNumber: input.poNumber ?? poNumbers(input.text)[0] ?? null, source: 'manual', sourceRef: ref,
        quotedAt, kind: e.kind, start: e.start, end: e.end, isShipDate: e.isShipDate, arrivalStart: e.arrivalStart, arrivalEnd: e.arrivalEnd,
        confidence: e.confidence, sentence: e.sentence, rule: e.rule,
      }, now).quote);
    } else {
      const unknown = input.unknown === true;
      const start = unknown ? null : input.start!;
      const end = unknown ? null : input.end ?? input.start!;
      const shift = input.isShipDate ? transit : 0;
      const add = (d: string | null): string | null => (d === null ? null : new Date(Date.parse(`${d}T00:00:00Z`) + shift * 86_400_000).toISOString().slice(0, 10));
      out.push(addQuote(db, {
        supplierId: supplier?.id ?? null, variantId, poNumber: input.poNumber ?? null, source: 'manual', sourceRef: ref, quotedAt,
        kind: unknown ? 'unknown' : start === end ? 'date' : 'range', start, end, isShipDate: input.isShipDate === true,
        arrivalStart: add(start), arrivalEnd: add(end), confidence: 1, sentence: 'entered by hand', rule: 'manual',
      }, now).quote);
    }
  }
  return out;
}

/** Imports a delivery-history CSV; refused rows are reported, the rest stored (idempotent). */
export function importHistoryCommand(db: Db, input: { name: string; content: string }, now: string): HistoryImportReport {
  const r = readHistoryCsv(input.name, input.content);
  const { stored, unchanged } = addHistory(db, r.rows.map((row) => ({ ...row, key: historyKey(input.content, row.line) })), 'history', now);
  return { file: input.name, mapping: r.mapping.name, rowsRead: r.rows.length + r.problems.length, stored, unchanged, refused: r.problems };
}

/** Scorecard rows with each supplier's latest quotes. */
export function scorecardCommand(db: Db): ScorecardRow[] {
  const suppliers = listSuppliers(db);
  const scores = new Map(scorecard(loadHistory(db)).map((s) => [s.supplier.toLowerCase(), s]));
  const rows: ScorecardRow[] = suppliers.map((s) => {
    const sc = scores.get(s.name.toLowerCase());
    scores.delete(s.name.toLowerCase());
    return {
      supplier: s.name, supplierId: s.id, arrivals: sc?.arrivals ?? 0, onTimeRate: sc?.onTimeRate ?? null,
      medianSlipDays: sc?.medianSlipDays ?? null, missesInRow: sc?.missesInRow ?? 0, latestQuotes: listQuotes(db, { supplierId: s.id, limit: 3 }),
    };
  });
  for (const sc of scores.values()) {
    rows.push({ supplier: sc.supplier, supplierId: null, arrivals: sc.arrivals, onTimeRate: sc.onTimeRate, medianSlipDays: sc.medianSlipDays, missesInRow: sc.missesInRow, latestQuotes: [] });
  }
  return rows;
}

/** The ETA handlers keyed by contract command. */
export function etaHandlers(db: Db, now: () => string): {
  'suppliers.list': () => SupplierRow[];
  'suppliers.update': (i: z.output<typeof supplierUpdateSchema>) => SupplierRow;
  'suppliers.scorecard': () => ScorecardRow[];
  'eta.quotes': (i: { variantId?: string; supplierId?: number }) => QuoteRow[];
  'eta.addQuote': (i: z.output<typeof addQuoteSchema>) => QuoteRow[];
  'eta.importHistory': (i: { name: string; content: string }) => HistoryImportReport;
  'eta.importSheet': (i: z.output<typeof sheetImportSchema>) => SheetImportReport;
} {
  return {
    'suppliers.list': () => {
      seedSuppliersFromVendors(db, now());
      return listSuppliers(db);
    },
    'suppliers.update': (i) => upsertSupplier(db, i, now()),
    'suppliers.scorecard': () => {
      seedSuppliersFromVendors(db, now());
      return scorecardCommand(db);
    },
    'eta.quotes': (i) => listQuotes(db, i),
    'eta.addQuote': (i) => addQuoteCommand(db, i, now()),
    'eta.importHistory': (i) => importHistoryCommand(db, i, now()),
    'eta.importSheet': (i) => {
      seedSuppliersFromVendors(db, now());
      return importSheet(db, { supplier: i.supplier, name: i.name, table: readCsvTable(i.name, i.content), ...(i.mapping ? { mapping: i.mapping } : {}) }, now());
    },
  };
}
