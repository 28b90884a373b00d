/**
 * Reads an orders export while it is being scanned and hands the orders on in batches, so that the
 * importer can store the first orders while the rest of the file is still being read. Runs in the parse
 * worker (orders-worker.ts); the tests also run it directly.
 *
 * It gives exactly what readCsv + readOrders give for the same file — the same orders in the same
 * order, the same refusals and warnings, the same rows read — or, where it cannot promise that, it
 * stops with a `fallback` message and the importer reads the file the whole-file way instead:
 * - the text is not one the fast scanner reads (a stray quote, mixed line endings, an unpaired
 *   surrogate; see scanWellFormedCsv), or its first record is not on line 1;
 * - an order's rows are not together (a Name seen again after another order's rows): readOrders
 *   groups such rows wherever they are, which needs the whole file first. The Shopify admin writes an
 *   order's rows together; a file re-sorted in a spreadsheet may not.
 * Binary or empty text also falls back, and the whole-file reader then refuses it with its message.
 */
import { createHash } from 'node:crypto';
import type { ImportProblem } from '../../../shared/domain';
import { acceptDataRow, checkText, decode, hasUnpairedSurrogate, headerOf, WellFormedCsvScanner, type CsvRow } from './csv';
import { OrderBatchEncoder, type EncodedOrderBatch } from './order-batches';
import { OrdersReader } from './orders';

/** What {@link readOrdersInParts} hands on, in this order: batches, then `done` — or `fallback` at any point. */
export type OrdersPartMessage =
  | { type: 'batch'; batch: EncodedOrderBatch }
  | {
      type: 'done';
      /** SHA-256 of the file's content (a string as its UTF-8 bytes), hex. */
      sha256: string;
      /** Rows the table has plus rows the CSV reader refused (the report's rowsRead). */
      rowsRead: number;
      /** readCsv's refusals (sorted by line) and warnings, then readOrders' refusals and warnings. */
      csvRefused: ImportProblem[];
      csvWarnings: ImportProblem[];
      readRefused: ImportProblem[];
      readWarnings: ImportProblem[];
    }
  | { type: 'fallback'; reason: string };

/** What to read. */
export interface OrdersPartsInput {
  /** File name as the person knows it; used in every message. */
  file: string;
  content: string | Uint8Array;
  /** See readOrders. */
  fallbackCurrency: string | null;
  /**
   * The column names the importer took the file's layout from (its first line); when the decoded
   * text's header differs (a BOM before text that is not UTF-8), the whole-file reader decides.
   */
  header?: readonly string[];
  /** Orders in the first batch (small, so that storing starts soon) and in each later one. */
  firstBatch?: number;
  batch?: number;
}

/** Records scanned at a time. */
const SCAN_STEP = 512;

/**
 * Reads `input` and calls `emit` with each batch, then `done`; or with one `fallback` and stops.
 * Errors other than the fallbacks above are thrown.
 */
export function readOrdersInParts(input: OrdersPartsInput, emit: (m: OrdersPartMessage) => void): void {
  const { file, fallbackCurrency } = input;
  const firstBatch = input.firstBatch ?? 200;
  const batchSize = input.batch ?? 1000;
  const content = typeof input.content === 'string' ? input.content : Buffer.from(input.content.buffer, input.content.byteOffset, input.content.byteLength);
  const { text, warnings: csvWarnings } = decode(file, content);
  try {
    checkText(file, text);
  } catch {
    emit({ type: 'fallback', reason: 'the text is empty or binary' });
    return;
  }
  if (hasUnpairedSurrogate(text)) {
    emit({ type: 'fallback', reason: 'the text has an unpaired surrogate' });
    return;
  }
  const scanner = new WellFormedCsvScanner(text);
  const head = scanner.next(1)?.[0];
  if (!head || head.line !== 1) {
    emit({ type: 'fallback', reason: 'the first record is not a header on line 1' });
    return;
  }
  const header = headerOf(head);
  if (input.header && (input.header.length !== header.length || input.header.some((h, i) => h !== header[i]))) {
    emit({ type: 'fallback', reason: 'the header reads differently once the file is decoded' });
    return;
  }
  const reader = new OrdersReader(file, header, fallbackCurrency);
  const encoder = new OrderBatchEncoder();
  const csvRefused: ImportProblem[] = [];
  const finished = new Set<string>();
  let rowsKept = 0;
  let current = '';
  let rows: CsvRow[] = [];
  let pending = 0;
  let sent = 0;

  const flush = (): void => {
    const orders = reader.take();
    if (orders.length === 0) return;
    emit({ type: 'batch', batch: encoder.encode(orders) });
    sent += 1;
    pending = 0;
  };

  while (!scanner.done) {
    const part = scanner.next(SCAN_STEP);
    if (part === null) {
      emit({ type: 'fallback', reason: 'the text is not well-formed CSV throughout' });
      return;
    }
    for (const row of part) {
      if (!acceptDataRow(file, row, header.length, csvRefused)) continue;
      rowsKept += 1;
      const name = reader.nameOf(row);
      if (name === '') continue;
      if (name === current) {
        rows.push(row);
        continue;
      }
      if (current !== '') {
        reader.group(current, rows);
        finished.add(current);
        pending += 1;
        if (pending >= (sent === 0 ? firstBatch : batchSize)) flush();
      }
      if (finished.has(name)) {
        emit({ type: 'fallback', reason: `the rows of order ${name} are not together` });
        return;
      }
      current = name;
      rows = [row];
    }
  }
  if (current !== '') reader.group(current, rows);
  const read = reader.finish();
  if (read.orders.length > 0) emit({ type: 'batch', batch: encoder.encode(read.orders) });
  csvRefused.sort((a, b) => a.line - b.line);
  emit({
    type: 'done',
    sha256: createHash('sha256').update(content).digest('hex'),
    rowsRead: rowsKept + csvRefused.length,
    csvRefused,
    csvWarnings,
    readRefused: read.refused,
    readWarnings: read.warnings,
  });
}
