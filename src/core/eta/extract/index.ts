/**
 * Reads a supplier's ETA from free text (mail body, attachment text, pasted text).
 *
 * chrono-node is the base; the rules of rules.ts read what it misses. Every sentence yields
 * candidates; the chosen one is the best-ranked, preferring the date after "pushed back to / now /
 * revised" over an "originally" date, dates not already past on the day the text was sent, and
 * later statements over earlier ones. A "TBD / no ETA / until further notice" stated after the last
 * date makes the result *unknown* — never the email's own date. Nothing readable gives
 * `kind: 'unknown', rule: 'none'` with a low confidence so a person looks at it.
 *
 * Ship or arrival: the nearest ETA word before the date decides ("ships", "dispatch", "ETD" → ship
 * date; "arrive", "deliver", "ETA", "in stock" → arrival); a ship date gets a transit time added in
 * `arrivalStart/End`: the one the text states ("transit 5 days", "3–5 business days in transit"),
 * else the supplier's `transitDays`.
 */
import { addDays, isIsoDate } from '../calendar';
import type { EtaExtraction, ExtractOptions } from '../types';
import { delays, endOfPeriod, leadTimes, monthParts, quarters, shift, transitTimes, unknownMarkers, weekNumbers, type Candidate } from './rules';
import { chronoDates } from './chrono';
import { splitSentences } from './sentences';

/** Below this confidence a quote becomes a task for a person (kind 'eta_low_confidence'). */
export const LOW_CONFIDENCE = 0.6;

const SHIP_WORDS = /\b(?:ship(?:s|ped|ping|ment)?|dispatch(?:es|ed)?|ETD|ex[- ]works|leaves? (?:our|the) (?:warehouse|factory)|ready to ship|sent out|goes out)\b/gi;
const ARRIVAL_WORDS = /\b(?:arriv\w*|deliver\w*|receiv\w*|ETA|in stock|back in stock|land\w*|reach\w*|restock\w*|availab\w*|selling|in hand)\b/gi;
const ETA_WORDS = /\b(?:ship|dispatch|deliver|arriv|eta|etd|expect|availab|in stock|restock|receiv|ready|lead ?time|due|schedul|back ?order|delay|push|slip)/i;
const CHANGE_BEFORE = /\b(?:pushed (?:back|out) to|moved (?:out |back )?to|revised(?: to)?|rescheduled (?:to|for)|changed to|updated to|new (?:ETA|date|delivery date|ship date)(?: is| of)?|now (?:expected|looks|scheduled|planned|estimated)?|instead)\b/i;
const OLD_BEFORE = /\b(?:originally|previously|initially|was (?:expected|scheduled|planned|due)|had been|old (?:ETA|date))\b/i;

interface Ranked {
  c: Candidate;
  sentence: string;
  /** Global order of the candidate in the text. */
  order: number;
  score: number;
  notes: string[];
}

/** Which parsers run on a sentence; the rules first so their spans win over chrono's. */
function candidatesOf(s: string, o: ExtractOptions): Candidate[] {
  const rules = [
    ...unknownMarkers(s),
    ...weekNumbers(s, o),
    ...quarters(s, o),
    ...monthParts(s, o),
    ...endOfPeriod(s, o),
    ...delays(s, o),
  ];
  const dated = rules.filter((c) => c.kind !== 'unknown');
  const overlaps = (c: Candidate, list: Candidate[]): boolean =>
    list.some((r) => c.index < r.index + r.length && r.index < c.index + c.length);
  // A stated transit time ("transit 5 days") is neither a date nor a lead time.
  const transit = transitTimes(s).map((t) => ({ index: t.index, length: t.length }) as Candidate);
  const leads = leadTimes(s, o).filter((c) => !overlaps(c, dated) && !overlaps(c, transit));
  const own = [...dated, ...leads];
  const fromChrono = chronoDates(s, o).filter((c) => !overlaps(c, own));
  return [...rules, ...leads, ...fromChrono];
}

function isShip(sentence: string, c: Candidate): boolean {
  const before = sentence.slice(0, c.index);
  const last = (re: RegExp, text: string): number => {
    let pos = -1;
    for (const m of text.matchAll(re)) pos = m.index;
    return pos;
  };
  const ship = last(SHIP_WORDS, before);
  const arrive = last(ARRIVAL_WORDS, before);
  if (ship >= 0 || arrive >= 0) return ship > arrive;
  return last(SHIP_WORDS, sentence) >= 0 && last(ARRIVAL_WORDS, sentence) < 0;
}

/**
 * Extracts the ETA of `text` (see the module comment for the rules).
 * @throws RangeError when `options.sent` or `options.priorEta` is not a date-only ISO string.
 */
export function extractEta(text: string, options: ExtractOptions): EtaExtraction {
  if (!isIsoDate(options.sent)) throw new RangeError(`sent: not a date-only ISO string: ${options.sent}`);
  if (options.priorEta != null && !isIsoDate(options.priorEta)) throw new RangeError(`priorEta: not a date-only ISO string: ${options.priorEta}`);
  const sentences = splitSentences(text);
  const ranked: Ranked[] = [];
  let order = 0;
  for (const s of sentences) {
    const list = candidatesOf(s.text, options).sort((a, b) => a.index - b.index);
    for (const c of list) {
      const notes = [...(c.notes ?? [])];
      let score = c.confidence;
      if (c.kind !== 'unknown') {
        const before = s.text.slice(Math.max(0, c.index - 40), c.index);
        if (CHANGE_BEFORE.test(before)) score += 0.15;
        if (OLD_BEFORE.test(s.text.slice(0, c.index)) && !CHANGE_BEFORE.test(before)) {
          score -= 0.2;
          notes.push('stated as the original date; it may have changed since');
        }
        if (ETA_WORDS.test(s.text)) score += 0.05;
        if (c.end !== null && c.end < addDays(options.sent, -3)) {
          score -= 0.4;
          notes.push('the date was already past when the text was sent');
        }
      }
      ranked.push({ c, sentence: s.text, order: order++, score, notes });
    }
  }

  const dated = ranked.filter((r) => r.c.kind !== 'unknown');
  const unknowns = ranked.filter((r) => r.c.kind === 'unknown');
  const best = dated.reduce<Ranked | null>((b, r) => (!b || r.score > b.score || (r.score === b.score && r.order > b.order) ? r : b), null);
  const lastUnknown = unknowns[unknowns.length - 1];

  if (!best || (lastUnknown && lastUnknown.order > Math.max(...dated.map((d) => d.order)))) {
    if (lastUnknown) {
      return {
        kind: 'unknown', start: null, end: null, isShipDate: false, arrivalStart: null, arrivalEnd: null,
        confidence: best ? 0.75 : 0.9, sentence: lastUnknown.sentence, rule: 'unknown-marker', ambiguousDayMonth: false,
        notes: best ? ['an earlier sentence gives a date; the latest statement says there is none'] : [],
      };
    }
    return {
      kind: 'unknown', start: null, end: null, isShipDate: false, arrivalStart: null, arrivalEnd: null,
      confidence: 0.1, sentence: '', rule: 'none', ambiguousDayMonth: false,
      notes: ['no date or ETA wording could be read'],
    };
  }

  const c = best.c;
  const notes = [...best.notes];
  let confidence = c.confidence;
  if (notes.some((n) => n.startsWith('the date was already past'))) confidence *= 0.5;
  if (notes.some((n) => n.startsWith('stated as the original date')) && dated.length === 1) confidence *= 0.85;
  if (!ETA_WORDS.test(best.sentence)) {
    confidence *= 0.8;
    notes.push('the sentence does not say what the date is for');
  }
  if (unknowns.length) {
    confidence *= 0.8;
    notes.push('the text also says a date is not known');
  }
  const ship = isShip(best.sentence, c);
  const start = c.start!;
  const end = c.end ?? start;
  let arrivalStart = start;
  let arrivalEnd = end;
  // The transit the text itself states is this shipment's; the supplier's usual one is the fallback.
  const stated = ship ? transitTimes(text)[0] : undefined;
  if (stated) {
    arrivalStart = shift(start, stated.lo, stated.unit, options);
    arrivalEnd = shift(end, stated.hi, stated.unit, options);
    notes.push(`a ship date: arrival after the transit the text states ("${text.slice(stated.index, stated.index + stated.length)}")`);
  } else if (ship && options.transitDays !== undefined) {
    arrivalStart = addDays(start, options.transitDays);
    arrivalEnd = addDays(end, options.transitDays);
  } else if (ship) {
    notes.push("a ship date: the supplier's transit days are not known, arrival = ship date");
  }
  return {
    kind: start === end ? 'date' : 'range',
    start,
    end,
    isShipDate: ship,
    arrivalStart,
    arrivalEnd,
    confidence: Math.round(Math.min(1, Math.max(0, confidence)) * 100) / 100,
    sentence: best.sentence,
    rule: c.rule,
    ambiguousDayMonth: c.ambiguousDayMonth === true,
    notes,
  };
}
