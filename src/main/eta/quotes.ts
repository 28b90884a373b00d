/**
 * Stored ETA quotes and delivery history (tables `eta_quotes`, `supplier_arrivals`, migration 3).
 *
 * A new quote for a variant supersedes the older active ones. A quote below the review threshold
 * (LOW_CONFIDENCE) or one that names no known variant opens a task for a person
 * (kind 'eta_low_confidence'); it is kept but never used for a customer-facing range.
 */
import { createHash } from 'node:crypto';
import { LOW_CONFIDENCE } from '../../core/eta/extract/index';
import type { HistoryRow } from '../../core/eta/types';
import type { QuoteRow } from '../../shared/eta';
import type { Db } from '../store/db';

/** A quote to store; dates are ISO days, arrival dates already include transit for ship dates. */
export type NewQuote = Pick<
  QuoteRow,
  | 'supplierId' | 'variantId' | 'source' | 'sourceRef' | 'quotedAt' | 'kind' | 'start' | 'end' | 'isShipDate'
  | 'arrivalStart' | 'arrivalEnd' | 'confidence' | 'sentence' | 'rule'
> & { poNumber?: string | null };

const SELECT_QUOTES = `
  SELECT q.id, q.supplier_id AS supplierId, s.name AS supplierName, q.variant_id AS variantId,
         CASE WHEN v.id IS NULL THEN NULL ELSE v.product_title || COALESCE(' / ' || v.variant_title, '') END AS variantTitle,
         v.sku, q.po_number AS poNumber, q.source, q.source_ref AS sourceRef, q.quoted_at AS quotedAt, q.kind,
         q.start_date AS start, q.end_date AS end, q.is_ship_date AS isShipDate, q.arrival_start AS arrivalStart,
         q.arrival_end AS arrivalEnd, q.confidence, q.sentence, q.rule, q.status, q.created_at AS createdAt
    FROM eta_quotes q
    LEFT JOIN suppliers s ON s.id = q.supplier_id
    LEFT JOIN variants v ON v.id = q.variant_id`;

type RawQuote = Omit<QuoteRow, 'isShipDate'> & { isShipDate: number };
const toQuote = (r: RawQuote): QuoteRow => ({ ...r, isShipDate: r.isShipDate === 1 });

/** Quotes, newest first, optionally of one variant or supplier; `limit` caps the list. */
export function listQuotes(db: Db, filter: { variantId?: string; supplierId?: number; limit?: number } = {}): QuoteRow[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.variantId) {
    where.push('q.variant_id = ?');
    args.push(filter.variantId);
  }
  if (filter.supplierId !== undefined) {
    where.push('q.supplier_id = ?');
    args.push(filter.supplierId);
  }
  const sql = `${SELECT_QUOTES} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY q.quoted_at DESC, q.id DESC LIMIT ?`;
  return (db.prepare(sql).all(...args, filter.limit ?? 500) as RawQuote[]).map(toQuote);
}

/**
 * Stores a quote (idempotent on source + source_ref + variant), supersedes older active quotes of
 * the variant, and opens a review task when it is not confident or matches no variant.
 * Returns the stored row and whether it was new.
 */
export function addQuote(db: Db, q: NewQuote, now: string): { quote: QuoteRow; created: boolean; taskOpened: boolean } {
  return db.transaction(() => {
    const info = db
      .prepare(
        `INSERT OR IGNORE INTO eta_quotes (supplier_id, variant_id, po_number, source, source_ref, quoted_at, kind, start_date, end_date,
            is_ship_date, arrival_start, arrival_end, confidence, sentence, rule, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(q.supplierId, q.variantId, q.poNumber ?? null, q.source, q.sourceRef, q.quotedAt, q.kind, q.start, q.end, q.isShipDate ? 1 : 0,
        q.arrivalStart, q.arrivalEnd, q.confidence, q.sentence, q.rule, now);
    const id = info.changes
      ? Number(info.lastInsertRowid)
      : (db.prepare('SELECT id FROM eta_quotes WHERE source = ? AND source_ref = ? AND variant_id IS ?').pluck().get(q.source, q.sourceRef, q.variantId) as number);
    let taskOpened = false;
    if (info.changes) {
      if (q.variantId && q.confidence >= LOW_CONFIDENCE) {
        db.prepare(
          `UPDATE eta_quotes SET status = 'superseded'
            WHERE variant_id = ? AND status = 'active' AND id <> ? AND quoted_at <= ? AND confidence >= ?`,
        ).run(q.variantId, id, q.quotedAt, LOW_CONFIDENCE);
      }
      if (q.confidence < LOW_CONFIDENCE || !q.variantId) {
        const reason = !q.variantId
          ? `A ${q.source} quote could not be matched to a product: "${q.sentence.slice(0, 200)}"`
          : `A ${q.source} quote was read with low confidence (${q.confidence}): "${q.sentence.slice(0, 200)}"`;
        const t = db
          .prepare(
            `INSERT OR IGNORE INTO tasks (backorder_id, order_id, kind, reason, recommended_action, context, dedupe_key, created_at)
             VALUES (NULL, NULL, 'eta_low_confidence', ?, ?, ?, ?, ?)`,
          )
          .run(reason, 'Check the supplier\'s message and enter the ETA by hand (Suppliers → Add quote), or dismiss it.',
            JSON.stringify({ quoteId: id, source: q.source, sourceRef: q.sourceRef, sentence: q.sentence, rule: q.rule }), `eta_quote:${id}`, now);
        taskOpened = t.changes > 0;
      }
    }
    const row = db.prepare(`${SELECT_QUOTES} WHERE q.id = ?`).get(id) as RawQuote;
    return { quote: toQuote(row), created: info.changes > 0, taskOpened };
  })();
}

/** The quote the customer-facing range is built on: newest active confident one for the variant. */
export function currentQuote(db: Db, variantId: string): QuoteRow | null {
  const r = db
    .prepare(`${SELECT_QUOTES} WHERE q.variant_id = ? AND q.status = 'active' AND q.confidence >= ? ORDER BY q.quoted_at DESC, q.id DESC LIMIT 1`)
    .get(variantId, LOW_CONFIDENCE) as RawQuote | undefined;
  return r ? toQuote(r) : null;
}

/** Adds history rows; a row whose `key` was stored before is left alone. Returns stored/unchanged. */
export function addHistory(db: Db, rows: readonly (HistoryRow & { key: string; variantId?: string | null })[], source: 'history' | 'inventory' | 'edi' | 'manual', now: string): { stored: number; unchanged: number } {
  const ins = db.prepare(
    `INSERT OR IGNORE INTO supplier_arrivals (supplier, variant_id, ordered_at, quoted_date, received_at, source, dedupe_key, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let stored = 0;
  db.transaction(() => {
    for (const r of rows) stored += ins.run(r.supplier, r.variantId ?? null, r.orderedAt, r.quotedDate, r.receivedAt, source, r.key, now).changes;
  })();
  return { stored, unchanged: rows.length - stored };
}

/**
 * Everything known about deliveries, for prediction: stored arrivals plus every confident dated
 * quote still waiting for its stock (an open order, right-censored once overdue).
 */
export function loadHistory(db: Db): HistoryRow[] {
  const arrivals = db
    .prepare('SELECT supplier, ordered_at AS orderedAt, quoted_date AS quotedDate, received_at AS receivedAt FROM supplier_arrivals')
    .all() as HistoryRow[];
  const open = db
    .prepare(
      `SELECT s.name AS supplier, q.quoted_at AS orderedAt, q.arrival_end AS quotedDate, NULL AS receivedAt
         FROM eta_quotes q JOIN suppliers s ON s.id = q.supplier_id
        WHERE q.status = 'active' AND q.kind <> 'unknown' AND q.confidence >= ?`,
    )
    .all(LOW_CONFIDENCE) as HistoryRow[];
  return [...arrivals, ...open];
}

/** Stable key of an imported history row: the file's content hash and its line. */
export function historyKey(fileContent: string, line: number): string {
  return `${createHash('sha256').update(fileContent).digest('hex').slice(0, 16)}:${line}`;
}
