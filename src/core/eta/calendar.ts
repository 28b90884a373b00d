/**
 * Calendar arithmetic on date-only ISO strings ("2026-03-14"), the form every ETA takes
 * (DESIGN.md "Principles": ETAs are date-only ranges in the store's time zone).
 *
 * Days are counted in UTC so no time zone can move a calendar day; the strings themselves are
 * store-local days. Weeks follow ISO 8601 (Monday first, week 1 holds the year's first Thursday).
 * Public holidays: US federal holidays (5 U.S.C. 6103, with the Saturday→Friday / Sunday→Monday
 * observance of Executive Order 11582) and England & Wales bank holidays (Banking and Financial
 * Dealings Act 1971, substitute days on Monday); Easter by the anonymous Gregorian computus.
 */

const DAY_MS = 86_400_000;

/** Epoch day number (days since 1970-01-01) of an ISO day. @throws RangeError on anything else. */
export function dayNumber(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`not a date-only ISO string: ${iso}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== iso) throw new RangeError(`not a calendar day: ${iso}`);
  return Math.round(t / DAY_MS);
}

/** ISO day of an epoch day number. */
export function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** True for a valid date-only ISO string. */
export function isIsoDate(s: string): boolean {
  try {
    dayNumber(s);
    return true;
  } catch {
    return false;
  }
}

/** `iso` plus `days` calendar days (negative goes back). */
export function addDays(iso: string, days: number): string {
  return fromDayNumber(dayNumber(iso) + days);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** The ISO day of a calendar date given by parts; null when the parts are not a real day. */
export function ymd(year: number, month: number, day: number): string | null {
  const t = Date.UTC(year, month - 1, day);
  const d = new Date(t);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(iso: string): number {
  const wd = new Date(dayNumber(iso) * DAY_MS).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** Last day of a month (1–12) as ISO. */
export function lastDayOfMonth(year: number, month: number): string {
  return fromDayNumber(Math.round(Date.UTC(year, month, 1) / DAY_MS) - 1);
}

/** Monday of ISO 8601 week `week` of ISO year `year`; null when the year has no such week. */
export function isoWeekMonday(year: number, week: number): string | null {
  if (week < 1 || week > 53) return null;
  const jan4 = ymd(year, 1, 4)!;
  const week1Monday = dayNumber(jan4) - (isoWeekday(jan4) - 1);
  const monday = fromDayNumber(week1Monday + (week - 1) * 7);
  return isoWeekOf(monday).year === year ? monday : null;
}

/** ISO 8601 week-numbering year and week of a day. */
export function isoWeekOf(iso: string): { year: number; week: number } {
  const n = dayNumber(iso);
  const thursday = n - (isoWeekday(iso) - 1) + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const jan1 = Math.round(Date.UTC(year, 0, 1) / DAY_MS);
  return { year, week: Math.floor((thursday - jan1) / 7) + 1 };
}

/** Monday of the ISO week holding `iso`. */
export function mondayOf(iso: string): string {
  return addDays(iso, 1 - isoWeekday(iso));
}

/** Easter Sunday (Gregorian), anonymous computus (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day)!;
}

/** n-th (1-based) weekday `wd` (1 = Monday) of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, wd: number, n: number): string {
  if (n > 0) {
    const first = ymd(year, month, 1)!;
    return addDays(first, ((wd - isoWeekday(first) + 7) % 7) + (n - 1) * 7);
  }
  const last = lastDayOfMonth(year, month);
  return addDays(last, -((isoWeekday(last) - wd + 7) % 7));
}

/** Saturday → Friday, Sunday → Monday (US federal observance). */
function usObserved(iso: string): string {
  const wd = isoWeekday(iso);
  return wd === 6 ? addDays(iso, -1) : wd === 7 ? addDays(iso, 1) : iso;
}

/** Weekend → next Monday (England & Wales substitute day). */
function ukSubstitute(iso: string, taken: Set<string>): string {
  let d = iso;
  while (isoWeekday(d) >= 6 || taken.has(d)) d = addDays(d, 1);
  return d;
}

/** Observed public holidays of a year for a locale: 'en-US' (federal) or 'en-GB' (England & Wales). */
export function publicHolidays(year: number, locale: 'en-US' | 'en-GB'): string[] {
  if (locale === 'en-US') {
    return [
      usObserved(ymd(year, 1, 1)!),
      nthWeekday(year, 1, 1, 3),
      nthWeekday(year, 2, 1, 3),
      nthWeekday(year, 5, 1, -1),
      ...(year >= 2021 ? [usObserved(ymd(year, 6, 19)!)] : []),
      usObserved(ymd(year, 7, 4)!),
      nthWeekday(year, 9, 1, 1),
      nthWeekday(year, 10, 1, 2),
      usObserved(ymd(year, 11, 11)!),
      nthWeekday(year, 11, 4, 4),
      usObserved(ymd(year, 12, 25)!),
    ];
  }
  const easter = easterSunday(year);
  const taken = new Set<string>();
  const add = (d: string): void => void taken.add(d);
  add(ukSubstitute(ymd(year, 1, 1)!, taken));
  add(addDays(easter, -2));
  add(addDays(easter, 1));
  add(nthWeekday(year, 5, 1, 1));
  add(nthWeekday(year, 5, 1, -1));
  add(nthWeekday(year, 8, 1, -1));
  add(ukSubstitute(ymd(year, 12, 25)!, taken));
  add(ukSubstitute(ymd(year, 12, 26)!, taken));
  return [...taken].sort();
}

/**
 * `iso` plus `n` business days (Monday–Friday, skipping `holidays`). n = 0 returns `iso` moved to
 * the next business day when it falls on a day off. Holidays of the default calendar are used when
 * `holidays` is a locale.
 */
export function addBusinessDays(iso: string, n: number, holidays: ReadonlySet<string> | 'en-US' | 'en-GB' = new Set()): string {
  const cache = new Map<number, Set<string>>();
  const isHoliday = (d: string): boolean => {
    if (typeof holidays !== 'string') return holidays.has(d);
    const y = Number(d.slice(0, 4));
    let set = cache.get(y);
    if (!set) cache.set(y, (set = new Set(publicHolidays(y, holidays))));
    return set.has(d);
  };
  const off = (d: string): boolean => isoWeekday(d) >= 6 || isHoliday(d);
  let d = iso;
  if (n === 0) {
    while (off(d)) d = addDays(d, 1);
    return d;
  }
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (!off(d)) left--;
  }
  return d;
}
