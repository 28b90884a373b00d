/**
 * Delivery history rows from a table (CSV already split into cells): the app's own format
 * `supplier,ordered_at,quoted_date,received_at` with ISO dates, or another table through a column
 * mapping. A preset maps the USAID SCMS Delivery History Dataset (vendor; PO sent to vendor date,
 * M/D/YYYY; scheduled delivery date and delivered to client date, D-Mon-YY): the scheduled date is
 * the quote, the PO date the day it was made. Placeholders such as "Date Not Captured" or
 * "N/A - From RDC" in the order date leave it unknown (the row is history only, never scored).
 */
import { ymd } from './calendar';
import type { HistoryRow } from './types';

export type DateFormat = 'iso' | 'mdy' | 'dmy' | 'd-mon-yy';

export interface HistoryMapping {
  name: string;
  supplier: string;
  orderedAt: string;
  quotedDate: string;
  receivedAt: string;
  /** Formats tried in order for every date cell. */
  dateFormats: DateFormat[];
  /** Values that mean "no date" rather than a malformed one. */
  blanks: RegExp;
}

export const APP_HISTORY_MAPPING: HistoryMapping = {
  name: 'backorder-desk',
  supplier: 'supplier',
  orderedAt: 'ordered_at',
  quotedDate: 'quoted_date',
  receivedAt: 'received_at',
  dateFormats: ['iso'],
  blanks: /^$/,
};

export const USAID_SCMS_MAPPING: HistoryMapping = {
  name: 'usaid-scms',
  supplier: 'vendor',
  orderedAt: 'po sent to vendor date',
  quotedDate: 'scheduled delivery date',
  receivedAt: 'delivered to client date',
  dateFormats: ['d-mon-yy', 'mdy', 'iso'],
  blanks: /^(?:|date not captured|n\/a.*|pre-pq process|not applicable)$/i,
};

/** A refused row, located for a person to fix. */
export interface HistoryProblem {
  line: number;
  field: string;
  message: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A cell as an ISO day under one of `formats`; null when none fits. */
export function parseDateCell(cell: string, formats: readonly DateFormat[]): string | null {
  const s = cell.trim();
  for (const f of formats) {
    let m: RegExpExecArray | null;
    if (f === 'iso' && (m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) {
      const d = ymd(Number(m[1]), Number(m[2]), Number(m[3]));
      if (d) return d;
    }
    if ((f === 'mdy' || f === 'dmy') && (m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s))) {
      const [a, b] = [Number(m[1]), Number(m[2])];
      const d = f === 'mdy' ? ymd(Number(m[3]), a, b) : ymd(Number(m[3]), b, a);
      if (d) return d;
    }
    if (f === 'd-mon-yy' && (m = /^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})$/.exec(s))) {
      const mo = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
      const y = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
      const d = mo ? ymd(y, mo, Number(m[1])) : null;
      if (d) return d;
    }
  }
  return null;
}

/** Picks the mapping a header fits: the app's own, or the USAID preset; null when neither. */
export function detectMapping(header: readonly string[]): HistoryMapping | null {
  const h = new Set(header.map((c) => c.trim().toLowerCase()));
  for (const m of [APP_HISTORY_MAPPING, USAID_SCMS_MAPPING]) {
    if ([m.supplier, m.orderedAt, m.quotedDate, m.receivedAt].every((c) => h.has(c))) return m;
  }
  return null;
}

/**
 * Rows of a history table. `records[0]` is the header; `lines[i]` is the 1-based file line of
 * `records[i]`. A row with no supplier or no readable quoted date is refused; an unreadable order
 * or arrival date is refused too unless it is one of the mapping's blanks.
 */
export function historyFromTable(
  records: readonly (readonly string[])[],
  lines: readonly number[],
  mapping: HistoryMapping,
): { rows: HistoryRow[]; problems: HistoryProblem[] } {
  const header = (records[0] ?? []).map((c) => c.trim().toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  const idx = { supplier: col(mapping.supplier), orderedAt: col(mapping.orderedAt), quotedDate: col(mapping.quotedDate), receivedAt: col(mapping.receivedAt) };
  const problems: HistoryProblem[] = [];
  for (const [k, i] of Object.entries(idx)) {
    if (i < 0) problems.push({ line: 1, field: mapping[k as keyof typeof idx], message: 'column missing from the header' });
  }
  if (problems.length) return { rows: [], problems };
  const rows: HistoryRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r]!;
    const line = lines[r] ?? r + 1;
    if (rec.every((c) => !c.trim())) continue;
    const cell = (i: number): string => (rec[i] ?? '').trim();
    const supplier = cell(idx.supplier);
    if (!supplier) {
      problems.push({ line, field: mapping.supplier, message: 'empty' });
      continue;
    }
    const date = (field: keyof typeof idx, required: boolean): string | null | undefined => {
      const raw = cell(idx[field]);
      const d = parseDateCell(raw, mapping.dateFormats);
      if (d) return d;
      if (!required && mapping.blanks.test(raw)) return null;
      problems.push({ line, field: mapping[field], message: raw ? `"${raw}" is not a date (${mapping.dateFormats.join(' or ')})` : 'empty' });
      return undefined;
    };
    const quotedDate = date('quotedDate', true);
    const orderedAt = date('orderedAt', false);
    const receivedAt = date('receivedAt', false);
    if (quotedDate === undefined || quotedDate === null || orderedAt === undefined || receivedAt === undefined) continue;
    rows.push({ supplier, orderedAt, quotedDate, receivedAt });
  }
  return { rows, problems };
}
