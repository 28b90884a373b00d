/**
 * Reading a Shopify CSV export into rows that know their physical line numbers.
 *
 * Parsing is csv-parse (RFC 4180: quoted fields with commas, doubled quotes and line breaks; CRLF or
 * LF). The text is decoded first: a UTF-8 BOM is dropped, UTF-16 with a BOM is decoded, and a file
 * that is not valid UTF-8 (an export re-saved by a spreadsheet on Windows) is read as Windows-1252
 * with a warning. Each row carries the 1-based physical line where its record starts (the header is
 * line 1), so a problem in a record whose quoted field spans lines still points at its first line.
 *
 * Malformed CSV never throws past this module: an unterminated quote becomes a refusal naming the
 * line where the quoted field opened (everything after it is part of that field, so unread), and a
 * row with more fields than the header is refused because its columns would be shifted.
 *
 * Speed: a well-formed file (every quote opens a field and closes it, one line ending throughout —
 * what the Shopify admin writes) is split by a small scanner over the decoded text that yields the
 * same records csv-parse does; csv-parse needed about 2 s for a 20 MB orders export. Anything the
 * scanner does not recognise — a stray quote, mixed or old-Mac line endings, an unterminated field,
 * unpaired surrogates — sends the whole file through csv-parse, so every irregular file is read
 * exactly as before.
 */
import { parse, type CsvError } from 'csv-parse/sync';
import type { ImportProblem } from '../../../shared/domain';
import { AppError } from '../../../shared/result';
import { CellError } from './values';

/** One data row: the line its record starts on and its cells as written (untrimmed). */
export interface CsvRow {
  line: number;
  cells: readonly string[];
}

/** A decoded, parsed file: header as written, data rows, and what the reader refused or noticed. */
export interface CsvTable {
  file: string;
  header: readonly string[];
  rows: CsvRow[];
  refused: ImportProblem[];
  warnings: ImportProblem[];
}

/** Builds an {@link ImportProblem} whose message is a self-contained sentence for a person. */
export function problem(file: string, line: number, column: string | null, detail: string): ImportProblem {
  const where = column === null ? `${file} line ${line}` : `${file} line ${line}, column "${column}"`;
  return { file, line, column, message: `${where}: ${detail}` };
}

/**
 * A row that cannot be imported. Thrown by row readers, caught by the per-file loop, and recorded
 * in the report's `refused` list; the rest of the file still imports.
 */
export class RowRefusal extends Error {
  constructor(
    readonly column: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'RowRefusal';
  }
}

/**
 * Canonical form of a column name: trimmed, lower case, single spaces, 'Option 1' → 'option1', and
 * Shopify's "(not editable)" / "(current)" suffixes of the inventory export dropped, so header
 * variants across export versions compare equal. "On hand (new)" is kept apart on purpose: it is the
 * column a merchant edits before re-importing, not a quantity Shopify reported.
 */
export function normalizeColumnName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/ \((not editable|current)\)$/, '')
    .replace(/^option (\d)/, 'option$1');
}

/** Case-insensitive access to a table's columns by canonical name (see {@link normalizeColumnName}). */
export class Columns {
  private readonly byKey = new Map<string, number>();

  constructor(readonly header: readonly string[]) {
    header.forEach((name, i) => {
      const key = normalizeColumnName(name);
      if (key !== '' && !this.byKey.has(key)) this.byKey.set(key, i);
    });
  }

  /** Canonical names of the header, in file order (duplicates and blanks left out). */
  keys(): string[] {
    return [...this.byKey.keys()];
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** The first of `keys` the header has, or null. */
  pick(...keys: string[]): string | null {
    return keys.find((k) => this.byKey.has(k)) ?? null;
  }

  /** The column's name as the file spells it (for messages), or the key when absent. */
  original(key: string): string {
    const i = this.byKey.get(key);
    return i === undefined ? key : (this.header[i] ?? key).replace(/^\uFEFF/, '').trim();
  }

  /** The cell, trimmed; '' when the column is absent or the row is short. */
  get(row: CsvRow, key: string | null): string {
    if (key === null) return '';
    const i = this.byKey.get(key);
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  }

  /**
   * Reads a cell through `parser`; a {@link CellError} becomes a {@link RowRefusal} naming the column.
   * Other errors pass through.
   */
  read<T>(row: CsvRow, key: string, parser: (raw: string) => T): T {
    try {
      return parser(this.get(row, key));
    } catch (err) {
      if (err instanceof CellError) throw new RowRefusal(this.original(key), err.message);
      throw err;
    }
  }
}

/** Decoded text of a file plus a warning when it was not UTF-8. */
export function decode(file: string, content: string | Buffer): { text: string; warnings: ImportProblem[] } {
  if (typeof content === 'string') return { text: content.replace(/^\uFEFF/, ''), warnings: [] };
  if (content[0] === 0xff && content[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(content), warnings: [] };
  if (content[0] === 0xfe && content[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(content), warnings: [] };
  try {
    // TextDecoder drops a UTF-8 BOM by default.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(content), warnings: [] };
  } catch {
    return {
      text: new TextDecoder('windows-1252').decode(content),
      warnings: [
        problem(file, 1, null, 'the file is not UTF-8 (Shopify exports are); it was read as Windows-1252, check accented letters'),
      ],
    };
  }
}

/** Offsets (in `buf`) where each physical line starts; CRLF, LF and a lone CR each end a line. */
function lineStarts(buf: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0a) starts.push(i + 1);
    else if (b === 0x0d && buf[i + 1] !== 0x0a) starts.push(i + 1);
  }
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Records of a well-formed CSV text, exactly as csv-parse (with {@link parseRecords}' options) gives
 * them, or null when the text has anything irregular, for csv-parse to handle.
 *
 * The grammar accepted: fields separated by ',', each either unquoted (no '"', CR or LF) or quoted
 * ('"…"' with '""' for a quote, anything else inside, followed by ',', the line ending or the end);
 * records separated by the first line ending found outside quotes — LF or CRLF, as csv-parse
 * discovers it — used consistently. An empty line is a record of one empty field, and a final line
 * ending adds no record, as in csv-parse. Lines count CRLF, LF and a lone CR as {@link lineStarts} does.
 * @internal exported for the tests that compare it with csv-parse.
 */
export function scanWellFormedCsv(text: string): CsvRow[] | null {
  if (hasUnpairedSurrogate(text)) return null; // csv-parse reads them as U+FFFD through UTF-8
  const scanner = new WellFormedCsvScanner(text);
  const rows: CsvRow[] = [];
  for (;;) {
    const part = scanner.next(Infinity);
    if (part === null) return null;
    for (const r of part) rows.push(r);
    if (scanner.done) return rows;
  }
}

/**
 * {@link scanWellFormedCsv} a part at a time, for a reader that hands rows on while the file is
 * still being scanned (the orders parse worker). The caller checks the text for unpaired surrogates
 * first, as scanWellFormedCsv does.
 */
export class WellFormedCsvScanner {
  private readonly len: number;
  private pos = 0;
  private line = 1;
  private ending = 0; // 0 = not seen yet, else LF or CR (= CRLF)
  private nextQuote = -1;
  private nextCr = -1;

  constructor(private readonly text: string) {
    this.len = text.length;
  }

  /** Whether every record has been returned. */
  get done(): boolean {
    return this.pos >= this.len;
  }

  /** Up to `maxRows` further records (none when done), or null when the text turns out irregular. */
  next(maxRows: number): CsvRow[] | null {
    const { text, len } = this;
    let { pos, line, ending, nextQuote, nextCr } = this;
    const rows: CsvRow[] = [];
    while (pos < len && rows.length < maxRows) {
      const recordLine = line;

      // Most records are one physical line without quotes: split natively, no per-character work.
      if (nextQuote < pos) nextQuote = text.indexOf('"', pos) >>> 0; // -1 (none) becomes 2^32 - 1
      let lf = text.indexOf('\n', pos);
      if (lf < 0) lf = len;
      if (nextQuote >= lf) {
        if (nextCr < pos) nextCr = text.indexOf('\r', pos) >>> 0;
        let end = lf;
        if (nextCr < lf) {
          if (nextCr !== lf - 1 || lf === len) return null; // a lone CR (old Mac ending, or a stray one)
          if (ending === 0) ending = CR;
          else if (ending !== CR) return null;
          end = lf - 1;
        } else if (lf < len) {
          if (ending === 0) ending = LF;
          else if (ending !== LF) return null;
        }
        rows.push({ line: recordLine, cells: text.slice(pos, end).split(',') });
        pos = lf + 1;
        line++;
        continue;
      }

      const cells: string[] = [];
      for (;;) {
        let c = text.charCodeAt(pos);
        if (c === QUOTE) {
          let value = '';
          let from = pos + 1;
          let i = from;
          for (;;) {
            if (i >= len) return null; // never closed
            const q = text.charCodeAt(i);
            if (q === QUOTE) {
              if (text.charCodeAt(i + 1) === QUOTE) {
                value += text.slice(from, i + 1);
                i += 2;
                from = i;
                continue;
              }
              value += text.slice(from, i);
              pos = i + 1;
              break;
            }
            if (q === LF || (q === CR && text.charCodeAt(i + 1) !== LF)) line++;
            i++;
          }
          cells.push(value);
        } else {
          let i = pos;
          while (i < len) {
            c = text.charCodeAt(i);
            if (c === COMMA || c === LF || c === CR) break;
            if (c === QUOTE) return null; // a quote inside an unquoted field (relax_quotes keeps it)
            i++;
          }
          cells.push(text.slice(pos, i));
          pos = i;
        }
        if (pos >= len) break;
        c = text.charCodeAt(pos);
        if (c === COMMA) {
          pos++;
          if (pos >= len) {
            cells.push(''); // 'a,' at the very end: csv-parse ends the record with an empty field
            break;
          }
          continue;
        }
        if (c === LF) {
          if (ending === 0) ending = LF;
          else if (ending !== LF) return null;
          pos++;
        } else if (c === CR && text.charCodeAt(pos + 1) === LF) {
          if (ending === 0) ending = CR;
          else if (ending !== CR) return null;
          pos += 2;
        } else {
          return null; // text after a closing quote, or a lone CR
        }
        line++;
        break;
      }
      rows.push({ line: recordLine, cells });
    }
    Object.assign(this, { pos, line, ending, nextQuote, nextCr });
    return rows;
  }
}

/**
 * Records of `text` through csv-parse, each with the physical line it starts on; malformed records
 * are skipped and described in `refused`.
 * @internal exported for the tests that compare it with {@link scanWellFormedCsv}.
 */
export function parseRecords(file: string, text: string): { records: CsvRow[]; refused: ImportProblem[] } {
  const buf = Buffer.from(text, 'utf8');
  const starts = lineStarts(buf);
  const lastLine = lineAt(starts, Math.max(0, buf.length - 1));
  const records: CsvRow[] = [];
  const refused: ImportProblem[] = [];
  let recordStart = 0;

  parse(buf, {
    relax_column_count: true,
    // A stray quote inside an unquoted field (a hand edit) is kept as text instead of derailing
    // every following row.
    relax_quotes: true,
    skip_records_with_error: true,
    on_record: (record: string[], ctx) => {
      records.push({ line: lineAt(starts, recordStart), cells: record });
      recordStart = ctx.bytes;
      return null;
    },
    on_skip: (err: CsvError | undefined) => {
      // The bad record starts where the last good one ended.
      const line = lineAt(starts, recordStart);
      // Best effort for the (rare, with relax_quotes) errors parsing continues after: the next record
      // starts where the parser stopped.
      if (typeof err?.['bytes'] === 'number') recordStart = err['bytes'];
      if (err?.code === 'CSV_QUOTE_NOT_CLOSED') {
        const span = lastLine > line ? `; lines ${line}–${lastLine} were not read` : '';
        refused.push(problem(file, line, null, `a quoted field opened on this line is never closed${span}`));
      } else {
        refused.push(problem(file, line, null, `this record is not valid CSV (${err?.message ?? 'unreadable'})`));
      }
      return undefined;
    },
  });
  return { records, refused };
}

/** Whether every cell from index `from` on is empty or white space (true when there are none). */
function blankFrom(cells: readonly string[], from: number): boolean {
  for (let i = from; i < cells.length; i++) if (cells[i]!.trim() !== '') return false;
  return true;
}

/**
 * Refuses a decoded text that cannot be a CSV export.
 * @throws AppError('BAD_INPUT') when it is empty or binary (contains NUL).
 */
export function checkText(file: string, text: string): void {
  if (text.includes('\u0000')) {
    throw new AppError('BAD_INPUT', `${file}: this is not a CSV text file (it contains binary data). Export it again from the Shopify admin as CSV.`);
  }
  if (text.trim() === '') {
    throw new AppError('BAD_INPUT', `${file}: the file is empty; expected a Shopify CSV export starting with a header line.`);
  }
}

/** Whether `text` has an unpaired UTF-16 surrogate, which {@link scanWellFormedCsv} leaves to csv-parse. */
export const hasUnpairedSurrogate = (text: string): boolean => UNPAIRED_SURROGATE.test(text);

/**
 * Reads `content` as a CSV file named `file`.
 * @throws AppError('BAD_INPUT') when the file is empty, binary, or has no readable header line;
 *   every other defect is reported per row in the table's `refused` list.
 */
export function readCsv(file: string, content: string | Buffer): CsvTable {
  const { text, warnings } = decode(file, content);
  checkText(file, text);

  const scanned = scanWellFormedCsv(text);
  const { records, refused } = scanned ? { records: scanned, refused: [] } : parseRecords(file, text);
  const head = records[0];
  if (!head || head.line !== 1) {
    throw new AppError('BAD_INPUT', `${file}: the first line is not a CSV header${refused[0] ? ` (${refused[0].message})` : ''}.`);
  }
  const header = headerOf(head);
  const rows: CsvRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const row = records[r]!;
    if (acceptDataRow(file, row, header.length, refused)) rows.push(row);
  }
  refused.sort((a, b) => a.line - b.line);
  return { file, header, rows, refused, warnings };
}

/** The header's column names as written (BOM and surrounding white space removed). */
export function headerOf(head: CsvRow): string[] {
  return head.cells.map((h) => h.replace(/^\uFEFF/, '').trim());
}

/**
 * Whether a data record is a row of the table: blank lines (and ',,,' lines) are skipped, a record
 * with more non-empty fields than the header has columns is refused into `refused`. A kept row's
 * trailing empty cells are dropped.
 */
export function acceptDataRow(file: string, row: CsvRow, headerLength: number, refused: ImportProblem[]): boolean {
  if (blankFrom(row.cells, 0)) return false;
  if (!blankFrom(row.cells, headerLength)) {
    refused.push(
      problem(file, row.line, null, `the row has ${row.cells.length} fields but the header has ${headerLength}; a comma or quote is probably out of place`),
    );
    return false;
  }
  // Trailing empty cells read as '' either way (see Columns.get); an orders export's line rows
  // leave most of its ~80 columns empty, and dropping them keeps a large file's rows much smaller.
  const cells = row.cells as string[];
  let n = cells.length;
  while (n > 0 && cells[n - 1] === '') n--;
  cells.length = n;
  return true;
}
