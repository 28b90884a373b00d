/**
 * Evaluation of reply triage on a labelled file: how well "needs a person" is found.
 *
 * Input: CSV or TSV text. The delimiter is a tab when the file name ends in .tsv or .txt or the
 * first line holds a tab, else a comma. The first row is a header when it has columns named `text`
 * and `label` (any case; other columns are kept for `where` filters and otherwise ignored). When it
 * has not, the file is read as headerless `text<delimiter>label` (the UCI "Sentiment Labelled
 * Sentences" layout): the label is the last field of each line, the text everything before it.
 *
 * Labels: positive | neutral | negative (also pos/neg, any case), or 1 (positive) / 0 (negative).
 * "Needs a person" = negative. Rows with an empty text or another label are skipped and counted.
 */
import { parse } from 'csv-parse/sync';
import type { Triage } from './types';

export type Label = 'positive' | 'neutral' | 'negative';

export interface LabelledRow {
  text: string;
  label: Label;
  /** Every column of the row by lower-cased header name (empty for headerless files). */
  columns: Record<string, string>;
  /** 1-based line of the row's start in the file. */
  line: number;
}

export interface LabelledFile {
  rows: LabelledRow[];
  /** Rows skipped: empty text or an unknown label. */
  skipped: { line: number; reason: string }[];
  headerless: boolean;
}

/** Figures printed by `triage eval`. Ratios are 0..1, rounded to 3 decimals; null when undefined (0/0). */
export interface EvalFigures {
  n: number;
  needsPersonPrecision: number | null;
  needsPersonRecall: number | null;
  accuracy: number | null;
}

/** Maps a label as written to a Label, or null when it is not one. */
export function parseLabel(raw: string): Label | null {
  const v = raw.trim().toLowerCase();
  if (v === 'positive' || v === 'pos' || v === '1') return 'positive';
  if (v === 'negative' || v === 'neg' || v === '0') return 'negative';
  if (v === 'neutral') return 'neutral';
  return null;
}

/** Reads a labelled CSV/TSV (see module doc). @throws Error when a CSV with a header cannot be parsed. */
export function readLabelledFile(content: string, fileName: string): LabelledFile {
  const body = content.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const tab = /\.(tsv|txt)$/i.test(fileName) || firstLine.includes('\t');
  const delimiter = tab ? '\t' : ',';
  const headerCells = firstLine.split(delimiter).map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  const hasHeader = headerCells.includes('text') && headerCells.includes('label');
  const rows: LabelledRow[] = [];
  const skipped: { line: number; reason: string }[] = [];
  const add = (text: string, rawLabel: string, columns: Record<string, string>, line: number): void => {
    const label = parseLabel(rawLabel);
    if (!text.trim()) skipped.push({ line, reason: 'empty text' });
    else if (!label) skipped.push({ line, reason: `unknown label "${rawLabel}"` });
    else rows.push({ text, label, columns, line });
  };

  if (!hasHeader) {
    // Headerless: the label is the last field, so a text holding the delimiter stays whole.
    body.split(/\r?\n/).forEach((l, i) => {
      if (!l.trim()) return;
      const at = l.lastIndexOf(delimiter);
      if (at < 0) skipped.push({ line: i + 1, reason: 'no label field' });
      else add(l.slice(0, at).trim(), l.slice(at + 1), {}, i + 1);
    });
    return { rows, skipped, headerless: true };
  }

  const records = parse(body, {
    delimiter,
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: tab,
    quote: tab ? false : '"',
    info: true,
    raw: true,
  }) as { record: Record<string, string>; info: { lines: number }; raw: string }[];
  // info.lines is where the record ends; a quoted multi-line text started that many newlines earlier.
  for (const { record, info, raw } of records) {
    const inner = raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0;
    add(record.text ?? '', record.label ?? '', record, info.lines - inner);
  }
  return { rows, skipped, headerless: false };
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);

/** What a triage predicts as a label: negative when a person is needed. */
export function predictedLabel(t: Pick<Triage, 'needsPerson' | 'sentiment'>, binary: boolean): Label {
  if (t.needsPerson) return 'negative';
  if (binary) return 'positive';
  return t.sentiment === 'positive' ? 'positive' : 'neutral';
}

/**
 * Scores `classify` on the rows. Accuracy compares the predicted label with the given one; when no
 * row is labelled neutral (binary files such as UCI's 1/0), "no person needed" counts as positive.
 */
export function evaluate(rows: readonly LabelledRow[], classify: (text: string) => Pick<Triage, 'needsPerson' | 'sentiment'>): EvalFigures & {
  tp: number;
  fp: number;
  fn: number;
  misses: { line: number; text: string; label: Label; predicted: Label }[];
} {
  const binary = !rows.some((r) => r.label === 'neutral');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  const misses: { line: number; text: string; label: Label; predicted: Label }[] = [];
  for (const r of rows) {
    const predicted = predictedLabel(classify(r.text), binary);
    const wantPerson = r.label === 'negative';
    const gotPerson = predicted === 'negative';
    if (wantPerson && gotPerson) tp++;
    else if (gotPerson) fp++;
    else if (wantPerson) fn++;
    if (predicted === r.label) correct++;
    else misses.push({ line: r.line, text: r.text, label: r.label, predicted });
  }
  return {
    n: rows.length,
    needsPersonPrecision: ratio(tp, tp + fp),
    needsPersonRecall: ratio(tp, tp + fn),
    accuracy: ratio(correct, rows.length),
    tp,
    fp,
    fn,
    misses,
  };
}
