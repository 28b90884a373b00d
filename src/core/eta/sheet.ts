/**
 * Supplier sheets: a table (a CSV file, or a Google Sheet's values) listing SKU, quantity, the quoted
 * date or date range, and optionally the PO number, one line per item. Pure: it turns the table's
 * cells into quote rows and a list of problems, each naming the file, the line (1-based, the header
 * is line 1) and the column header.
 *
 * The column mapping (shared/eta.ts SheetMapping: which header holds what, matched
 * case-insensitively) is given, or guessed from common header words ("SKU", "Item", "Qty", "ETA",
 * "Ship date", "PO"), and saved per supplier by the caller.
 *
 * Dates: ISO (2026-12-01), numeric with `/`, `.` or `-` read in the supplier's date locale (en-US
 * month/day, en-GB day/month; `.` is always day.month, as German and most European suppliers write
 * it), or with a month name ("1 Dec 2026", "Dec 1, 2026"). A numeric date whose day and month could
 * be swapped, from a supplier with no locale set, is refused with the fix (set the locale) rather than
 * guessed. Two-digit years are 20yy.
 */
import type { DateLocale, SheetMapping } from '../../shared/eta';
import { ymd } from './calendar';

/** One usable line of a supplier sheet. Dates are ISO days as quoted (ship or arrival: the caller's mapping decides). */
export interface SheetQuoteRow {
  /** 1-based line in the file (header = 1). */
  line: number;
  sku: string;
  quantity: number | null;
  start: string;
  end: string;
  poNumber: string | null;
}

/** A refused line or a missing column, located for the person fixing the file. */
export interface SheetProblem {
  file: string;
  line: number;
  /** The header name of the column, or the mapping field when the column is missing. */
  column: string;
  message: string;
}

const GUESSES: Record<'sku' | 'quantity' | 'date' | 'dateEnd' | 'po', RegExp> = {
  sku: /^(?:sku|item(?: ?(?:no\.?|number|code|#))?|part(?: ?(?:no\.?|number|#))?|article|product code|style)$/i,
  quantity: /^(?:qty|quantity|units|pcs|pieces|open qty|qty open|quantity open)$/i,
  date: /^(?:eta|eta date|date|ship date|ex ?works|etd|delivery date|due date|expected(?: date)?|arrival(?: date)?|promised date|eta from|start|eta start|earliest)$/i,
  dateEnd: /^(?:eta to|end|eta end|latest|to)$/i,
  po: /^(?:po|po ?#|po number|po no\.?|purchase order|order no\.?|order number)$/i,
};

/** Guesses the mapping from a header row; null when no SKU or no date column is recognisable. */
export function guessSheetMapping(header: readonly string[]): SheetMapping | null {
  const find = (re: RegExp, skip: ReadonlySet<string> = new Set()): string | undefined =>
    header.map((h) => h.trim()).find((h) => re.test(h) && !skip.has(h.toLowerCase()));
  const sku = find(GUESSES.sku);
  const date = find(GUESSES.date);
  if (!sku || !date) return null;
  const used = new Set([sku.toLowerCase(), date.toLowerCase()]);
  const quantity = find(GUESSES.quantity, used);
  const dateEnd = find(GUESSES.dateEnd, used);
  const po = find(GUESSES.po, used);
  return { sku, date, ...(quantity ? { quantity } : {}), ...(dateEnd ? { dateEnd } : {}), ...(po ? { po } : {}) };
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

const year4 = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));

/**
 * Reads one date cell (see module doc).
 * @returns the ISO day, or an error sentence for the problem list.
 */
export function parseSheetDate(raw: string, locale: DateLocale | null): { ok: true; day: string } | { ok: false; error: string } {
  const v = raw.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(v);
  if (m) {
    const d = ymd(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? { ok: true, day: d } : { ok: false, error: `"${v}" is not a calendar day` };
  }
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(v);
  if (m) {
    const d = ymd(year4(m[3]!), Number(m[2]), Number(m[1]));
    return d ? { ok: true, day: d } : { ok: false, error: `"${v}" is not a calendar day (read as day.month.year)` };
  }
  m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$/.exec(v);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = year4(m[3]!);
    let order: DateLocale | null = locale;
    if (!order) {
      if (a > 12 && b <= 12) order = 'en-GB';
      else if (b > 12 && a <= 12) order = 'en-US';
      else if (a === b) order = 'en-US';
      else return { ok: false, error: `"${v}" could be read as month/day or day/month: set the supplier's date locale (en-US or en-GB)` };
    }
    const d = order === 'en-US' ? ymd(y, a, b) : ymd(y, b, a);
    return d ? { ok: true, day: d } : { ok: false, error: `"${v}" is not a calendar day in the supplier's date order (${order === 'en-US' ? 'month/day' : 'day/month'})` };
  }
  m = /^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]{3,9})\.?,?[ -](\d{2}|\d{4})$/.exec(v) ?? null;
  if (m) {
    const month = MONTHS[m[2]!.slice(0, m[2]!.toLowerCase().startsWith('sept') ? 4 : 3).toLowerCase()];
    const d = month ? ymd(year4(m[3]!), month, Number(m[1])) : null;
    return d ? { ok: true, day: d } : { ok: false, error: `"${v}" is not a date` };
  }
  m = /^([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(v);
  if (m) {
    const month = MONTHS[m[1]!.slice(0, m[1]!.toLowerCase().startsWith('sept') ? 4 : 3).toLowerCase()];
    const d = month ? ymd(Number(m[3]), month, Number(m[2])) : null;
    return d ? { ok: true, day: d } : { ok: false, error: `"${v}" is not a date` };
  }
  return { ok: false, error: `"${v}" is not a date (expected e.g. 2026-12-01, ${locale === 'en-GB' ? '01/12/2026' : '12/01/2026'} or 1 Dec 2026)` };
}

/**
 * Turns a table into quote rows (see module doc). `records[0]` is the header; `lines[i]` is the
 * file line of `records[i]` (a quoted cell may span lines), default i + 1.
 */
export function readSheetTable(
  file: string,
  records: readonly (readonly string[])[],
  opts: { mapping?: SheetMapping | null; locale: DateLocale | null; lines?: readonly number[] },
): { mapping: SheetMapping | null; rows: SheetQuoteRow[]; problems: SheetProblem[] } {
  const header = (records[0] ?? []).map((h) => h.trim());
  const problems: SheetProblem[] = [];
  const mapping = opts.mapping ?? guessSheetMapping(header);
  if (!mapping) {
    problems.push({ file, line: 1, column: 'sku/date', message: `the header (${header.join(', ') || 'empty'}) has no recognisable SKU and date columns: give the mapping, e.g. --map sku=Item,date=ETA` });
    return { mapping: null, rows: [], problems };
  }
  const index = (name: string | undefined, field: string, required: boolean): number | null => {
    if (name === undefined) return null;
    const i = header.findIndex((h) => h.toLowerCase() === name.trim().toLowerCase());
    if (i < 0 && required) problems.push({ file, line: 1, column: name, message: `no column "${name}" for ${field} in the header (${header.join(', ')})` });
    if (i < 0 && !required) problems.push({ file, line: 1, column: name, message: `no column "${name}" for ${field} in the header; ignored` });
    return i < 0 ? null : i;
  };
  const cSku = index(mapping.sku, 'the SKU', true);
  const cDate = index(mapping.date, 'the quoted date', true);
  const cEnd = index(mapping.dateEnd, 'the end of the quoted range', false);
  const cQty = index(mapping.quantity, 'the quantity', false);
  const cPo = index(mapping.po, 'the PO number', false);
  if (cSku === null || cDate === null) return { mapping, rows: [], problems };

  const rows: SheetQuoteRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const r = records[i]!;
    const line = opts.lines?.[i] ?? i + 1;
    if (r.every((c) => !c.trim())) continue;
    const cell = (c: number | null): string => (c === null ? '' : (r[c] ?? '').trim());
    const bad = (column: string, message: string): void => void problems.push({ file, line, column, message });
    const sku = cell(cSku);
    if (!sku) {
      bad(mapping.sku, 'no SKU');
      continue;
    }
    const dateText = cell(cDate);
    if (!dateText) {
      bad(mapping.date, `no date for ${sku}`);
      continue;
    }
    const start = parseSheetDate(dateText, opts.locale);
    if (!start.ok) {
      bad(mapping.date, start.error);
      continue;
    }
    let end = start.day;
    const endText = cell(cEnd);
    if (endText) {
      const e = parseSheetDate(endText, opts.locale);
      if (!e.ok) {
        bad(mapping.dateEnd!, e.error);
        continue;
      }
      if (e.day < start.day) {
        bad(mapping.dateEnd!, `${e.day} is before the start ${start.day}`);
        continue;
      }
      end = e.day;
    }
    let quantity: number | null = null;
    const qtyText = cell(cQty).replace(/[,\s]/g, '');
    if (qtyText) {
      if (!/^\d+(?:\.0+)?$/.test(qtyText)) {
        bad(mapping.quantity!, `"${cell(cQty)}" is not a whole number of units`);
        continue;
      }
      quantity = Number(qtyText);
    }
    rows.push({ line, sku, quantity, start: start.day, end, poNumber: cell(cPo) || null });
  }
  return { mapping, rows, problems };
}

/**
 * Parses `--map sku=Item,date=ETA,qty=Open,po=PO` into a mapping.
 * @throws RangeError naming the bad part.
 */
export function parseMappingSpec(spec: string): SheetMapping {
  const out: Record<string, string> = {};
  const alias: Record<string, keyof SheetMapping> = { sku: 'sku', date: 'date', start: 'date', eta: 'date', end: 'dateEnd', dateend: 'dateEnd', qty: 'quantity', quantity: 'quantity', po: 'po' };
  for (const part of spec.split(',')) {
    const [k, ...v] = part.split('=');
    const key = alias[(k ?? '').trim().toLowerCase()];
    const value = v.join('=').trim();
    if (!key || !value) throw new RangeError(`--map: "${part}" is not field=Column (fields: sku, date, end, qty, po)`);
    out[key] = value;
  }
  if (!out.sku || !out.date) throw new RangeError('--map: needs at least sku=… and date=…');
  return out as unknown as SheetMapping;
}
