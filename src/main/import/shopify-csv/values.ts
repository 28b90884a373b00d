/**
 * Cell parsers for Shopify's CSV exports: money, instants, whole numbers, yes/no flags, ids.
 *
 * Every parser is pure and either returns the value or throws {@link CellError} whose message says
 * what is wrong with the cell; the caller adds the file, line and column (see `rows.ts`).
 *
 * Money is never touched by floating point: the decimal string is split into its integer and
 * fraction digits and concatenated into an integer of minor units, with the number of minor digits
 * the currency has in ISO 4217 (EUR/USD 2, JPY 0, KWD 3, CLF 4).
 */
import { createRequire } from 'node:module';

// Luxon reads the shapes the fast paths below leave aside, so it is loaded the first time one comes:
// loading it took the orders parse worker about 50 ms of its start.
let luxon: typeof import('luxon') | undefined;
const DateTimeOf = (): typeof import('luxon').DateTime => (luxon ??= createRequire(import.meta.url)('luxon') as typeof import('luxon')).DateTime;

/** A cell that cannot be read. `message` is a sentence about the value, e.g. `"abc" is not a whole number`. */
export class CellError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CellError';
  }
}

// ISO 4217 currencies whose minor unit is not 2 digits. ICU/CLDR (Intl) disagrees with ISO for some
// (it says HUF and TWD have 0 digits), and Shopify's exports follow ISO, so the table is explicit.
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

let knownCurrencies: ReadonlySet<string> | null = null;

/**
 * Normalises a currency cell to an upper-case ISO 4217 code.
 * @throws CellError when the cell is empty or not a code Node's ICU knows.
 */
export function parseCurrency(raw: string): string {
  const code = raw.trim().toUpperCase();
  if (code === '') throw new CellError('is empty; an amount needs its currency');
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  if (!/^[A-Z]{3}$/.test(code) || !knownCurrencies.has(code)) {
    throw new CellError(`"${raw}" is not an ISO 4217 currency code`);
  }
  return code;
}

/** Number of minor-unit digits of an ISO 4217 currency (2 unless listed otherwise). */
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/**
 * Parses a decimal amount as Shopify exports it ('1659.95', '-3.50', '0') into integer minor units
 * of `currency` ('1659.95' EUR → 165995). More fraction digits than the currency has are accepted
 * only when they are zeros ('10.000' EUR → 1000).
 * @throws CellError on anything else (thousands separators, decimal commas, '$' signs, empty).
 */
export function parseMoneyMinor(raw: string, currency: string): number {
  const value = raw.trim();
  if (value === '') throw new CellError('is empty; an amount is needed');
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(value) ?? /^([+-]?)()\.(\d+)$/.exec(value);
  if (!m) throw new CellError(`"${raw}" is not an amount (expected digits with a '.' decimal point, like 1659.95)`);
  const [, sign, whole = '', fractionRaw = ''] = m;
  const digits = minorDigits(currency);
  const extra = fractionRaw.slice(digits);
  if (/[^0]/.test(extra)) {
    throw new CellError(`"${raw}" has more decimals than ${currency} allows (${digits})`);
  }
  const fraction = fractionRaw.slice(0, digits).padEnd(digits, '0');
  const minor = Number(`${whole || '0'}${fraction}`);
  if (!Number.isSafeInteger(minor)) throw new CellError(`"${raw}" is too large`);
  return sign === '-' && minor !== 0 ? -minor : minor;
}

/**
 * Parses Shopify's export timestamp 'YYYY-MM-DD HH:MM:SS -0400' into ISO 8601 with the same offset
 * ('2025-05-11T09:55:16-04:00'; UTC stays '+00:00'). An ISO 8601 string with an offset is accepted
 * as well. A time without an offset is refused: the instant would be a guess.
 * @throws CellError when the cell is not such a timestamp or names an impossible date.
 */
export function parseShopifyInstant(raw: string): string {
  const value = raw.trim();
  if (value === '') throw new CellError('is empty; a date and time is needed');
  const fast = plainShopifyInstant(value);
  if (fast !== null) return fast;
  const DateTime = DateTimeOf();
  let dt = DateTime.fromFormat(value, 'yyyy-MM-dd HH:mm:ss ZZZ', { setZone: true });
  if (!dt.isValid && /^\d{4}-\d\d-\d\dT.*(Z|[+-]\d\d:?\d\d)$/.test(value)) {
    dt = DateTime.fromISO(value, { setZone: true });
  }
  if (!dt.isValid) {
    throw new CellError(`"${raw}" is not a date and time like 2025-05-11 09:55:16 -0400`);
  }
  return dt.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

/** Milliseconds since the epoch of an ISO 8601 instant produced by {@link parseShopifyInstant}. */
export function instantMillis(iso: string): number {
  const m = ISO_OFFSET.exec(iso);
  if (m) {
    const ms = plainMillis(m);
    if (ms !== null) return ms;
  }
  return DateTimeOf().fromISO(iso, { setZone: true }).toMillis();
}

// Fast paths for the one shape every export row and every stored instant has. Luxon parses a
// format string per call (tens of microseconds), which dominated reading a 100,000-line export.
// Only fields that are plainly in range take the fast path; anything else (hour 24, minute offsets
// beyond 59, years before 1000, invalid dates) goes to Luxon, so results and errors are Luxon's.
const SHOPIFY_INSTANT = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/;
const ISO_OFFSET = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-])(\d\d):(\d\d)$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch ms of a matched {@link SHOPIFY_INSTANT} / {@link ISO_OFFSET}, or null when not plainly valid. */
function plainMillis(m: RegExpExecArray): number | null {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const offHours = Number(m[8]);
  const offMinutes = Number(m[9]);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || offHours > 18 || offMinutes > 59) return null;
  const offset = (offHours * 60 + offMinutes) * (m[7] === '-' ? -1 : 1);
  return Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000;
}

/** {@link parseShopifyInstant}'s result for a plainly valid 'YYYY-MM-DD HH:MM:SS ±HHMM', else null. */
function plainShopifyInstant(value: string): string | null {
  const m = SHOPIFY_INSTANT.exec(value);
  if (!m || plainMillis(m) === null) return null;
  // Luxon writes a zero offset as '+00:00', also when the cell says '-0000'.
  const sign = m[8] === '00' && m[9] === '00' ? '+' : m[7];
  // join() makes one flat string; a template literal would keep a tree of nine concatenations,
  // several times the size, for every order of a large export.
  return [m[1], '-', m[2], '-', m[3], 'T', m[4], ':', m[5], ':', m[6], sign, m[8], ':', m[9]].join('');
}

/**
 * Parses a whole number cell ('3', '-2'). `allowNegative` is for inventory quantities, which
 * Shopify lets go below zero when the policy is CONTINUE.
 * @throws CellError for decimals, text or (unless allowed) negatives.
 */
export function parseWholeNumber(raw: string, allowNegative = false): number {
  const value = raw.trim();
  if (value === '') throw new CellError('is empty; a whole number is needed');
  const re = allowNegative ? /^[+-]?\d+$/ : /^\+?\d+$/;
  if (!re.test(value)) {
    throw new CellError(`"${raw}" is not a whole number${allowNegative ? '' : ' of zero or more'}`);
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new CellError(`"${raw}" is too large`);
  return n === 0 ? 0 : n; // never -0
}

/**
 * Parses Shopify's yes/no and true/false cells into 1/0 (SQLite booleans). Empty gives `empty`.
 * @throws CellError for any other value.
 */
export function parseFlag(raw: string, empty: 0 | 1): 0 | 1 {
  const value = raw.trim().toLowerCase();
  if (value === '') return empty;
  if (value === 'yes' || value === 'true' || value === '1' || value === 'y') return 1;
  if (value === 'no' || value === 'false' || value === '0' || value === 'n') return 0;
  throw new CellError(`"${raw}" is not yes/no or true/false`);
}

/**
 * Removes the apostrophe Shopify puts in front of ids, phone numbers and zip codes in some exports
 * ("'7066160414827", "'+16135550127") so spreadsheets keep them as text.
 */
export function stripTextMarker(raw: string): string {
  const value = raw.trim();
  return value.startsWith("'") ? value.slice(1).trim() : value;
}

/** Empty (after trimming) → null, else the trimmed text. */
export function textOrNull(raw: string): string | null {
  const value = raw.trim();
  return value === '' ? null : value;
}
