/**
 * Calendar dates read by chrono-node (the base parser), plus the day/month question chrono does
 * not ask: a numeric date such as "03/04/2026" is read by the supplier's locale (en-US month/day,
 * en-GB day/month) and flagged as ambiguous when no locale is known and both readings are real days.
 *
 * The reference instant is noon UTC of the day the text was sent, with `forwardDate` so "Apr 2"
 * in December means next April. Relative words that denote the sending day itself ("now",
 * "today") are dropped: the email's own date is never an ETA.
 */
import { createRequire } from 'node:module';
import type * as Chrono from 'chrono-node';
import { addDays, lastDayOfMonth, mondayOf, ymd } from '../calendar';
import type { ExtractOptions } from '../types';
import type { Candidate } from './rules';

// chrono-node takes a noticeable time to load; only ETA extraction needs it, so it is loaded on
// first use rather than with every CLI command and at app start.
let loaded: typeof Chrono | null = null;
function chronoLib(): typeof Chrono {
  return (loaded ??= createRequire(import.meta.url)('chrono-node') as typeof Chrono);
}

const SELF_DATE = /^(?:now|today|tonight|currently|right now|this (?:morning|afternoon|evening)|yesterday|tomorrow morning)$/i;

/**
 * A bare duration ("5 days", "2 weeks") is not a date: chrono reads it as that long after the
 * sending day, but suppliers write it for transit and lead times ("transit 5 days"). Lead times the
 * rules read ("ships in 2–3 weeks"); transit times transitDaysStated reads.
 */
const BARE_DURATION = /^\d+\s*(?:business\s+|working\s+|calendar\s+)?(?:days?|weeks?|months?)$/i;

/** The words that make a date stand for its week: "week of 4/8", "w/c 7 Dec" (week commencing). */
const WEEK_OF = /\b(?:week\s+(?:of|beginning|commencing|starting)|wk\s+of|w\/[cb]|w\.c\.|w\.b\.)\s*$/i;

function isoOf(c: Chrono.ParsedComponents): string | null {
  const y = c.get('year');
  const m = c.get('month');
  const d = c.get('day');
  return y && m && d ? ymd(y, m, d) : null;
}

/** Candidates chrono finds in one sentence, ranges merged ("between X and Y", "X to Y", "X–Y"). */
export function chronoDates(s: string, o: ExtractOptions): Candidate[] {
  const chrono = chronoLib();
  const parser = o.locale === 'en-GB' ? chrono.en.GB : chrono.en;
  const ref = { instant: new Date(`${o.sent}T12:00:00Z`), timezone: 'UTC' };
  const results = parser.parse(s, ref, { forwardDate: true }).filter((r) => {
    const text = r.text.trim();
    if (SELF_DATE.test(text) || BARE_DURATION.test(text)) return false;
    // "the week" of "the week of 12/07" is the lead of the week-of phrase below, not a date itself.
    return !(/^(?:the\s+)?week$/i.test(text) && /^\s+(?:of|beginning|commencing|starting)\b/i.test(s.slice(r.index + r.text.length)));
  });
  const out: Candidate[] = [];
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    let start = isoOf(r.start);
    if (!start) continue;
    let end = r.end ? isoOf(r.end) : null;
    let length = r.text.length;
    const next = results[i + 1];
    if (!end && next) {
      const between = s.slice(r.index + r.text.length, next.index);
      const nextIso = isoOf(next.start);
      if (nextIso && /^\s*(?:and|to|through|thru|until|till|-|–|—)\s*$/i.test(between) && nextIso >= start) {
        end = nextIso;
        length = next.index + next.text.length - r.index;
        i++;
      }
    }
    const dayKnown = r.start.isCertain('day');
    const monthKnown = r.start.isCertain('month');
    const weekdayOnly = !dayKnown && !monthKnown && r.start.isCertain('weekday');
    let rule = 'chrono';
    let confidence = r.start.isCertain('year') ? 0.9 : 0.85;
    const notes: string[] = [];
    if (!dayKnown && monthKnown) {
      // "in June": the whole month.
      const y = r.start.get('year')!;
      const m = r.start.get('month')!;
      start = ymd(y, m, 1)!;
      end = lastDayOfMonth(y, m);
      rule = 'chrono-month';
      confidence = 0.6;
    } else if (weekdayOnly) {
      confidence = 0.7;
    }
    // "week of 4/8", "w/c 7 Dec": the ISO week holding that day.
    const before = s.slice(0, r.index);
    let index = r.index;
    const lead = WEEK_OF.exec(before);
    if (lead) {
      start = mondayOf(start);
      end = addDays(start, 6);
      index = lead.index;
      length = r.index + r.text.length - lead.index;
      rule = 'week-of';
      confidence = Math.min(confidence, 0.8);
    }
    const amb = dayMonthAmbiguity(r.text, o);
    if (amb) notes.push(amb);
    out.push({
      kind: end && end !== start ? 'range' : 'date',
      start,
      end: end ?? start,
      index,
      length,
      rule,
      confidence: amb ? confidence * 0.5 : confidence,
      ...(amb ? { ambiguousDayMonth: true } : {}),
      ...(notes.length ? { notes } : {}),
    });
  }
  return out;
}

/**
 * A note when `text` holds a numeric date whose day and month could be swapped and no locale
 * settles it (e.g. "03/04/2026", "4/8"); null otherwise.
 */
export function dayMonthAmbiguity(text: string, o: ExtractOptions): string | null {
  if (o.locale) return null;
  const m = /\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b/.exec(text);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a === b || a > 12 || b > 12 || a === 0 || b === 0) return null;
  return `"${m[0]}" reads as month/day (en-US); as day/month (en-GB) it would be another day. Set the supplier's date locale.`;
}
