/**
 * Contract handlers for linked Google Sheets: `eta.linkSheet` (save the sheet id, range and column
 * mapping on the supplier, then read it once) and `eta.syncSheets` (read every linked sheet, or one
 * supplier's, into quotes). Reading uses the Google connection's OAuth client (`authorize`), which
 * asks for the Sheets scope only once a sheet is linked (google-sheets.ts).
 */
import type { z } from 'zod';
import type { OAuth2Client } from '../gmail/client';
import type { SheetImportReport, sheetLinkSchema, SupplierRow } from '../../shared/eta';
import { AppError } from '../../shared/result';
import type { Db } from '../store/db';
import { readGoogleSheet, SHEETS_SCOPE, spreadsheetIdOf } from './google-sheets';
import { importSheet } from './sheet-import';
import { getSupplier, listSuppliers, seedSuppliersFromVendors, upsertSupplier } from './suppliers';

/** Range read when the owner gives none: the first tab, columns A to Z. */
export const DEFAULT_SHEET_RANGE = 'A:Z';

/** The extra scope to ask for at connect time: the Sheets one once any supplier has a linked sheet. */
export function sheetScopes(db: Db): string[] {
  return listSuppliers(db).some((s) => s.sheetMapping?.googleSheetId) ? [SHEETS_SCOPE] : [];
}

/** The handlers (see module doc). */
export function sheetHandlers(ctx: { db: Db; now: () => string; authorize: () => Promise<OAuth2Client>; rootUrl?: string }) {
  const { db, now } = ctx;

  async function readLinked(s: SupplierRow): Promise<SheetImportReport> {
    const m = s.sheetMapping;
    if (!m?.googleSheetId) throw new AppError('NOT_FOUND', `supplier ${s.name}: no Google Sheet is linked (eta sheet link)`);
    const table = await readGoogleSheet(await ctx.authorize(), m.googleSheetId, m.googleRange ?? DEFAULT_SHEET_RANGE, ctx.rootUrl);
    // The saved mapping's header names apply only when the owner set them; else the header is read afresh.
    const name = `Google Sheet ${m.googleSheetId.slice(0, 12)}…`;
    return importSheet(db, { supplier: s.name, name, table, ...(m.sku && m.date ? { mapping: { sku: m.sku, date: m.date, ...(m.dateEnd ? { dateEnd: m.dateEnd } : {}), ...(m.quantity ? { quantity: m.quantity } : {}), ...(m.po ? { po: m.po } : {}) } } : {}) }, now());
  }

  return {
    /**
     * Links a sheet to a supplier and reads it.
     * @throws AppError('UNAUTHORIZED') when Google has not granted the Sheets scope yet: the link is
     *   kept, and the owner reconnects Google (the next connect asks for the scope).
     */
    'eta.linkSheet': async (i: z.output<typeof sheetLinkSchema>): Promise<{ supplier: SupplierRow; report: SheetImportReport }> => {
      seedSuppliersFromVendors(db, now());
      const s = getSupplier(db, i.supplier);
      if (!s) throw new AppError('NOT_FOUND', `supplier: no supplier named "${i.supplier}"`);
      const id = spreadsheetIdOf(i.sheet);
      // Without a mapping the header names stay empty until the first read guesses and saves them.
      const columns = i.mapping ?? s.sheetMapping ?? { sku: '', date: '' };
      const supplier = upsertSupplier(db, { name: s.name, sheetMapping: { ...columns, googleSheetId: id, googleRange: i.range ?? DEFAULT_SHEET_RANGE } }, now());
      return { supplier: getSupplier(db, supplier.name)!, report: await readLinked(supplier) };
    },
    'eta.syncSheets': async (i: { supplier?: string }): Promise<SheetImportReport[]> => {
      const list = listSuppliers(db).filter((s) => s.sheetMapping?.googleSheetId && (!i.supplier || s.name.toLowerCase() === i.supplier.toLowerCase()));
      if (i.supplier && !list.length) throw new AppError('NOT_FOUND', `supplier ${i.supplier}: no Google Sheet is linked`);
      const out: SheetImportReport[] = [];
      for (const s of list) out.push(await readLinked(s));
      return out;
    },
  };
}
