/**
 * The project's own ETA parsers for what chrono-node does not read: ISO/CW/KW week numbers,
 * quarters, early/mid/late month, end of month or week, "delayed/pushed X–Y weeks" relative to the
 * prior ETA, lead times in (business) days or weeks, and "TBD / no ETA / until further notice".
 *
 * Each parser reads one sentence and returns candidates with their span in it, so chrono's results
 * that overlap a span here are dropped (these rules know more about supplier wording).
 * Rule sources: ISO 8601 week dates (Monday–Sunday, week 1 holds the first Thursday); month parts
 * as the issue defines them: early = 1–10, mid = 11–20, late = 21–end.
 */
import {
  addBusinessDays,
  addDays,
  isoWeekMonday,
  isoWeekOf,
  isoWeekday,
  lastDayOfMonth,
  mondayOf,
  ymd,
} from '../calendar';
import type { ExtractOptions } from '../types';

/** A reading of part of a sentence. `kind: 'unknown'` = the text says there is no date. */
export interface Candidate {
  kind: 'date' | 'range' | 'unknown';
  start: string | null;
  end: string | null;
  /** Span in the sentence. */
  index: number;
  length: number;
  rule: string;
  confidence: number;
  ambiguousDayMonth?: boolean;
  notes?: string[];
}

export const MONTH_RE =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';

/** Month number 1–12 of an English month name or abbreviation. */
export function monthNumber(name: string): number {
  const k = name.toLowerCase().slice(0, 3);
  return ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(k) + 1;
}

/** A two- or four-digit year ("'26", "26", "2026"); null when absent. */
function yearOf(s: string | undefined): number | null {
  if (!s) return null;
  const d = s.replace(/^'/, '');
  const n = Number(d);
  if (!Number.isFinite(n)) return null;
  return d.length === 2 ? 2000 + n : n;
}

const range = (start: string, end: string, index: number, length: number, rule: string, confidence: number, notes?: string[]): Candidate => ({
  kind: start === end ? 'date' : 'range',
  start,
  end,
  index,
  length,
  rule,
  confidence,
  ...(notes ? { notes } : {}),
});

/** Year for a month-based period without a year: the first whose period has not ended before `sent`. */
function forwardYear(sent: string, periodEnd: (year: number) => string): number {
  const y = Number(sent.slice(0, 4));
  return periodEnd(y) < sent ? y + 1 : y;
}

const UNKNOWN_MARKERS: RegExp[] = [
  /\b(?:TBD|TBA|TBC)\b/,
  /\bto be (?:determined|confirmed|advised|announced)\b/i,
  /\buntil further notice\b/i,
  /\bno (?:firm |exact |confirmed |fixed |set |new |current )?(?:ETA|eta|dates?|delivery date|ship(?:ping)? date|estimates?|timeline|timeframe|time frame)\b/i,
  /\b(?:ETA|eta|delivery date|ship date|dates?) (?:is |are )?(?:unknown|unclear|not (?:yet )?(?:known|available|confirmed))\b/i,
  /\bships when it ships\b/i,
  /\b(?:cannot|can't|can not|unable to) (?:give|provide|confirm|commit to|say) (?:a|an|any) (?:date|ETA|eta|timeline)\b/i,
  /\b(?:no visibility|not (?:yet )?(?:able|possible) to (?:give|provide) (?:a|an) (?:date|ETA))\b/i,
  /\bindefinite(?:ly)?\b/i,
  // Dutch and German suppliers: "geen zicht", "onbekend", "unbekannt", "noch kein Liefertermin".
  /\b(?:geen zicht|onbekend|unbekannt|kein(?:en)? Liefertermin)\b/i,
];

/** "TBD", "no ETA", "until further notice": the supplier says there is no date. */
export function unknownMarkers(s: string): Candidate[] {
  const out: Candidate[] = [];
  for (const re of UNKNOWN_MARKERS) {
    const m = re.exec(s);
    if (m) out.push({ kind: 'unknown', start: null, end: null, index: m.index, length: m[0].length, rule: 'unknown-marker', confidence: 0.9 });
  }
  return out;
}

/** ISO 8601 / CW / KW week numbers: "2026-W12", "CW 12", "KW12/2026", "week 12 of 2026", "wk 7". */
export function weekNumbers(s: string, o: ExtractOptions): Candidate[] {
  const out: Candidate[] = [];
  const iso = /\b(\d{4})-?W(\d{2})\b/g;
  const loose = /\b(?:(?:CW|KW|WK|week|wk)\.?\s*(?:no\.?|#|nr\.?)?\s*|W)(\d{1,2})(?!\d|\s*(?:days?|weeks?|business|working)\b)(?:\s*(?:\/|-|,|of)?\s*(\d{4}|'\d{2}))?\b/gi;
  let m: RegExpExecArray | null;
  const push = (year: number, week: number, index: number, length: number, explicitYear: boolean): void => {
    const monday = isoWeekMonday(year, week);
    if (!monday) return;
    out.push(range(monday, addDays(monday, 6), index, length, 'iso-week', explicitYear ? 0.85 : 0.8));
  };
  while ((m = iso.exec(s))) push(Number(m[1]), Number(m[2]), m.index, m[0].length, true);
  while ((m = loose.exec(s))) {
    if (out.some((c) => m!.index >= c.index && m!.index < c.index + c.length)) continue;
    const week = Number(m[1]);
    const given = yearOf(m[2]);
    let year = given ?? isoWeekOf(o.sent).year;
    if (given === null) {
      const monday = isoWeekMonday(year, week);
      if (!monday || addDays(monday, 6) < o.sent) year += 1;
    }
    push(year, week, m.index, m[0].length, given !== null);
  }
  return out;
}

/** Quarters: "Q3", "Q3 2026", "Q3/26", "third quarter of 2026". */
export function quarters(s: string, o: ExtractOptions): Candidate[] {
  const out: Candidate[] = [];
  const words: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4 };
  const res: [RegExp, (m: RegExpExecArray) => { q: number; y: number | null }][] = [
    [/\bQ([1-4])(?:\s*(?:\/|-|')?\s*(\d{4}|\d{2}))?\b/g, (m) => ({ q: Number(m[1]), y: yearOf(m[2]) })],
    [/\b(?:(\d{4})\s*-?\s*)Q([1-4])\b/g, (m) => ({ q: Number(m[2]), y: yearOf(m[1]) })],
    [/\b(first|1st|second|2nd|third|3rd|fourth|4th) quarter(?: of)?(?:\s+(\d{4}))?\b/gi, (m) => ({ q: words[m[1]!.toLowerCase()]!, y: yearOf(m[2]) })],
  ];
  for (const [re, read] of res) {
    let m: RegExpExecArray | null;
    while ((m = re.exec(s))) {
      if (out.some((c) => m!.index < c.index + c.length && c.index < m!.index + m![0].length)) continue;
      const { q, y } = read(m);
      const endOf = (year: number): string => lastDayOfMonth(year, q * 3);
      const year = y ?? forwardYear(o.sent, endOf);
      out.push(range(ymd(year, q * 3 - 2, 1)!, endOf(year), m.index, m[0].length, 'quarter', y === null ? 0.7 : 0.75));
    }
  }
  return out;
}

/** "early June" (1–10), "mid-June" (11–20), "late June" / "end of June" (21–end), "beginning of July". */
export function monthParts(s: string, o: ExtractOptions): Candidate[] {
  const out: Candidate[] = [];
  const re = new RegExp(
    `\\b(early|beginning of|start of|first half of|mid|middle of|second half of|late|end of)[\\s-]+(?:the month of\\s+)?${MONTH_RE}(?:,?\\s+(\\d{4}))?`,
    'gi',
  );
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const part = m[1]!.toLowerCase();
    const month = monthNumber(m[2]!);
    const given = yearOf(m[3]);
    const [from, to] =
      part === 'early' || part === 'beginning of' || part === 'start of' ? [1, 10]
        : part === 'first half of' ? [1, 15]
          : part === 'second half of' ? [16, 31]
            : part === 'mid' || part === 'middle of' ? [11, 20]
              : [21, 31];
    const endOf = (year: number): string => {
      const last = lastDayOfMonth(year, month);
      return to >= 28 ? last : ymd(year, month, to)!;
    };
    const year = given ?? forwardYear(o.sent, endOf);
    out.push(range(ymd(year, month, from)!, endOf(year), m.index, m[0].length, 'month-part', given === null ? 0.75 : 0.8));
  }
  return out;
}

/** "end of (this|next) month", "EOM", "end of (this|next) week", "EOW" (Friday: the last working day). */
export function endOfPeriod(s: string, o: ExtractOptions): Candidate[] {
  const out: Candidate[] = [];
  const month = /\b(?:(?:by |at )?(?:the )?end of (?:the |this |(next) )?month|EOM|month[- ]end)\b/gi;
  const week = /\b(?:(?:by |at )?(?:the )?end of (?:the |this |(next) )?week|EOW)\b/gi;
  let m: RegExpExecArray | null;
  while ((m = month.exec(s))) {
    const y = Number(o.sent.slice(0, 4));
    const mo = Number(o.sent.slice(5, 7)) + (m[1] ? 1 : 0);
    const last = mo > 12 ? lastDayOfMonth(y + 1, 1) : lastDayOfMonth(y, mo);
    out.push(range(last, last, m.index, m[0].length, 'end-of-month', 0.75));
  }
  while ((m = week.exec(s))) {
    let friday = addDays(mondayOf(o.sent), 4 + (m[1] ? 7 : 0));
    if (!m[1] && isoWeekday(o.sent) > 5) friday = addDays(friday, 7);
    out.push(range(friday, friday, m.index, m[0].length, 'end-of-week', 0.75));
  }
  return out;
}

export type Unit = 'day' | 'bday' | 'week' | 'month';
const UNIT_RE = '(business |working |calendar )?(days?|weeks?|wks?|months?)';

function unitOf(business: string | undefined, unit: string): Unit {
  const u = unit.toLowerCase();
  if (u.startsWith('d')) return business && !/calendar/i.test(business) ? 'bday' : 'day';
  if (u.startsWith('w')) return 'week';
  return 'month';
}

/** `base` (ISO day) moved by `n` units; business days skip weekends and `o`'s holidays. */
export function shift(base: string, n: number, unit: Unit, o: ExtractOptions): string {
  switch (unit) {
    case 'day':
      return addDays(base, n);
    case 'bday':
      return addBusinessDays(base, n, o.holidays ?? o.locale ?? 'en-US');
    case 'week':
      return addDays(base, 7 * n);
    case 'month': {
      const y = Number(base.slice(0, 4));
      const mo = Number(base.slice(5, 7)) - 1 + n;
      const d = Number(base.slice(8, 10));
      const yy = y + Math.floor(mo / 12);
      const mm = (mo % 12) + 1;
      return ymd(yy, mm, Math.min(d, Number(lastDayOfMonth(yy, mm).slice(8, 10))))!;
    }
  }
}

/**
 * "delayed 2–3 weeks", "pushed out another 10 business days", "slipped by a week": moves the prior
 * ETA. Without a prior ETA the move is counted from the day the text was sent and flagged low.
 */
export function delays(s: string, o: ExtractOptions): Candidate[] {
  const out: Candidate[] = [];
  const re = new RegExp(
    `\\b(?:delay(?:ed|s)?|push(?:ed)?(?: back| out)?|slip(?:ped|s)?|mov(?:ed|ing)? (?:out|back)|postponed|extended|rescheduled)\\b[^.;]*?\\b(?:by |another |an additional |a further |an extra )?(\\d+|a|an|one|two|three|four|five|six)(?:\\s*(?:-|–|to|or)\\s*(\\d+))?\\s*${UNIT_RE}\\b`,
    'gi',
  );
  const words: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const lo = words[m[1]!.toLowerCase()] ?? Number(m[1]);
    const hi = m[2] ? Number(m[2]) : lo;
    const unit = unitOf(m[3], m[4]!);
    const base = o.priorEta ?? o.sent;
    const notes = o.priorEta ? [] : ['delay given relative to an earlier ETA that is not known here; counted from the day it was sent'];
    out.push(range(shift(base, lo, unit, o), shift(base, Math.max(lo, hi), unit, o), m.index, m[0].length, 'delay-relative', o.priorEta ? 0.8 : 0.4, notes));
  }
  return out;
}

/** A transit time a text states, days from shipping to arrival: `lo`–`hi` of `unit`, at `index`. */
export interface StatedTransit {
  lo: number;
  hi: number;
  unit: Unit;
  index: number;
  length: number;
}

/**
 * Transit times stated in `s`: "transit 5 days", "transit time is 3–5 business days", "5 days in
 * transit", "a 5-day transit". They say how long the goods travel once shipped, never when: a ship
 * date plus this is the arrival, and the span is no date and no lead time of its own.
 */
export function transitTimes(s: string): StatedTransit[] {
  const out: StatedTransit[] = [];
  const forms = [
    // transit first: "transit (time) (is/of/:) (about) 5(-7) days"
    new RegExp(`\\btransit(?:\\s+times?)?(?:\\s+(?:is|of|=)|\\s*:)?\\s*(?:about|approx(?:imately|\\.)?|around|roughly|~)?\\s*(\\d+)(?:\\s*(?:-|–|to)\\s*(\\d+))?\\s*${UNIT_RE}\\b`, 'gi'),
    // duration first: "5(-7) (business) days (in) transit", "5-day transit"
    new RegExp(`\\b(\\d+)(?:\\s*(?:-|–|to)\\s*(\\d+))?[\\s-]*${UNIT_RE}\\s+(?:in\\s+|of\\s+)?transit\\b`, 'gi'),
  ];
  for (const re of forms) {
    for (const m of s.matchAll(re)) {
      const lo = Number(m[1]);
      const hi = m[2] ? Math.max(lo, Number(m[2])) : lo;
      if (out.some((t) => m.index < t.index + t.length && t.index < m.index + m[0].length)) continue;
      out.push({ lo, hi, unit: unitOf(m[3], m[4]!), index: m.index, length: m[0].length });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Lead times counted from the day the text was sent: "ships in 2–3 weeks", "within 10 business
 * days", "after 2 weeks from ordering", "lead times have gone from 6 weeks to 3 weeks" (the new one).
 */
export function leadTimes(s: string, o: ExtractOptions): Candidate[] {
  const out: Candidate[] = [];
  const change = new RegExp(`\\bfrom\\s+(\\d+)\\s*${UNIT_RE}\\s+to\\s+(\\d+)\\s*${UNIT_RE}`, 'gi');
  let m: RegExpExecArray | null;
  while ((m = change.exec(s))) {
    const unit = unitOf(m[5], m[6]!);
    const d = shift(o.sent, Number(m[4]), unit, o);
    out.push(range(d, d, m.index, m[0].length, 'lead-time', 0.5, ['a general lead time, not a date for this order']));
  }
  const re = new RegExp(
    `\\b(in|within|after|about|approx(?:imately|\\.)?|around|roughly|takes?|lead[- ]time(?: is| of)?|allow)?\\s*(\\d+)(?:\\s*(?:-|–|to)\\s*(\\d+))?\\s*${UNIT_RE}(?!\\s+ago)\\b`,
    'gi',
  );
  while ((m = re.exec(s))) {
    const idx = m.index + (m[0].length - m[0].trimStart().length);
    if (out.some((c) => idx < c.index + c.length && c.index < idx + m![0].length)) continue;
    const lead = m[1]?.toLowerCase();
    if (!lead && !/\b(ship|deliver|arriv|lead|dispatch|ready|expect|eta)/i.test(s)) continue;
    const lo = Number(m[2]);
    const hi = m[3] ? Number(m[3]) : lo;
    const unit = unitOf(m[4], m[5]!);
    const start = lead === 'within' ? shift(o.sent, unit === 'bday' ? 1 : 1, unit === 'bday' ? 'bday' : 'day', o) : shift(o.sent, lo, unit, o);
    const end = shift(o.sent, Math.max(lo, hi), unit, o);
    out.push(range(start, end, idx, m[0].trim().length, 'lead-time', 0.7));
  }
  return out;
}

