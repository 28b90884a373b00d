/**
 * Supplier sheets into quotes: a CSV file (dropped, attached to supplier mail, or given to
 * `eta sheet import`) or the values of a Google Sheet (google-sheets.ts) are read by
 * core/eta/sheet.ts with the supplier's date locale, each line's SKU is matched to a variant
 * (case-insensitive, exact), and each line becomes a quote with source 'sheet'. The column mapping
 * used is saved on the supplier (`suppliers.sheet_mapping`, migration 3) so the next sheet from the
 * same supplier needs none.
 *
 * Re-reading the same sheet stores nothing new: a quote's source_ref is the sheet's name, the line
 * and a hash of the line's values, so only a changed line makes a new quote (which supersedes the
 * variant's older one, quotes.ts). A date column whose header says ship/ETD/ex works is a ship date:
 * the supplier's transit days are added for the arrival.
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { addDays } from '../../core/eta/calendar';
import { readSheetTable, type SheetProblem } from '../../core/eta/sheet';
import type { SheetImportReport, SheetMapping } from '../../shared/eta';
import { AppError } from '../../shared/result';
import type { Db } from '../store/db';
import { loadSettings } from '../store/settings';
import { storeDay } from './backorder-eta';
import { addQuote } from './quotes';
import { getSupplier, upsertSupplier } from './suppliers';

/** A table read from a CSV: its records and the file line each starts on. */
export interface SheetTable {
  records: string[][];
  lines: number[];
}

/**
 * Reads CSV text (comma, semicolon or tab separated, chosen from the header line; BOM and quoted
 * multi-line cells handled by csv-parse).
 * @throws AppError('BAD_INPUT') naming the file when it is no readable CSV.
 */
export function readCsvTable(file: string, content: string): SheetTable {
  const first = content.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const count = (ch: string): number => first.split(ch).length - 1;
  const delimiter = count('\t') > count(',') && count('\t') >= count(';') ? '\t' : count(';') > count(',') ? ';' : ',';
  try {
    const parsed = parse(content, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return { records: parsed.map((p) => p.record), lines: parsed.map((p) => p.info.lines) };
  } catch (err) {
    throw new AppError('BAD_INPUT', `${file}: not a readable CSV (${err instanceof Error ? err.message : String(err)})`);
  }
}

const SHIP_HEADER = /\b(?:ship|shipping|etd|ex ?works|dispatch)\b/i;

/**
 * Imports one supplier sheet (see module doc).
 * @param input.mapping the columns; default the supplier's saved mapping, else guessed from the header.
 * @param input.saveMapping store the mapping used on the supplier (default true).
 * @throws AppError('NOT_FOUND') for an unknown supplier.
 */
export function importSheet(
  db: Db,
  input: { supplier: string; name: string; table: SheetTable; mapping?: SheetMapping; saveMapping?: boolean },
  now: string,
): SheetImportReport {
  const supplier = getSupplier(db, input.supplier);
  if (!supplier) throw new AppError('NOT_FOUND', `supplier: no supplier named "${input.supplier}" (add it in Suppliers or with "suppliers set")`);
  const saved = supplier.sheetMapping;
  const given = input.mapping ?? (saved?.sku && saved.date ? { sku: saved.sku, date: saved.date, ...(saved.dateEnd ? { dateEnd: saved.dateEnd } : {}), ...(saved.quantity ? { quantity: saved.quantity } : {}), ...(saved.po ? { po: saved.po } : {}) } : null);
  const read = readSheetTable(input.name, input.table.records, { mapping: given, locale: supplier.dateLocale, lines: input.table.lines });
  const problems: SheetProblem[] = [...read.problems];
  const report: SheetImportReport = {
    file: input.name, supplier: supplier.name, mapping: read.mapping, rowsRead: Math.max(0, input.table.records.length - 1),
    stored: 0, unchanged: 0, problems,
  };
  if (!read.mapping || !read.rows.length) return report;
  if (input.saveMapping !== false) {
    const keepGoogle = saved?.googleSheetId ? { googleSheetId: saved.googleSheetId, ...(saved.googleRange ? { googleRange: saved.googleRange } : {}) } : {};
    upsertSupplier(db, { name: supplier.name, sheetMapping: { ...read.mapping, ...keepGoogle } }, now);
  }
  const today = storeDay(now, loadSettings(db).timezone);
  const ship = SHIP_HEADER.test(read.mapping.date);
  const bySku = db.prepare('SELECT id FROM variants WHERE sku IS NOT NULL AND lower(trim(sku)) = lower(?) ORDER BY id LIMIT 1').pluck();
  for (const r of read.rows) {
    const variantId = bySku.get(r.sku) as string | undefined;
    if (!variantId) {
      problems.push({ file: input.name, line: r.line, column: read.mapping.sku, message: `no product variant has the SKU "${r.sku}"` });
      continue;
    }
    const transit = ship ? supplier.transitDays : 0;
    const digest = createHash('sha256').update([r.sku, r.start, r.end, r.quantity ?? '', r.poNumber ?? ''].join('\u0000')).digest('hex').slice(0, 12);
    const sentence = `${input.name} line ${r.line}: ${r.sku}${r.quantity !== null ? `, ${r.quantity} units` : ''}${r.poNumber ? `, PO ${r.poNumber}` : ''}, ${ship ? 'ships' : 'arrives'} ${r.start}${r.end !== r.start ? ` to ${r.end}` : ''}`;
    const q = addQuote(db, {
      supplierId: supplier.id, variantId, poNumber: r.poNumber, source: 'sheet', sourceRef: `${input.name}#${r.line}:${digest}`,
      quotedAt: today, kind: r.start === r.end ? 'date' : 'range', start: r.start, end: r.end, isShipDate: ship,
      arrivalStart: addDays(r.start, transit), arrivalEnd: addDays(r.end, transit),
      // A date typed into the supplier's own sheet is read for certain; only the supplier's accuracy is in doubt, which the ladder handles.
      confidence: 0.95, sentence, rule: 'sheet',
    }, now);
    if (q.created) report.stored++;
    else report.unchanged++;
  }
  problems.sort((a, b) => a.line - b.line);
  return report;
}
