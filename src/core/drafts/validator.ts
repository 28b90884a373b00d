/**
 * The draft validator: checks any customer message — composed from templates, written by the
 * language model or edited by the owner — against the content rules and the facts it may state.
 * Pure: no I/O, no clock.
 *
 * Rule sources: DESIGN.md "Defaults taken from the merchant's brief" (Content: order number, item
 * name, current status and next update always; never "we apologize for the inconvenience"; at most
 * 150 words by email and 50 by SMS; ranges, never a promised date) and the glossary ("Never a single
 * promised date"); the rest keeps a draft within its facts (links, offers, the ETA) and makes what the
 * owner approves be what the customer sees (invisible characters).
 *
 * Where each rule looks: the "always" rules (order_number, item_name, status, next_update) and
 * `length` read the body only, because the body has to stand on its own (SMS has no subject, and
 * email clients often show the body without it). The "never" rules read the subject too. Every rule
 * except invisible_unicode reads the text with invisible characters removed, so hidden characters
 * are reported once, as themselves.
 *
 * Added for drafts written by a language model (the issue "Drafts written by a local model"): no
 * email address or phone number the facts do not contain (`unsupported_contact`, contacts.ts); no
 * other customer's order number or name (`other_customer_data`); the customer's language
 * (`language`, language.ts); no run of words copied from inbound mail (`quoted_untrusted`, only
 * when the caller passes that mail in `untrusted`).
 *
 * Added after a tester's report: relative and holiday delivery promises ("ships in 2 days", "before
 * Christmas") are `promised_date`, and a relative range ("in 2–3 weeks") with no ETA in the facts is
 * `eta_mismatch` — with an ETA it passes, because the validator has no clock to turn "2–3 weeks" into
 * days; discount codes are `unsupported_offer` (offers.ts); apologies written with look-alike letters
 * (TR39 confusables, confusables.ts), accents or a misspelt "inconvenience", or split over two
 * sentences, are `banned_phrase`; control characters are `invisible_unicode` (invisible.ts); U+FFFD
 * is `replacement_character` — a rule of its own because it is visible and means mis-decoded text,
 * which needs the source fixed rather than a character removed; a CR or LF in the subject is
 * `subject_line_break` (header injection; checked even when the body is empty).
 *
 * Added for the FTC Mail Order Rule's second delay (16 CFR 435.2(b)(2)): a consent request
 * (`facts.consentRequest`) must keep the choice to wait or cancel for a refund, a free way to answer
 * and its deadline (`ftc_consent`); that deadline, in a sentence about the answer, is not a promised
 * date.
 */
import type { Channel, DraftViolation } from '../../shared/domain';
import { foldConfusables } from './confusables';
import { describeNextUpdate, findDateMentions, findRelativeTimes, formatEtaRange, formatLongDay, isIsoDay, sameDay } from './dates';
import type { DraftFacts } from './facts';
import { otherGreetedName, otherOrderNumbers, unsupportedEmails, unsupportedPhones } from './contacts';
import { codePointLabel, findInvisible, findReplacementChars, stripInvisible } from './invisible';
import { languageProblem } from './language';
import { findOffers, isExpeditedMethod, offerPermission, offerProblem } from './offers';
import { statusStated } from './status';
import { canonicalUrl, countWords, findPhrase, findUrls, foldTypography, maskSpans, sentenceSpans } from './text';

/** Rule ids, in the order violations are reported. */
export const DRAFT_RULES = [
  'empty',
  'order_number',
  'item_name',
  'status',
  'next_update',
  'promised_date',
  'banned_phrase',
  'length',
  'invisible_unicode',
  'replacement_character',
  'subject_line_break',
  'unsupported_url',
  'unsupported_offer',
  'eta_mismatch',
  'unsupported_contact',
  'other_customer_data',
  'language',
  'quoted_untrusted',
  'ftc_consent',
  'store_name',
] as const;

/** A content rule id, as stored in `DraftViolation.rule`. */
export type DraftRule = (typeof DRAFT_RULES)[number];

/** Most words a body may have, per channel (DESIGN.md content rules). */
export const WORD_LIMITS: Readonly<Record<Channel, number>> = { email: 150, sms: 50 };

/** A draft to check: its channel, subject (email only), body text and the facts it may state. */
export interface DraftInput {
  channel: Channel;
  subject?: string;
  text: string;
  facts: DraftFacts;
  /**
   * Inbound text the draft was written next to (customer replies, supplier mail): data, never a
   * source. A draft that copies a run of `QUOTED_RUN_WORDS` words from it breaks `quoted_untrusted`.
   */
  untrusted?: readonly string[];
  /**
   * The owner has not set the store's name yet (setting `storeName` is ""): the draft breaks
   * `store_name` whatever its text, so it cannot be approved until Settings has the name. Kept out
   * of the facts because those describe one order; `draft check` never sets it.
   */
  storeNameMissing?: boolean;
}

/** Consecutive words copied from untrusted text that make `quoted_untrusted`. */
export const QUOTED_RUN_WORDS = 8;

// "we apologize for the inconvenience" and its relatives: an apology or regret and "inconvenience"
// (or "inconvenient") in the same sentence or in two sentences in a row, in either order ("Sorry!
// This is a real inconvenience."). Words are read through the confusables fold and matched with up
// to two typos ("inconvience", "appologize"); see bannedPhrase.
const APOLOGY_WORD = /^(?:apolog\w*|s+o+r+[iy]+|sry|soz|regret\w*)$/;
const APOLOGY_FORMS = ['apologize', 'apologise', 'apologizes', 'apologises', 'apologized', 'apologised', 'apologies', 'apology'];
const INCONVENIENCE_FORMS = ['inconvenience', 'inconveniences', 'inconvenienced', 'inconveniencing', 'inconvenient'];

const UPDATE_CUE =
  /\b(?:next\s+update|another\s+update|further\s+update|(?:we|i)(?:'ll|\s+will|\s+shall)\s+(?:\w+\s+)?(?:update\s+you|be\s+(?:back\s+)?in\s+touch|write\s+(?:to\s+you\s+)?again|send\s+(?:you\s+)?(?:an?|another|the\s+next|your\s+next|a\s+further)\s+update|check\s+in|follow\s+up|get\s+back\s+to\s+you|keep\s+you\s+posted|let\s+you\s+know)|you(?:'ll|\s+will)\s+hear\s+from\s+us|update\s+you|be\s+in\s+touch|write\s+(?:to\s+you\s+)?again)\b/i;

const TIME_WORDS =
  /\b(?:(?:in|within)\s+(?:\d+|an?|one|two|three|four|five|six|seven|a\s+few|a\s+couple\s+of)\s+(?:hours?|days?|weeks?)|(?:next|this)\s+week|end\s+of\s+(?:the\s+)?(?:day|week))\b/i;

const DELIVERY_CUE =
  /\b(?:ships?|shipped|shipping\s+(?:on|by|in|within)|arriv\w*|deliver\w*|dispatch\w*|back\s+in\s+stock|restock\w*|in\s+your\s+hands|at\s+your\s+door|reach(?:es)?\s+you|receiv\w*|with\s+you|(?:get|have|expect)\s+(?:it|them)|(?:be|get)\s+there|go(?:es)?\s+out|send\s+(?:it|them)|on\s+(?:its|their)\s+way|out\s+the\s+door|under\s+the\s+tree|(?:be|is|are)\s+(?:back\s+)?in\s+stock)\b/i;

// Prepositions that tie delivery to a holiday ("before Christmas", "in time for the holidays").
const HOLIDAY_PREPOSITIONS = new Set(['before', 'by', 'in time for', 'ahead of', 'for', 'on', 'at', 'over', 'until', 'till']);

// The customer's wish or need, not our promise: "you wanted it in time for the holidays", "if you
// need it before Christmas, reply".
const WISH = /\b(?:if\s+you|wants?|wanted|needs?|needed|hop(?:e|ed|ing)|wish(?:ed|ing)?|plann?(?:ed|ing)|would\s+like)\b/i;

// Where a sentence turns to another clause: a holiday in "we close for the holidays, so it ships
// between …" is about the closure, not the delivery.
const CLAUSE_BREAK = /[;:]|,?\s+\b(?:so|but|because|since|although|though|while|whereas)\b/gi;

const GUARANTEE = /\b(?:guarantee[ds]?|promise[ds]?|definitely|for\s+certain|without\s+fail)\b/i;

// A sentence about the customer's answer: the consent deadline in it is when to answer, not a delivery.
const CONSENT_CUE = /\b(?:wait|hear|heard|reply|replies|answer\w*|agree\w*|consent\w*)\b/i;

const NO_DATE = /\bno\s+(?:confirmed\s+)?(?:shipping\s+|delivery\s+)?date\b|\bno\s+date\s+yet\b/i;

/**
 * Every content rule `input` breaks, in DRAFT_RULES order, each with a detail a person can act on;
 * [] for a good draft. An empty body yields only `empty` (and `invisible_unicode` if it hid
 * characters), because every other finding would be noise. Where each rule looks: module doc; the
 * date, link and offer forms recognised: dates.ts, text.ts, offers.ts.
 */
export function validateDraft(input: DraftInput): DraftViolation[] {
  const { facts, channel } = input;
  const out: DraftViolation[] = [];
  const add = (rule: DraftRule, detail: string): void => {
    if (!out.some((v) => v.rule === rule && v.detail === detail)) out.push({ rule, detail });
  };

  const invisible = [
    ...invisibleDetails('subject', input.subject ?? ''),
    ...invisibleDetails('body', input.text),
  ];
  const replaced = [...replacementDetails('subject', input.subject ?? ''), ...replacementDetails('body', input.text)];
  const lineBreak = subjectLineBreak(input.subject ?? '');
  const body = stripInvisible(input.text);
  const subject = stripInvisible(input.subject ?? '');

  if (body.trim() === '') {
    add('empty', 'the message has no text');
    for (const d of invisible) add('invisible_unicode', d);
    if (lineBreak) add('subject_line_break', lineBreak);
    return out;
  }

  if (!orderNumberStated(body, facts.orderName)) add('order_number', `order number ${facts.orderName} is missing`);
  if (findPhrase(body, facts.itemName).length === 0) add('item_name', `item name "${facts.itemName}" is missing`);
  if (!statusStated(body, facts.status)) add('status', `current status "${facts.status}" is not stated`);
  if (!nextUpdateStated(body, facts.nextUpdate)) {
    add('next_update', `when the next update comes ("${describeNextUpdate(facts.nextUpdate)}") is not stated`);
  }

  const texts = [subject, body].filter((t) => t.trim() !== '');
  for (const t of texts) for (const d of promisedDates(t, facts)) add('promised_date', d);
  for (const t of texts) {
    const phrase = bannedPhrase(t);
    if (phrase) add('banned_phrase', `"${phrase}" — say what happens next instead`);
  }

  const words = countWords(body);
  if (words > WORD_LIMITS[channel]) add('length', `${words} words; at most ${WORD_LIMITS[channel]} by ${channel}`);

  for (const d of invisible) add('invisible_unicode', d);
  for (const d of replaced) add('replacement_character', d);
  if (lineBreak) add('subject_line_break', lineBreak);
  for (const t of texts) for (const d of unsupportedUrls(t, facts)) add('unsupported_url', d);

  const permission = offerPermission(facts.allowedOffers ?? [], facts.cancelOffer === true || facts.ftc === true);
  // An order that already ships expedited cannot be offered an upgrade to it, allowed or not.
  const method = facts.shippingMethod;
  const alreadyExpedited = method !== undefined && isExpeditedMethod(method);
  if (alreadyExpedited) permission.kinds.delete('expedited_shipping');
  for (const t of texts) {
    // Words inside a link ("/refund-policy") are the link rule's business, not an offer; the
    // order's own shipping method ("Priority Express") is a fact, not an offer.
    const masked = maskSpans(t, [...findUrls(t), ...(method ? findPhrase(t, method) : [])]);
    for (const m of findOffers(masked)) {
      const problem =
        alreadyExpedited && m.kind === 'expedited_shipping'
          ? `"${m.text}" (expedited shipping) is not an offer to make: the order already ships by ${method}`
          : offerProblem(m, permission);
      if (problem) add('unsupported_offer', problem);
    }
  }

  for (const t of texts) for (const d of etaMismatches(t, facts)) add('eta_mismatch', d);

  for (const t of texts) {
    for (const e of unsupportedEmails(t, facts)) add('unsupported_contact', `email address ${e} is not in the facts`);
    for (const p of unsupportedPhones(t, facts)) add('unsupported_contact', `phone number ${p} is not in the facts`);
  }
  if (orderNumberStated(body, facts.orderName)) {
    for (const t of texts) for (const o of otherOrderNumbers(t, facts)) add('other_customer_data', `"${o}" is another order than ${facts.orderName}`);
  }
  const greeted = otherGreetedName(body, facts);
  if (greeted) add('other_customer_data', `greets "${greeted}", who is not this customer`);
  const lang = languageProblem([subject, body].join('\n'), facts.locale ?? 'en');
  if (lang) add('language', lang);
  for (const t of texts) for (const run of copiedRuns(t, input.untrusted ?? [])) add('quoted_untrusted', `copies inbound text: "${run}"`);
  if (facts.consentRequest === true) for (const d of consentGaps(body, facts)) add('ftc_consent', d);
  if (input.storeNameMissing === true) add('store_name', "Set your store's name in Settings before sending");
  return out;
}

/**
 * What a consent request after a second delay lacks (16 CFR 435.2(b)(2); see
 * src/core/compliance/ftc.ts): the choice to wait, to cancel for a refund, a way to answer (a
 * reply), and the deadline after which the order is cancelled. An edit or a model draft that drops
 * one of them would make silence look like consent.
 */
function consentGaps(body: string, facts: DraftFacts): string[] {
  const t = foldTypography(body);
  const out: string[] = [];
  if (!/\bwait\b/i.test(t)) out.push('a consent request must let the customer agree to wait');
  if (!/\bcancel/i.test(t) || !/\brefund/i.test(t)) out.push('a consent request must offer to cancel for a full refund');
  if (!/\brepl(?:y|ies|ying)\b|\banswer\b/i.test(t)) out.push('a consent request must say how to answer for free (reply to this message)');
  const deadline = facts.consentDeadline;
  // The deadline must stand with the cancellation it leads to, not just as the end of the new range.
  const statesDeadline = (d: string): boolean =>
    sentenceSpans(t).some((sp) => {
      const sentence = t.slice(sp.index, sp.end);
      return /\bcancel/i.test(sentence) && findDateMentions(sentence).some((m) => m.role === 'single' && sameDay(m.days, d));
    });
  if (deadline && !statesDeadline(deadline)) {
    out.push(`a consent request must say the order is cancelled unless the customer agrees to wait by ${formatLongDay(deadline)}`);
  }
  return out;
}

function words(text: string): string[] {
  return foldTypography(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

// Runs of QUOTED_RUN_WORDS words the draft shares with any untrusted text, each reported once.
function copiedRuns(text: string, untrusted: readonly string[]): string[] {
  if (untrusted.length === 0) return [];
  const n = QUOTED_RUN_WORDS;
  const shingles = new Set<string>();
  for (const u of untrusted) {
    const w = words(stripInvisible(u));
    for (let i = 0; i + n <= w.length; i++) shingles.add(w.slice(i, i + n).join(' '));
  }
  const w = words(text);
  const out: string[] = [];
  for (let i = 0; i + n <= w.length; i++) {
    const s = w.slice(i, i + n).join(' ');
    if (shingles.has(s)) {
      out.push(s);
      i += n - 1;
    }
  }
  return out;
}

function replacementDetails(field: string, text: string): string[] {
  const found = findReplacementChars(text);
  if (found.length === 0) return [];
  const at = found.slice(0, 5).join(', ') + (found.length > 5 ? ` and ${found.length - 5} more` : '');
  return [
    `${found.length} replacement character(s) U+FFFD ("\uFFFD") in the ${field} at ${at}: the text was decoded with the wrong ` +
      'character set somewhere and the character that stood there is lost; fix the text (or re-import its source) before sending',
  ];
}

function subjectLineBreak(subject: string): string | null {
  const i = subject.search(/[\r\n]/);
  if (i === -1) return null;
  const label = subject[i] === '\r' ? 'CR' : 'LF';
  return `the subject has a line break (${label} at ${i}); a subject is one header line, and a line break in it can add mail headers (header injection)`;
}

// Optimal string alignment distance (Levenshtein with adjacent transpositions), for short words.
function typoDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (before[j - 2] ?? 0) + 1);
      row.push(v);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

function nearForm(word: string, forms: readonly string[]): boolean {
  return word.length >= 7 && forms.some((f) => Math.abs(f.length - word.length) <= 2 && typoDistance(word, f) <= 2);
}

const isApology = (w: string): boolean => APOLOGY_WORD.test(w) || (w.startsWith('ap') && nearForm(w, APOLOGY_FORMS));
const isInconvenience = (w: string): boolean => w.startsWith('inconv') || (/^i[nm]/.test(w) && nearForm(w, INCONVENIENCE_FORMS));

/**
 * The first apology-and-inconvenience pair of `text` (see APOLOGY_WORD), quoted as written from the
 * first of the two words to the last, or null.
 */
function bannedPhrase(text: string): string | null {
  const f = foldConfusables(text);
  const lower = f.text.toLowerCase();
  const spans = sentenceSpans(f.text);
  const sentenceAt = (i: number): number => spans.findIndex((s) => s.index <= i && i < s.end);
  const words = [...lower.matchAll(/\p{L}+/gu)].map((m) => ({ w: m[0], index: m.index, end: m.index + m[0].length }));
  const apologies = words.filter((x) => isApology(x.w));
  const troubles = words.filter((x) => isInconvenience(x.w));
  for (const a of apologies) {
    for (const b of troubles) {
      if (Math.abs(sentenceAt(a.index) - sentenceAt(b.index)) > 1) continue;
      const span = f.origin(Math.min(a.index, b.index), Math.max(a.end, b.end));
      return text.slice(span.index, span.end);
    }
  }
  return null;
}

function invisibleDetails(field: string, text: string): string[] {
  const found = findInvisible(text);
  if (found.length === 0) return [];
  const shown = found.slice(0, 5).map((c) => `${codePointLabel(c.codePoint)} at ${c.index}`);
  const more = found.length > 5 ? ` and ${found.length - 5} more` : '';
  return [`${found.length} invisible character(s) in the ${field}: ${shown.join(', ')}${more}`];
}

// "#1001" as given, or its number after "order" ("order 1001", "order no. 1001").
function orderNumberStated(text: string, orderName: string): boolean {
  if (findPhrase(text, orderName).length > 0) return true;
  const digits = /^#?(\d+)$/.exec(orderName.trim())?.[1];
  return digits !== undefined && new RegExp(`\\border\\s+(?:no\\.?\\s*|number\\s+)?#?${digits}(?!\\d)`, 'i').test(text);
}

function nextUpdateStated(text: string, nextUpdate: string): boolean {
  if (findPhrase(text, nextUpdate).length > 0 || findPhrase(text, describeNextUpdate(nextUpdate)).length > 0) return true;
  const iso = nextUpdate.trim();
  for (const s of sentenceSpans(text)) {
    const sentence = foldTypography(text.slice(s.index, s.end));
    if (!UPDATE_CUE.test(sentence)) continue;
    const mentions = findDateMentions(sentence);
    if (isIsoDay(iso) ? mentions.some((m) => sameDay(m.days, iso)) : mentions.length > 0 || TIME_WORDS.test(sentence)) {
      return true;
    }
  }
  return false;
}

// Text that may carry dates without promising anything: links (a path like /12/05), the
// next-update fact (its date is when we write, not when the item ships) and the shipping method
// ("2-Day Shipping" is what the customer chose, not a promise).
function maskedForDates(text: string, facts: DraftFacts): string {
  return maskSpans(text, [
    ...findUrls(text),
    ...findPhrase(text, facts.nextUpdate),
    ...findPhrase(text, describeNextUpdate(facts.nextUpdate)),
    ...(facts.shippingMethod ? findPhrase(text, facts.shippingMethod) : []),
  ]);
}

function sentenceOf(text: string, m: { index: number }): { sentence: string; before: string; start: number } {
  const s = sentenceSpans(text).find((sp) => sp.index <= m.index && m.index < sp.end) ?? { index: 0, end: text.length };
  return { sentence: text.slice(s.index, s.end), before: text.slice(s.index, m.index), start: s.index };
}

/** The clause of `sentence` around offset `at` (see CLAUSE_BREAK). */
function clauseOf(sentence: string, at: number): string {
  let start = 0;
  let end = sentence.length;
  for (const m of sentence.matchAll(CLAUSE_BREAK)) {
    if (m.index + m[0].length <= at) start = m.index + m[0].length;
    else if (m.index >= at) {
      end = m.index;
      break;
    }
  }
  return sentence.slice(start, end);
}

const RANGE_ADVICE = 'give the ETA range ("between X and Y") or say there is no confirmed date';

// A date is when we write, not when the item comes, if its sentence is about updates only, or if it
// follows an update phrase with no shipping word in between ("we'll ship it when it arrives and
// update you by Dec 4").
function isUpdateDate(sentence: string, before: string): boolean {
  if (UPDATE_CUE.test(sentence) && !DELIVERY_CUE.test(sentence)) return true;
  const cues = [...before.matchAll(new RegExp(UPDATE_CUE.source, 'gi'))];
  const last = cues[cues.length - 1];
  return last !== undefined && !DELIVERY_CUE.test(before.slice(last.index + last[0].length));
}

function promisedDates(text: string, facts: DraftFacts): string[] {
  // Read through the confusables fold, so "tоmorrow" with a Cyrillic "о" is still tomorrow.
  const masked = foldConfusables(maskedForDates(text, facts)).text;
  const out: string[] = [];
  const mentions = findDateMentions(masked);
  for (const m of mentions) {
    if (m.role !== 'single') continue;
    const { sentence, before } = sentenceOf(masked, m);
    if (isUpdateDate(sentence, before)) continue;
    if (facts.consentDeadline && sameDay(m.days, facts.consentDeadline) && CONSENT_CUE.test(sentence)) continue;
    if (m.kind === 'calendar' || DELIVERY_CUE.test(sentence)) {
      out.push(`"${m.text.trim()}" is a single date; give a range ("between X and Y") or say there is no confirmed date`);
    }
  }
  for (const s of sentenceSpans(masked)) {
    const sentence = masked.slice(s.index, s.end);
    const g = GUARANTEE.exec(sentence);
    const hasDate = mentions.some((m) => s.index <= m.index && m.index < s.end);
    if (g && (DELIVERY_CUE.test(sentence) || hasDate)) out.push(`"${sentence.trim()}" promises delivery ("${g[0]}")`);
  }
  for (const r of findRelativeTimes(masked)) {
    if (r.anchored) continue;
    const { sentence, before, start } = sentenceOf(masked, r);
    if (isUpdateDate(sentence, before)) continue;
    if (r.kind === 'holiday') {
      if (!HOLIDAY_PREPOSITIONS.has(r.preposition)) continue;
      const clause = clauseOf(sentence, r.index - start);
      if (WISH.test(clause)) continue;
      if (r.preposition === 'in time for' || DELIVERY_CUE.test(clause) || GUARANTEE.test(clause)) {
        out.push(`"${r.preposition} ${r.text.trim()}" ties delivery to a holiday; ${RANGE_ADVICE}`);
      }
    } else if (!r.range && (r.delivery || DELIVERY_CUE.test(sentence))) {
      out.push(`"${r.text.trim()}" promises a time; ${RANGE_ADVICE}`);
    }
  }
  return out;
}

function etaMismatches(text: string, facts: DraftFacts): string[] {
  const mentions = findDateMentions(maskedForDates(text, facts)).filter((m) => m.kind === 'calendar');
  const eta = facts.etaStart && facts.etaEnd ? { start: facts.etaStart, end: facts.etaEnd } : null;
  const out: string[] = [];
  const expected = eta ? `the ETA is ${formatEtaRange(eta.start, eta.end)}` : 'there is no confirmed ETA';
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i];
    if (!m) continue;
    if (m.role === 'range_start') {
      const end = mentions[i + 1];
      const stated = `${m.text.trim()} – ${end?.text.trim() ?? '?'}`;
      if (!eta || !end || !sameDay(m.days, eta.start) || !sameDay(end.days, eta.end)) {
        out.push(`states ${stated}, but ${expected}`);
      }
    } else if (m.role === 'open_start' && (!eta || !sameDay(m.days, eta.start))) {
      out.push(`states "${m.text.trim()}" as the earliest date, but ${expected}`);
    }
  }
  if (eta && NO_DATE.test(foldTypography(text))) out.push(`says there is no confirmed date, but ${expected}`);
  if (!eta) {
    // "in 2–3 weeks" is an ETA too. With an ETA in the facts it cannot be checked here (no clock to
    // count weeks from); without one it is an invented estimate.
    const masked = maskedForDates(text, facts);
    for (const r of findRelativeTimes(masked)) {
      if (r.kind !== 'duration' || !r.range || r.anchored) continue;
      const { sentence, before } = sentenceOf(masked, r);
      if (!isUpdateDate(sentence, before) && DELIVERY_CUE.test(sentence)) out.push(`states "${r.text.trim()}", but ${expected}`);
    }
  }
  return out;
}

function unsupportedUrls(text: string, facts: DraftFacts): string[] {
  const allowed = new Set(
    [...(facts.allowedUrls ?? []), facts.statusUrl, facts.faqUrl, facts.alternative?.url, facts.tracking?.url]
      .filter((u): u is string => typeof u === 'string' && u !== '')
      .map(canonicalUrl),
  );
  // A store called "Acme.co" signs its own name; that is not a link the facts must allow.
  const masked = facts.storeName ? maskSpans(text, findPhrase(text, facts.storeName)) : text;
  return findUrls(masked)
    .filter((u) => !allowed.has(canonicalUrl(u.url)))
    .map((u) => `${u.url} is not a link the facts allow`);
}
