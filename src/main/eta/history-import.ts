/**
 * Reads a delivery-history CSV (the app's `supplier,ordered_at,quoted_date,received_at` with ISO
 * dates, or the USAID SCMS Delivery History columns) into history rows, with every refused row
 * located by line and field. csv-parse reads quoted multi-line fields and a BOM.
 */
import { parse } from 'csv-parse/sync';
import { detectMapping, historyFromTable, type HistoryMapping, type HistoryProblem } from '../../core/eta/history';
import type { HistoryRow } from '../../core/eta/types';
import { AppError } from '../../shared/result';

/** Rows of one history file. @throws AppError('BAD_INPUT') naming the file when it is no CSV or the header fits no mapping. */
export function readHistoryCsv(file: string, content: string, mapping?: HistoryMapping): { rows: (HistoryRow & { line: number })[]; problems: HistoryProblem[]; mapping: HistoryMapping } {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(content, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw new AppError('BAD_INPUT', `${file}: not a readable CSV (${err instanceof Error ? err.message : String(err)})`);
  }
  const records = parsed.map((p) => p.record);
  const lines = parsed.map((p) => p.info.lines);
  const m = mapping ?? detectMapping(records[0] ?? []);
  if (!m) {
    throw new AppError('BAD_INPUT', `${file} line 1: the header needs the columns supplier, ordered_at, quoted_date, received_at (or the USAID SCMS columns vendor, po sent to vendor date, scheduled delivery date, delivered to client date)`);
  }
  const { rows, problems } = historyFromTable(records, lines, m);
  // historyFromTable keeps row order, skipping refused ones; map back to lines for the dedupe key.
  const refusedLines = new Set(problems.map((p) => p.line));
  const okLines = lines.slice(1).filter((l, i) => !refusedLines.has(l) && !(records[i + 1] ?? []).every((c) => !c.trim()));
  return { rows: rows.map((r, i) => ({ ...r, line: okLines[i] ?? 0 })), problems, mapping: m };
}
