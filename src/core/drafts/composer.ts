/**
 * The deterministic draft composer: turns a step of the backorder sequence and its facts into a
 * customer message without a language model. It is the fallback when no model is available and the
 * reference the model's drafts are held to; the same facts always give the same text.
 *
 * Content follows DESIGN.md "Defaults taken from the merchant's brief":
 * - every message states the order number, the item, the current status and when the next update
 *   comes; ETAs are always a range ("between Dec 3 and Dec 10") or "no confirmed date yet";
 * - hour 0: the range, what happens next, the status link; day 3: a firmer estimate if the supplier
 *   confirmed, else "we're checking with our supplier"; day 7: the revised estimate with its reason
 *   and an in-stock alternative; day 14: the option to cancel for a full refund; on restock: back in
 *   stock, ships soon; shipped: tracking;
 * - VIP: loyalty, and expedited shipping only when it is an allowed offer and the order does not
 *   already ship expedited (`shippingMethod`, `isExpeditedMethod`); first-time buyer: simpler wording
 *   and the FAQ link;
 * - a multi-unit line says how many units wait: "2 of the 3 you ordered", "both you ordered",
 *   "all 3 you ordered" (by SMS "2 of 3", "both", "all 3");
 * - at most 150 words by email, 50 by SMS (SMS has no subject). Optional sentences are dropped, least
 *   important first, until the body fits; required facts are never dropped.
 * - US stores (`ftc`): every delay notice gives the revised shipping date range or says there is none,
 *   the right to cancel for a full refund at any time before the order ships and a free way to do it,
 *   and, when there is no revised date, the reason for the delay if the facts have one (FTC Mail
 *   Order Rule, 16 CFR 435.2(b)(1); the FTC's business guide to the Rule: a notice without a revised
 *   date gives the reason for the delay and says the customer may cancel any time until shipment).
 *   By email the reason is always kept; by SMS it shares the "No confirmed date yet" sentence, which
 *   shrinks back to those words only when the required facts leave no room for it within 50 words,
 *   and the right to cancel reads "Until it ships, reply CANCEL (free) for a full refund."
 * - US stores, second delay (`ftc_consent_request`, facts `consentRequest` and `consentDeadline`):
 *   the renewed option of 16 CFR 435.2(b)(2) — the new revised range or that there is none (then the
 *   reason, if known), the choice to agree to wait (still free to cancel until it ships) or to cancel
 *   now for a full refund, a free way to answer (a reply), and that without the customer's "wait" by
 *   the deadline the order is cancelled and refunded in full. No offers or loyalty lines: the choice
 *   is the message.
 */
import type { Channel } from '../../shared/domain';
import { describeNextUpdate, formatDay, formatEtaRange, formatLongDay } from './dates';
import type { DraftFacts } from './facts';
import { isExpeditedMethod, offerPermission } from './offers';
import { countWords, findPhrase } from './text';
import { WORD_LIMITS } from './validator';

/** Steps the composer writes (the `draft` templates of the sequence flow). */
export const DRAFT_STEP_IDS = [
  'initial_notice',
  'day3_update',
  'day7_update',
  'day14_update',
  'eta_change_update',
  'restock_notice',
  'shipped_confirmation',
  'ftc_consent_request',
] as const;

/** A step the composer writes; the same ids as the sequence flow's `TemplateId`. */
export type DraftStepId = (typeof DRAFT_STEP_IDS)[number];

/**
 * Steps that tell the customer about a delay: the FTC option notice goes into these (and into day 3
 * when it is the customer's first contact, since it is then their first delay notice).
 */
export const DELAY_NOTICE_STEPS: readonly DraftStepId[] = [
  'initial_notice',
  'day7_update',
  'day14_update',
  'eta_change_update',
];

/** A composed message. `subject` is '' for SMS. */
export interface ComposedDraft {
  subject: string;
  body: string;
}

/**
 * A sentence of the body; `drop` 0 is never dropped, higher numbers are dropped first. A dropped
 * part with a `fallback` shrinks to it instead of disappearing.
 */
interface Part {
  text: string;
  drop: number;
  fallback?: string;
}

/** Email paragraphs (or the single SMS paragraph), each a list of parts. */
type Layout = Part[][];

const keep = (text: string): Part => ({ text, drop: 0 });
const optional = (drop: number, text: string): Part => ({ text, drop });
const shrinkable = (drop: number, text: string, fallback: string): Part => ({ text, drop, fallback });

/** `s` with sentence-ending punctuation, unless it already ends with some (or with a link). */
function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) || /\S+:\/\/\S+$/.test(t) ? t : `${t}.`;
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

/** Derived wording shared by all steps. */
interface Ctx {
  f: DraftFacts;
  step: DraftStepId;
  /** "Blue Mug", "Blue Mug (2 of the 3 you ordered)", "Blue Mug (both you ordered)". */
  item: string;
  it: string;
  eta: string | null;
  next: string;
  vip: boolean;
  firstTime: boolean;
  expedited: boolean;
  ftcNotice: boolean;
}

/** How many units of the line wait, as a parenthesis after the item name; '' for a single unit. */
function quantityNote(channel: Channel, qb: number | undefined, qo: number | undefined): string {
  const sms = channel === 'sms';
  if (qb !== undefined && qo !== undefined && qb < qo) return sms ? ` (${qb} of ${qo})` : ` (${qb} of the ${qo} you ordered)`;
  const n = qb ?? 1;
  if (n <= 1) return '';
  if (qo === undefined) return ` (${n} units)`;
  if (n === 2) return sms ? ' (both)' : ' (both you ordered)';
  return sms ? ` (all ${n})` : ` (all ${n} you ordered)`;
}

function context(step: DraftStepId, channel: Channel, f: DraftFacts): Ctx {
  const qb = f.quantityBackordered;
  const qty = quantityNote(channel, qb, f.quantityOrdered);
  const plural = (qb ?? 1) > 1;
  const delayNotice = DELAY_NOTICE_STEPS.includes(step) || (step === 'day3_update' && f.firstContact === true);
  return {
    f,
    step,
    item: `${f.itemName}${qty}`,
    it: plural ? 'them' : 'it',
    eta: f.etaStart && f.etaEnd ? formatEtaRange(f.etaStart, f.etaEnd) : null,
    next: describeNextUpdate(f.nextUpdate).replace(/[.!]+$/, ''),
    vip: f.segments.includes('vip'),
    firstTime: f.segments.includes('first_time'),
    expedited:
      offerPermission(f.allowedOffers ?? [], false).kinds.has('expedited_shipping') &&
      !(f.shippingMethod !== undefined && isExpeditedMethod(f.shippingMethod)),
    ftcNotice: f.ftc === true && delayNotice,
  };
}

// ---- email ----------------------------------------------------------------------------------------

function emailSubject(c: Ctx): string {
  const { orderName: on } = c.f;
  const name = c.f.itemName;
  switch (c.step) {
    case 'initial_notice':
      return `Order ${on}: your ${name} is on backorder`;
    case 'day14_update':
      return c.f.cancelOffer || c.ftcNotice ? `Order ${on}: an update on your ${name}, and your options` : `Order ${on}: an update on your ${name}`;
    case 'eta_change_update':
      return `Order ${on}: a new estimate for your ${name}`;
    case 'restock_notice':
      return `Order ${on}: your ${name} is back in stock`;
    case 'shipped_confirmation':
      return `Order ${on}: your ${name} has shipped`;
    case 'ftc_consent_request':
      return `Order ${on}: another delay for your ${name}. Will you wait?`;
    default:
      return `Order ${on}: an update on your ${name}`;
  }
}

/** "It's been 9 days since you ordered" from the real order age, or the step's nominal wait. */
function waited(c: Ctx, nominal: string): string {
  const d = c.f.orderAgeDays;
  return d !== undefined && d > 1 ? `It's been ${d} days since you ordered` : `It's been ${nominal} since you ordered`;
}

function emailOpening(c: Ctx): string[] {
  const on = c.f.orderName;
  const intro = (tail: string): string[] =>
    c.firstTime
      ? [`Thanks for your first order with us, ${on}!`, `Your ${c.item} is out of stock right now${tail}.`]
      : [`Thanks for your order ${on}.`, `Your ${c.item} is out of stock right now${tail}.`];
  // An order found late (first import of an old order) must not pretend the news is fresh.
  const late = (c.f.orderAgeDays ?? 0) > 2;
  if (c.step === 'initial_notice') return intro(late ? ', and we should have told you sooner' : ", so we're letting you know right away");
  if (c.f.firstContact && c.step !== 'restock_notice' && c.step !== 'shipped_confirmation') {
    return intro(', and we want to keep you in the loop');
  }
  switch (c.step) {
    case 'day3_update':
      return [`Here's a quick update on your ${c.item} from order ${on}.`];
    case 'day7_update':
      return [`${waited(c, 'a week')}, so here's where your ${c.item} from order ${on} stands.`];
    case 'day14_update':
      return [`${waited(c, 'two weeks')}, and your ${c.item} from order ${on} is still out of stock.`];
    case 'eta_change_update':
      return [`Our estimate for your ${c.item} from order ${on} has changed.`];
    case 'restock_notice':
      return [`Good news: your ${c.item} from order ${on} is back in stock!`];
    default:
      return [`Your ${c.item} from order ${on} has shipped!`];
  }
}

/**
 * The ETA sentences of a delay step: reason, range or "no confirmed date", what happens next. By SMS
 * the reason is the one optional part: the range (or its absence) is what the customer must get.
 */
function etaSentences(c: Ctx, sms: boolean): Part[] {
  const it = c.it;
  const smsRange = c.eta ? `Expected to ship ${c.eta}.` : 'No confirmed date yet.';
  const range = (lead: string): string =>
    c.eta ? `${lead} ${it} to ship ${c.eta}.` : "There's no confirmed shipping date yet.";
  const reason = c.f.etaReason?.trim().replace(/[.!]+$/, '');
  // FTC notice without a revised date: the reason for the delay goes with "no confirmed date". By
  // SMS the two share a sentence that shrinks back to "No confirmed date yet." when it cannot fit.
  const ftcReason = c.ftcNotice && !c.eta && reason ? reason : null;
  const smsNoDate = ftcReason ? shrinkable(1, `No confirmed date yet: ${ftcReason}.`, smsRange) : keep(smsRange);
  const emailReason = ftcReason ? [keep(`The reason for the delay: ${ftcReason}.`)] : [];
  switch (c.step) {
    case 'initial_notice':
      return sms
        ? [smsNoDate]
        : [keep(range('We expect')), ...emailReason, keep(`As soon as new stock arrives, we'll ship ${it} and send you tracking.`)];
    case 'day3_update':
      if (c.f.supplierConfirmed && c.eta) {
        return sms
          ? [keep(`Our supplier confirmed: ${smsRange.charAt(0).toLowerCase()}${smsRange.slice(1)}`)]
          : [keep("Good news: our supplier has confirmed, so here's a firmer estimate."), keep(range('We now expect'))];
      }
      return sms
        ? [keep("We're checking with our supplier."), c.eta ? keep(`For now, expected to ship ${c.eta}.`) : smsNoDate]
        : [keep("We're checking with our supplier to firm up the date."), keep(range('For now, we expect')), ...emailReason];
    case 'day7_update':
    case 'day14_update':
    case 'eta_change_update':
      if (reason) {
        // By email the reason leads ("the estimate has changed: …"), so it is the FTC reason as well.
        return sms
          ? ftcReason
            ? [smsNoDate]
            : [optional(1, `Estimate changed: ${reason}.`), keep(smsRange)]
          : [keep(`The estimate has changed: ${reason}.`), keep(range('We now expect'))];
      }
      return sms ? [keep(smsRange)] : [keep(range(c.step === 'eta_change_update' ? 'We now expect' : 'We expect'))];
    default:
      return [];
  }
}

function cancelSentence(c: Ctx, sms: boolean): string | null {
  if (c.ftcNotice) {
    // 16 CFR 435.2(b)(1): the right to cancel for a full refund, until the order ships, and a free way.
    const ships = c.it === 'it' ? 'it ships' : 'they ship';
    return sms
      ? `Until ${ships}, reply CANCEL (free) for a full refund.`
      : `You have the right to cancel for a full refund at any time before ${ships}: just reply to this email. It costs you nothing.`;
  }
  if (c.step === 'day14_update' && c.f.cancelOffer) {
    return sms
      ? 'Prefer not to wait? Reply CANCEL for a full refund.'
      : "If you'd rather not wait any longer, we can cancel it for a full refund: just reply to this email.";
  }
  return null;
}

function statusParts(c: Ctx, sms: boolean, sofar: string): Part[] {
  return findPhrase(sofar, c.f.status).length > 0
    ? []
    : [keep(sms ? `Status: ${c.f.status}.` : `Current status: ${sentence(c.f.status)}`)];
}

function vipParts(c: Ctx, sms: boolean): Part[] {
  if (!c.vip) return [];
  const n = c.f.previousOrders;
  const parts: Part[] = [];
  if (sms) parts.push(optional(4, 'Thanks for being a loyal customer!'));
  else if (n !== undefined && n > 0) parts.push(optional(4, `You've ordered from us ${times(n)} before; thank you for your loyalty.`));
  else parts.push(optional(4, 'Thank you for being such a loyal customer.'));
  if (c.expedited && c.step !== 'shipped_confirmation') {
    parts.push(
      optional(
        3,
        sms
          ? 'Reply YES for expedited shipping.'
          : 'As a thank-you, we can upgrade you to expedited shipping: just reply yes.',
      ),
    );
  }
  return parts;
}

function faqPart(c: Ctx, sms: boolean): Part[] {
  if (!c.firstTime || !c.f.faqUrl) return [];
  return [optional(3, sms ? `FAQ: ${c.f.faqUrl}` : `New here? Our FAQ answers common questions: ${c.f.faqUrl}`)];
}

function trackingPart(c: Ctx, sms: boolean): Part[] {
  const t = c.f.tracking;
  if (c.step !== 'shipped_confirmation' || !t) return [];
  const carrier = t.company ? `${t.company} ` : '';
  const parts = [keep(sms ? `Tracking: ${carrier}${t.number}` : `Your ${carrier}tracking number is ${t.number}.`)];
  if (t.url) parts.push(keep(sms ? t.url : `Follow it here: ${t.url}`));
  return parts;
}

function alternativePart(c: Ctx, sms: boolean): Part[] {
  const alt = c.f.alternative;
  if (c.step !== 'day7_update' || !alt) return [];
  // Links go last in their sentence: a full stop right after one ends up inside it in some clients.
  const link = alt.url ? (sms ? ` ${alt.url}` : ` Take a look: ${alt.url}`) : '';
  return [
    optional(
      2,
      sms
        ? `In stock now: ${alt.title}${link}`
        : `Prefer something sooner? ${alt.title} is in stock now, and we can switch your order if you reply.${link}`,
    ),
  ];
}

// A time ("by Friday, December 4", "within 7 days") reads as "we'll send your next update <time>";
// anything else ("only if something changes", "when it ships") stands better on its own.
const TIME_LIKE = /^(?:by|on|within|in|before|after|around|this|next|tomorrow|today|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b/i;

function nextUpdateSentence(next: string): string {
  return TIME_LIKE.test(next) ? `We'll send your next update ${next}, or sooner if anything changes.` : `Next update: ${next}.`;
}

/** The deadline as the customer reads it ("Sunday, December 20"); null when the facts have none. */
function deadline(c: Ctx): string | null {
  return c.f.consentDeadline ? formatLongDay(c.f.consentDeadline) : null;
}

/** The renewed option of 16 CFR 435.2(b)(2), by email (see the module doc). */
function consentEmailLayout(c: Ctx): Layout {
  const on = c.f.orderName;
  const reason = c.f.etaReason?.trim().replace(/[.!]+$/, '');
  const by = deadline(c);
  const ships = c.it === 'it' ? 'it ships' : 'they ship';
  const signOff = c.f.storeName ? `Thanks for your patience,\nThe ${c.f.storeName} team` : 'Thanks for your patience!';
  const opening = `Your ${c.item} from order ${on} is delayed again${reason ? `: ${reason}` : ''}.`;
  const eta = c.eta
    ? [keep(`We now expect ${c.it} to ship ${c.eta}.`)]
    : [keep("There's no confirmed shipping date yet.")];
  return [
    [keep(c.f.customerFirstName ? `Hi ${c.f.customerFirstName},` : 'Hi there,')],
    [keep(opening), ...statusParts(c, false, opening)],
    eta,
    [
      keep('Because this is a second delay, we need your answer:'),
      keep(`to keep your order, reply "I'll wait" (you can still cancel any time before ${ships});`),
      keep('to cancel now for a full refund, reply "cancel".'),
      keep('Replying to this email is free.'),
    ],
    [
      keep(
        by
          ? `If we haven't heard that you'll wait by ${by}, we'll cancel your order and refund you in full.`
          : "If we haven't heard that you'll wait, we'll cancel your order and refund you in full.",
      ),
    ],
    [keep(nextUpdateSentence(c.next)), ...(c.f.statusUrl ? [optional(2, `Check your order any time: ${c.f.statusUrl}`)] : [])],
    [optional(5, signOff)],
  ];
}

/**
 * The renewed option by SMS: the same choice in as few words (the deadline as "Dec 20"). "Cancel
 * any time until it ships" is required without a date (the indefinite delay of 435.2(b)(2)); with
 * one it is the first thing to go when the words run out.
 */
function consentSmsLayout(c: Ctx): Layout {
  const on = c.f.orderName;
  const core = `${c.item}, order ${on}, still ${c.f.status}, delayed again.`;
  const opening = c.f.storeName ? shrinkable(3, `${c.f.storeName}: your ${core}`, `Your ${core}`) : keep(`Your ${core}`);
  const by = c.f.consentDeadline ? formatDay(c.f.consentDeadline) : null;
  const reason = c.f.etaReason?.trim().replace(/[.!]+$/, '');
  const eta = c.eta ? keep(`Expected to ship ${c.eta}.`) : reason ? shrinkable(1, `No confirmed date yet: ${reason}.`, 'No confirmed date yet.') : keep('No confirmed date yet.');
  const anyTime = `Cancel any time until ${c.it === 'it' ? 'it ships' : 'they ship'}.`;
  return [
    [
      opening,
      ...statusParts(c, true, opening.text),
      eta,
      keep('Reply WAIT to keep it, CANCEL for a full refund (free).'),
      c.eta ? optional(4, anyTime) : keep(anyTime),
      keep(by ? `No WAIT by ${by}: cancelled, full refund.` : 'No WAIT: cancelled, full refund.'),
      keep(`Next update: ${c.next}.`),
    ],
  ];
}

function emailLayout(c: Ctx): Layout {
  if (c.step === 'ftc_consent_request') return consentEmailLayout(c);
  const opening = emailOpening(c).map(keep);
  const afterOpening: Part[] = [];
  if (c.step === 'restock_notice') {
    const [subj, on] = c.it === 'it' ? ['It', "it's"] : ['They', "they're"];
    afterOpening.push(keep(`${subj} will ship soon, and we'll send you tracking as soon as ${on} on the way.`));
  }
  const eta = etaSentences(c, false);
  const cancel = cancelSentence(c, false);
  const next = [keep(nextUpdateSentence(c.next))];
  const link = c.f.statusUrl ? [optional(2, `Check your order any time: ${c.f.statusUrl}`)] : [];
  const sofar = [...opening, ...afterOpening, ...eta].map((p) => p.text).join(' ');
  const signOff = c.f.storeName ? `Thanks for your patience,\nThe ${c.f.storeName} team` : 'Thanks for your patience!';
  return [
    [keep(c.f.customerFirstName ? `Hi ${c.f.customerFirstName},` : 'Hi there,')],
    [...opening, ...statusParts(c, false, sofar), ...afterOpening],
    [...trackingPart(c, false)],
    eta,
    [...alternativePart(c, false)],
    cancel ? [keep(cancel)] : [],
    [...vipParts(c, false)],
    [...next, ...link],
    [...faqPart(c, false)],
    [optional(5, signOff)],
  ];
}

// ---- SMS ------------------------------------------------------------------------------------------

function smsOpening(c: Ctx): string {
  const text = smsOpeningText(c);
  return c.f.storeName ? `${c.f.storeName}: ${text}` : text.charAt(0).toUpperCase() + text.slice(1);
}

function smsOpeningText(c: Ctx): string {
  const on = c.f.orderName;
  if (c.step === 'initial_notice' || (c.f.firstContact && c.step !== 'restock_notice' && c.step !== 'shipped_confirmation')) {
    return `your ${c.item} from order ${on} is out of stock right now.`;
  }
  switch (c.step) {
    case 'eta_change_update':
      return `new estimate for your ${c.item}, order ${on}.`;
    case 'restock_notice':
      return `good news! Your ${c.item} from order ${on} is back in stock and will ship soon.`;
    case 'shipped_confirmation':
      return `your ${c.item} from order ${on} has shipped!`;
    default:
      return `update on your ${c.item}, order ${on}.`;
  }
}

function smsLayout(c: Ctx): Layout {
  if (c.step === 'ftc_consent_request') return consentSmsLayout(c);
  const opening = smsOpening(c);
  const eta = etaSentences(c, true);
  const cancel = cancelSentence(c, true);
  return [
    [
      keep(opening),
      ...statusParts(c, true, [opening, ...eta.map((p) => p.text)].join(' ')),
      ...trackingPart(c, true),
      ...eta,
      ...alternativePart(c, true),
      ...(cancel ? [keep(cancel)] : []),
      keep(`Next update: ${c.next}.`),
      ...(c.f.statusUrl ? [optional(2, `Order status: ${c.f.statusUrl}`)] : []),
      ...vipParts(c, true),
      ...faqPart(c, true),
    ],
  ];
}

// ---- fitting --------------------------------------------------------------------------------------

function render(layout: Layout, channel: Channel): string {
  const paragraphs = layout.map((p) => p.map((part) => part.text).join(' ')).filter((p) => p.trim() !== '');
  return paragraphs.join(channel === 'email' ? '\n\n' : ' ');
}

/** `layout` with the `removed` parts left out, or shrunk to their fallback. */
function without(layout: Layout, removed: ReadonlySet<Part>): Layout {
  return layout.map((p) =>
    p.flatMap((part) => (!removed.has(part) ? [part] : part.fallback !== undefined ? [keep(part.fallback)] : [])),
  );
}

/**
 * Drops optional parts, highest `drop` first and later before earlier, until the body fits; then
 * puts back, most important first, any dropped part that still fits (a short link may fit where a
 * long sentence did not).
 */
function fit(layout: Layout, channel: Channel): string {
  const limit = WORD_LIMITS[channel];
  const slots = layout.flatMap((p, pi) => p.map((part, i) => ({ part, pi, i })));
  const dropOrder = slots
    .filter((x) => x.part.drop > 0)
    .sort((a, b) => b.part.drop - a.part.drop || b.pi - a.pi || b.i - a.i);
  const removed = new Set<Part>();
  const body = (): string => render(without(layout, removed), channel);
  for (const victim of dropOrder) {
    if (countWords(body()) <= limit) break;
    removed.add(victim.part);
  }
  for (const back of [...dropOrder].reverse()) {
    if (!removed.has(back.part)) continue;
    removed.delete(back.part);
    if (countWords(body()) > limit) removed.add(back.part);
  }
  return body(); // over the limit only if the required facts alone are; the validator reports it
}

/**
 * Composes the message for `stepId` on `channel` from `facts`.
 *
 * Returns `{subject, body}`; SMS has subject ''. The body is plain text (email paragraphs separated
 * by a blank line) within the channel's word limit (`WORD_LIMITS`) unless the required facts alone
 * exceed it, which the validator then reports. Deterministic: equal inputs give equal output.
 */
export function composeDraft(stepId: DraftStepId, channel: Channel, facts: DraftFacts): ComposedDraft {
  const c = context(stepId, channel, facts);
  if (channel === 'sms') return { subject: '', body: fit(smsLayout(c), 'sms') };
  return { subject: emailSubject(c), body: fit(emailLayout(c), 'email') };
}
