/**
 * Vocabulary of supplier ETAs (DESIGN.md glossary: *quoted ETA*, *slip*, *predicted ETA range*).
 * All dates are date-only ISO strings ("2026-03-14") in the store's time zone; durations are whole
 * days. A quote is what a supplier said; a prediction is what the customer is told.
 */

/** How a supplier writes numeric dates: en-US = month/day, en-GB = day/month. */
export type DateLocale = 'en-US' | 'en-GB';

/** Where a quote came from. */
export type QuoteSource = 'email' | 'edi' | 'sheet' | 'manual' | 'model';

/** What a piece of supplier text says about the ETA. */
export type EtaKind = 'date' | 'range' | 'unknown';

/**
 * One ETA read from supplier text.
 * - `kind: 'unknown'` with `start/end` null: the supplier said there is no date (TBD, until further
 *   notice), or no date could be read (then `rule` is 'none' and confidence is low).
 * - `start/end` are the days as quoted (a ship date when `isShipDate`); `arrivalStart/End` add the
 *   supplier's transit days to a ship date, and equal start/end for an arrival date.
 */
export interface EtaExtraction {
  kind: EtaKind;
  start: string | null;
  end: string | null;
  isShipDate: boolean;
  arrivalStart: string | null;
  arrivalEnd: string | null;
  /** 0..1; below the review threshold a person checks it (task kind 'eta_low_confidence'). */
  confidence: number;
  /** The sentence the ETA was read from ('' when none). */
  sentence: string;
  /** Which parser produced it, e.g. 'chrono', 'iso-week', 'quarter', 'delay-relative', 'unknown-marker'. */
  rule: string;
  /** Numeric day/month order that could be read both ways and no locale settled it. */
  ambiguousDayMonth: boolean;
  /** Free-text reasons behind the confidence, for the person who reviews it. */
  notes: string[];
}

/** Options of an extraction: the text's context. */
export interface ExtractOptions {
  /** Day the text was sent/received (ISO); relative phrases count from it, never an ETA itself. */
  sent: string;
  /** The ETA the supplier gave before (ISO day, or a range end): "delayed 2 weeks" moves it. */
  priorEta?: string | null;
  /** Supplier's numeric date order; undefined = ambiguous dates are flagged. */
  locale?: DateLocale;
  /** Days from the supplier's shipping to arrival here (for ship dates). */
  transitDays?: number;
  /** Days off for business-day counts; default: the locale's public holidays (US when none). */
  holidays?: ReadonlySet<string>;
}

/** One row of delivery history: a quoted date and, once known, the arrival. */
export interface HistoryRow {
  supplier: string;
  /** When the order was placed / the quote was made; null when the source does not say. */
  orderedAt: string | null;
  /** The date the supplier quoted for arrival. */
  quotedDate: string;
  /** Actual arrival; null while still open. */
  receivedAt: string | null;
}

/** A quote to turn into a customer-facing range. */
export interface QuoteForPrediction {
  supplier: string;
  /** Day the quote was made (what was known then is all that may be used). */
  quotedAt: string;
  /** Quoted arrival range (start = end for a single date). */
  start: string;
  end: string;
}

/** A customer-facing ETA range and how it was made. Never a single promised date. */
export interface EtaPrediction {
  start: string;
  end: string;
  /** Point estimate (median) used for accuracy figures; not shown to customers. */
  median: string;
  method: MethodId;
  /** Nominal coverage of [start, end], e.g. 0.8. */
  interval: number;
  /** Arrivals of this supplier the method had to learn from. */
  supplierHistory: number;
  /** The quote was overdue: the range was cut to start no earlier than `now`. */
  censored: boolean;
}

/** The prediction ladder's rungs, in order (each kept only if it beats the one before). */
export type MethodId = 'quote' | 'supplier_quantiles' | 'shrunk_quantiles' | 'feature_model';
export const METHOD_ORDER: readonly MethodId[] = ['quote', 'supplier_quantiles', 'shrunk_quantiles', 'feature_model'];
