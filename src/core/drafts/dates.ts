/**
 * Dates in customer messages: rendering the facts' date-only ISO strings for people, and finding the
 * dates a draft states so the validator can tell a range from a promise (DESIGN.md glossary:
 * "Never a single promised date").
 *
 * Date-only strings are read as calendar days in UTC and formatted in UTC, so no time zone (the
 * laptop's or the store's) can move "2026-12-03" to the 2nd or the 4th.
 */
import { DateTime } from 'luxon';
import { foldTypography } from './text';

/** A calendar day without a time zone; `year` is absent when the text did not say it. */
export interface CalendarDay {
  year?: number;
  month: number;
  day: number;
}

function parseIsoDay(iso: string): DateTime {
  const dt = DateTime.fromISO(iso, { zone: 'utc', locale: 'en' });
  if (!dt.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError(`not a date-only ISO string: ${iso}`);
  return dt;
}

/** True when `s` is a valid date-only ISO string ("2026-12-03"). */
export function isIsoDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: 'utc' }).isValid;
}

/** The calendar day of a date-only ISO string. Throws RangeError on anything else. */
export function isoToDay(iso: string): CalendarDay {
  const dt = parseIsoDay(iso);
  return { year: dt.year, month: dt.month, day: dt.day };
}

/** "Dec 3", or "Dec 3, 2026" with `withYear`. */
export function formatDay(iso: string, withYear = false): string {
  return parseIsoDay(iso).toFormat(withYear ? 'LLL d, yyyy' : 'LLL d');
}

/** Phrases of formatEtaRange by 'start/end', at most 256 (cleared when full). */
const etaRangePhrases = new Map<string, string>();

/**
 * The ETA as the customer reads it, always as a range: "between Dec 3 and Dec 10". Years are shown
 * only when the range crosses a year, because the composer has no clock to know which year is "this"
 * one. A one-day range (start = end) becomes "no earlier than Dec 3": a supplier's single date is
 * the earliest the item can ship, never a promise.
 */
export function formatEtaRange(etaStart: string, etaEnd: string): string {
  const key = `${etaStart}/${etaEnd}`;
  let phrase = etaRangePhrases.get(key);
  if (phrase === undefined) {
    const withYear = parseIsoDay(etaStart).year !== parseIsoDay(etaEnd).year;
    phrase = etaStart === etaEnd ? `no earlier than ${formatDay(etaStart)}` : `between ${formatDay(etaStart, withYear)} and ${formatDay(etaEnd, withYear)}`;
    // The validator asks for the same few ranges on every draft of a batch; Luxon parses each time.
    if (etaRangePhrases.size >= 256) etaRangePhrases.clear();
    etaRangePhrases.set(key, phrase);
  }
  return phrase;
}

/** "Sunday, December 20": a date-only ISO string as a day a customer must act by. */
export function formatLongDay(iso: string): string {
  return parseIsoDay(iso).toFormat('cccc, LLLL d');
}

/**
 * The next-update fact as a phrase: a date-only ISO string becomes "by Friday, December 4"; any
 * other text is taken as already written for the customer and returned trimmed.
 */
export function describeNextUpdate(nextUpdate: string): string {
  const t = nextUpdate.trim();
  return isIsoDay(t) ? `by ${parseIsoDay(t).toFormat('cccc, LLLL d')}` : t;
}

/** How a stated date stands in its sentence. */
export type DateRole = 'single' | 'range_start' | 'range_end' | 'open_start';

/** A date a draft states, with its UTF-16 span. */
export interface DateMention {
  index: number;
  end: number;
  text: string;
  /** calendar: a day of a month; weekday: "Friday"; relative: "tomorrow", "today", "tonight". */
  kind: 'calendar' | 'weekday' | 'relative';
  /** For calendar mentions: the possible readings (two for an ambiguous "05/12"). */
  days: CalendarDay[];
  role: DateRole;
}

const MONTHS = [
  'jan(?:uary)?',
  'feb(?:ruary)?',
  'mar(?:ch)?',
  'apr(?:il)?',
  'may',
  'june?',
  'july?',
  'aug(?:ust)?',
  'sep(?:t(?:ember)?)?',
  'oct(?:ober)?',
  'nov(?:ember)?',
  'dec(?:ember)?',
];
const MONTH = `(${MONTHS.join('|')})\\.?`;
const WEEKDAY_FULL = '(?:mon|tues|wednes|thurs|fri|satur|sun)day';
const WEEKDAY_PREFIX = `(?:(?:${WEEKDAY_FULL}|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\\.?,?\\s+)?`;
const ORD = '(?:st|nd|rd|th)?';

function monthIndex(name: string): number {
  const n = name.toLowerCase().replace('.', '');
  return MONTHS.findIndex((m) => new RegExp(`^(?:${m})$`).test(n)) + 1;
}

function validDay(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function fullYear(y: string | undefined): number | undefined {
  if (y === undefined) return undefined;
  const n = Number(y);
  return y.length === 2 ? 2000 + n : n;
}

interface RawMention {
  index: number;
  end: number;
  kind: DateMention['kind'];
  days: CalendarDay[];
}

type Reader = { re: RegExp; read: (m: RegExpMatchArray) => CalendarDay[] };

const withYear = (d: CalendarDay, y: number | undefined): CalendarDay =>
  y === undefined ? d : { ...d, year: y };

const CALENDAR_READERS: Reader[] = [
  {
    // "Friday, December 4th, 2026", "Dec. 5", "dec 5th"
    re: new RegExp(`\\b${WEEKDAY_PREFIX}(?:the\\s+)?${MONTH}\\s+(\\d{1,2})${ORD}(?!\\d)(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
    read: (m) => [withYear({ month: monthIndex(m[1] ?? ''), day: Number(m[2]) }, fullYear(m[3]))],
  },
  {
    // "5 December", "the 5th of Dec, 2026"
    re: new RegExp(`\\b${WEEKDAY_PREFIX}(?:the\\s+)?(\\d{1,2})${ORD}\\s+(?:of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
    read: (m) => [withYear({ month: monthIndex(m[2] ?? ''), day: Number(m[1]) }, fullYear(m[3]))],
  },
  {
    // ISO "2026-12-05"
    re: /\b(\d{4})-(\d{2})-(\d{2})\b/g,
    read: (m) => [{ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }],
  },
  {
    // "12/05", "12/05/2026", "5.12.2026": US month-first and day-first both kept as readings.
    re: /(?<![\d/.])(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?(?![\d/])(?!\.\d)/g,
    read: (m) => {
      if (m[0].includes('.') && m[3] === undefined) return []; // "2.5" is a number, not a date
      const a = Number(m[1]);
      const b = Number(m[2]);
      const y = fullYear(m[3]);
      return [withYear({ month: a, day: b }, y), withYear({ month: b, day: a }, y)];
    },
  },
];

function overlaps(a: { index: number; end: number }, list: readonly { index: number; end: number }[]): boolean {
  return list.some((b) => a.index < b.end && b.index < a.end);
}

function rawMentions(text: string): RawMention[] {
  const found: RawMention[] = [];
  for (const { re, read } of CALENDAR_READERS) {
    for (const m of text.matchAll(re)) {
      const days = read(m).filter((d) => validDay(d.month, d.day));
      const span = { index: m.index, end: m.index + m[0].length };
      if (days.length > 0 && !overlaps(span, found)) found.push({ ...span, kind: 'calendar', days });
    }
  }
  for (const m of text.matchAll(new RegExp(`\\b${WEEKDAY_FULL}s?\\b`, 'gi'))) {
    const span = { index: m.index, end: m.index + m[0].length };
    if (!overlaps(span, found)) found.push({ ...span, kind: 'weekday', days: [] });
  }
  for (const m of text.matchAll(/\b(?:tomorrow|today|tonight)\b/gi)) {
    found.push({ index: m.index, end: m.index + m[0].length, kind: 'relative', days: [] });
  }
  return found.sort((a, b) => a.index - b.index);
}

const RANGE_JOIN = /^\s*(?:-|to|until|till|through|thru)\s*$/i;
const BETWEEN_BEFORE = /\bbetween\s+(?:the\s+)?$/i;
const OPEN_BEFORE = /\b(?:no earlier than|not before|not until|at the earliest(?: on)?)\s+(?:the\s+)?$/i;
const OPEN_AFTER = /^\s*,?\s*at the earliest\b/i;
// "Dec 3-10", "Dec 3 to 10th", "between Dec 3 and 10": a range end that borrows the month.
const BARE_END = /^\s*(-|to|until|till|through|thru|and)\s*(\d{1,2})(?:st|nd|rd|th)?\b(?![/.:%]?\d)(?!\s*%)/i;

/**
 * Every date `text` states — calendar days in the usual English forms ("December 5", "Dec 5th",
 * "5 Dec", "12/05", "12/05/2026", "2026-12-05"), weekdays and "today/tomorrow/tonight" — each with
 * its role: part of a range ("between X and Y", "X–Y", "X to Y", "Dec 3–10"), an open range start
 * ("no earlier than X", "X at the earliest") or a single date. A bare range end ("–10") is returned
 * as its own mention with the month of its start.
 */
export function findDateMentions(input: string): DateMention[] {
  const text = foldTypography(input);
  const raw = rawMentions(text);
  const out: DateMention[] = raw.map((r) => ({ ...r, text: input.slice(r.index, r.end), role: 'single' }));
  for (let i = 0; i < out.length; i++) {
    const a = out[i];
    if (!a || a.role !== 'single') continue;
    const before = text.slice(0, a.index);
    const b = out[i + 1];
    const between = b ? text.slice(a.end, b.index) : '';
    const sameKind = b !== undefined && (b.kind === 'calendar') === (a.kind === 'calendar');
    if (b && sameKind && (RANGE_JOIN.test(between) || (/^\s*and\s*$/i.test(between) && BETWEEN_BEFORE.test(before)))) {
      a.role = 'range_start';
      b.role = 'range_end';
      continue;
    }
    const bare = a.kind === 'calendar' ? BARE_END.exec(text.slice(a.end)) : null;
    if (bare && (bare[1]?.toLowerCase() !== 'and' || BETWEEN_BEFORE.test(before))) {
      const endIndex = a.end + bare[0].length;
      const startIndex = a.end + bare[0].search(/\d/); // the joining word holds no digit
      const day = Number(bare[2]);
      const days = a.days.map((d) => {
        const month = day < d.day ? (d.month % 12) + 1 : d.month;
        const year = d.year === undefined ? undefined : month < d.month ? d.year + 1 : d.year;
        return year === undefined ? { month, day } : { year, month, day };
      });
      if (days.every((d) => validDay(d.month, d.day))) {
        a.role = 'range_start';
        out.splice(i + 1, 0, {
          index: startIndex,
          end: endIndex,
          text: input.slice(startIndex, endIndex),
          kind: 'calendar',
          days,
          role: 'range_end',
        });
        continue;
      }
    }
    if (OPEN_BEFORE.test(before) || OPEN_AFTER.test(text.slice(a.end))) a.role = 'open_start';
  }
  return out;
}

/** True when one of the readings of a stated day is the ISO day (year compared only if stated). */
export function sameDay(readings: readonly CalendarDay[], iso: string): boolean {
  const d = isoToDay(iso);
  return readings.some((r) => r.month === d.month && r.day === d.day && (r.year === undefined || r.year === d.year));
}

/**
 * A time stated relative to now or to a day of the year rather than as a calendar date: a duration
 * ("in 2 days", "within 48 hours", "in 2–3 weeks"), a period ("next week", "by the end of the
 * week"), an adjectival duration ("2-day delivery") or a holiday ("before Christmas").
 */
export interface RelativeMention {
  index: number;
  end: number;
  text: string;
  kind: 'duration' | 'period' | 'holiday';
  /** Two ends ("in 2–3 weeks", "between 2 and 3 weeks", "in a week or two"): a range, not a promise. */
  range: boolean;
  /**
   * Counted from an event rather than from now ("within 1 hour of shipping", "within 2 days after
   * it arrives"): it says how we work, not when the customer gets the item.
   */
  anchored: boolean;
  /** The words themselves speak of delivery ("2-day delivery"), whatever the rest of the sentence says. */
  delivery: boolean;
  /** The holiday's preposition ("before", "by", "in time for"), lower-cased; '' for other kinds. */
  preposition: string;
}

const QTY =
  '(?:\\d+(?:\\.\\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty|forty[- ]?eight|seventy[- ]?two|a\\s+few|a\\s+couple(?:\\s+of)?|couple\\s+of|several|few)';
const UNIT = '(?:(?:business|working|calendar|shipping|more|extra|additional)[\\s-]+)?(?:hours?|hrs?|days?|nights?|weeks?|wks?|months?)';
const RANGE_SEP = '\\s*(?:-|to|or)\\s*';
const LEAD =
  '(?:in(?:\\s+(?:just|only|about|around|roughly|approximately|under|less\\s+than|no\\s+more\\s+than))?|within|inside(?:\\s+of)?|under|(?:in|over)\\s+the\\s+next|no\\s+(?:more|later)\\s+than|less\\s+than|at\\s+most|up\\s+to)';
const DURATION_RE = new RegExp(
  `\\b${LEAD}\\s+(?:(?:just|only|about|around|roughly|approximately|another)\\s+)?(${QTY})(${RANGE_SEP}${QTY})?\\s+${UNIT}(\\s+or\\s+(?:two|three|so|more|less))?(?![\\p{L}\\p{N}])`,
  'giu',
);
const BETWEEN_RE = new RegExp(`\\bbetween\\s+${QTY}\\s+and\\s+${QTY}\\s+${UNIT}(?![\\p{L}\\p{N}])`, 'giu');
const FROM_NOW_RE = new RegExp(`\\b(${QTY})(${RANGE_SEP}${QTY})?\\s+${UNIT}\\s+(?:from\\s+(?:now|today)|away)\\b`, 'giu');
const ADJECTIVAL_RE = new RegExp(
  `\\b(?:\\d+|one|two|three|four|five|seven|ten|same|next|forty[- ]?eight|seventy[- ]?two)[- ](?:business[- ])?(?:hour|day|week)\\s+(?:shipping|delivery|dispatch|turnaround)\\b`,
  'gi',
);
const PERIOD_RE =
  /\b(?:(?:later|early|earlier)\s+)?(?:this|next|the\s+coming|the\s+following)\s+(?:week(?:end)?|month)\b|\b(?:by|before|over|at|until|till)\s+(?:the\s+)?(?:end\s+of\s+(?:the|this|next)\s+(?:week|month)|weekend)\b|\bend\s+of\s+(?:the\s+)?(?:day|week|month)\b|\blater\s+today\b|\bthis\s+(?:morning|afternoon|evening)\b|\bany\s+day\s+now\b|\bovernight\b/gi;
// A duration counted from an event: "within 2 days of restock", "in 2 days after it arrives".
// "of your order", "from now" and the like count from now, so they are not an anchor.
const ANCHOR_AFTER = /^\s+(?:of|after|from|once)\s+(?!(?:now|today|tonight|this\s+(?:email|message|note)|(?:your|the)\s+(?:order|purchase)\b|ordering|you\s+ordered|checkout)\b)/i;

const HOLIDAY =
  "(?:christmas(?:\\s+(?:eve|day))?|x-?mas|thanksgiving|hanukk?ah|chanukk?ah|kwanzaa|diwali|eid|easter|halloween|new\\s+year'?s?(?:\\s+(?:eve|day))?|lunar\\s+new\\s+year|valentine'?s(?:\\s+day)?|mother'?s\\s+day|father'?s\\s+day|black\\s+friday|cyber\\s+monday|boxing\\s+day|independence\\s+day|fourth\\s+of\\s+july|memorial\\s+day|labou?r\\s+day|(?:the\\s+)?(?:holidays|holiday\\s+season|festive\\s+season|big\\s+day)|(?:your|his|her|their)\\s+(?:birthday|wedding|anniversary|holiday))";
const HOLIDAY_RE = new RegExp(
  `\\b(in\\s+time\\s+for|before|by|ahead\\s+of|for|on|at|over|until|till)?\\s*\\b((?:the\\s+)?${HOLIDAY})(?![\\p{L}])`,
  'giu',
);

/**
 * Every relative time and holiday `input` states (see `RelativeMention`), in order. Numbers may be
 * digits or words; typography is folded first, so "2–3 weeks" is a range like "2-3 weeks".
 */
export function findRelativeTimes(input: string): RelativeMention[] {
  const text = foldTypography(input);
  const out: RelativeMention[] = [];
  const push = (index: number, end: number, kind: RelativeMention['kind'], extra: Partial<RelativeMention> = {}): void => {
    if (overlaps({ index, end }, out)) return;
    out.push({
      index,
      end,
      text: input.slice(index, end),
      kind,
      range: false,
      anchored: kind === 'duration' && ANCHOR_AFTER.test(text.slice(end)),
      delivery: false,
      preposition: '',
      ...extra,
    });
  };
  for (const m of text.matchAll(BETWEEN_RE)) push(m.index, m.index + m[0].length, 'duration', { range: true });
  for (const m of text.matchAll(DURATION_RE)) {
    push(m.index, m.index + m[0].length, 'duration', { range: m[2] !== undefined || m[3] !== undefined });
  }
  for (const m of text.matchAll(FROM_NOW_RE)) push(m.index, m.index + m[0].length, 'duration', { range: m[2] !== undefined, anchored: false });
  for (const m of text.matchAll(ADJECTIVAL_RE)) push(m.index, m.index + m[0].length, 'duration', { delivery: true, anchored: false });
  for (const m of text.matchAll(PERIOD_RE)) push(m.index, m.index + m[0].length, 'period');
  for (const m of text.matchAll(HOLIDAY_RE)) {
    const holiday = m[2] ?? '';
    const end = m.index + m[0].length;
    push(end - holiday.length, end, 'holiday', { preposition: (m[1] ?? '').toLowerCase().replace(/\s+/g, ' ') });
  }
  return out.sort((a, b) => a.index - b.index);
}
