/**
 * EDI 855/856 files into quotes: each acknowledged or shipped line is matched to a variant by its
 * item ids (SK, VP, VN, BP, CB, VC, UP, … against the variant SKU; the product title is not in
 * EDI), the supplier's transit days are added to ship dates, and the quote is stored with source
 * 'edi' (idempotent per file content and line). A folder can be scanned, or watched, for dropped
 * files (`.edi`, `.x12`, `.txt`, `.855`, `.856`); files attached to mail go through `importEdi`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { addDays } from '../../core/eta/calendar';
import { ediQuotes } from '../../core/eta/edi/quotes';
import { parseX12 } from '../../core/eta/edi/x12';
import type { QuoteRow } from '../../shared/eta';
import { AppError } from '../../shared/result';
import type { Db } from '../store/db';
import { loadSettings } from '../store/settings';
import { storeDay } from './backorder-eta';
import { addQuote } from './quotes';
import { getSupplier, supplierOfVariant } from './suppliers';

export interface EdiImportReport {
  file: string;
  transactionSets: string[];
  lines: number;
  stored: QuoteRow[];
  unmatched: { poNumber: string | null; itemIds: Record<string, string> }[];
}

/**
 * Imports one X12 interchange. `supplier` names the sender when known (else each variant's own).
 * @throws AppError('BAD_INPUT') naming the file when it is no X12 interchange.
 */
export function importEdi(db: Db, file: string, content: string, now: string, supplier?: string): EdiImportReport {
  let sets;
  try {
    sets = parseX12(content);
  } catch (err) {
    throw new AppError('BAD_INPUT', `${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 16);
  const today = storeDay(now, loadSettings(db).timezone);
  const named = supplier ? getSupplier(db, supplier) : null;
  const bySku = db.prepare('SELECT id FROM variants WHERE sku IS NOT NULL AND lower(sku) = lower(?)').pluck();
  const quotes = ediQuotes(sets);
  const report: EdiImportReport = { file, transactionSets: sets.map((s) => s.type), lines: quotes.length, stored: [], unmatched: [] };
  quotes.forEach((q, i) => {
    const variantId = Object.values(q.itemIds).map((v) => bySku.get(v) as string | undefined).find(Boolean) ?? null;
    if (!variantId) {
      report.unmatched.push({ poNumber: q.poNumber, itemIds: q.itemIds });
      return;
    }
    const sup = named ?? supplierOfVariant(db, variantId);
    const transit = q.isShipDate ? (named?.transitDays ?? (sup && 'transitDays' in sup ? sup.transitDays : 0)) : 0;
    const arrival = q.date ? addDays(q.date, transit) : null;
    report.stored.push(
      addQuote(db, {
        supplierId: sup?.id ?? null, variantId, poNumber: q.poNumber, source: 'edi', sourceRef: `${file}:${hash}:${i}`,
        quotedAt: q.issuedAt ?? today, kind: q.kind, start: q.date, end: q.date, isShipDate: q.isShipDate,
        arrivalStart: arrival, arrivalEnd: arrival,
        // An explicit date in a structured document is read for certain; a line without one is a confident "unknown".
        confidence: 0.95, sentence: q.sentence, rule: `x12-${q.status}`,
      }, now).quote,
    );
  });
  return report;
}

const EDI_FILE = /\.(?:edi|x12|txt|855|856)$/i;

/** Imports every EDI file in `dir` (already imported files change nothing). */
export function scanEdiFolder(db: Db, dir: string, now: string): EdiImportReport[] {
  const out: EdiImportReport[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!EDI_FILE.test(name)) continue;
    const content = fs.readFileSync(path.join(dir, name), 'utf8');
    if (!content.includes('ISA')) continue;
    out.push(importEdi(db, name, content, now));
  }
  return out;
}

/** Watches `dir` and imports files dropped into it; returns a function that stops watching. */
export function watchEdiFolder(db: Db, dir: string, now: () => string, onImport: (r: EdiImportReport[]) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const w = fs.watch(dir, () => {
    // Files are often written in several chunks: wait for the folder to settle.
    clearTimeout(timer);
    timer = setTimeout(() => onImport(scanEdiFolder(db, dir, now())), 500);
  });
  return () => {
    clearTimeout(timer);
    w.close();
  };
}
