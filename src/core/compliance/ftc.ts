/**
 * The FTC Mail Order Rule's second-delay consent flow, as pure decisions over date-only ISO days
 * ("2026-12-03", the store's calendar days; see src/core/eta/calendar.ts). No clock, no I/O: the
 * caller passes "today" in the store's time zone.
 *
 * Source: FTC Mail, Internet, or Telephone Order Merchandise Rule, 16 CFR Part 435.
 * - 435.2(b)(1): the first delay option notice gives a definite revised shipping date (or says there
 *   is none), the right to cancel for a prompt refund, and a free way to do it. The composer already
 *   writes it into every delay notice of a US store (src/core/drafts/composer.ts). Silence after that
 *   first notice counts as consent to the revised date.
 * - 435.2(b)(2): when the seller then cannot ship by that revised date — the supplier's date moves
 *   later again, the date becomes unknown, or the date simply passes — the seller must offer a
 *   *renewed* option, without being asked: a new definite revised date (or that there is none), the
 *   choice to consent to the further delay or to cancel for a prompt refund, and that the order will
 *   be cancelled unless the buyer expressly agrees to wait. Silence is not consent here.
 * - 435.2(c): no express consent to the further delay → the order is deemed cancelled and refunded.
 *   The app never cancels by itself: it opens a cancel-and-refund task for a person.
 *
 * The deadline for an answer is the last day of the new revised range given in the consent request
 * (issue #7's reading: "no answer by the revised date"). The Rule's own outer limit is the old revised
 * date or 30 days after the original shipping date, whichever is later; a shop that wants the strict
 * reading can act on the consent request's task earlier. When the request gives no new date, the
 * deadline is the old revised date, but never sooner than {@link MIN_ANSWER_DAYS} days after the
 * request, so the customer has time to read and answer.
 */
import { addDays, dayNumber } from '../eta/calendar';

/** Days a customer has at least to answer a consent request that gives no new date. */
export const MIN_ANSWER_DAYS = 7;

/** What the customer was told in the first delay notice that gave a revised range. */
export interface FirstDelayNotice {
  /** Last day of the revised range the notice gave (store time zone). */
  revisedEnd: string;
}

/** The backorder's ETA now, as stored after this tick's ETA step. Null end = no date known. */
export interface CurrentEta {
  start: string | null;
  end: string | null;
}

/** Why a backorder counts as delayed a second time; null when it does not. */
export type SecondDelayReason = 'eta_later' | 'eta_unknown' | 'date_passed';

/**
 * Whether the backorder is delayed a second time after `first` (16 CFR 435.2(b)(2)): the current ETA
 * ends after the revised date the customer was given, no date is known any more, or that date passed
 * (`today` is after it) without the item shipping. Only for an open backorder; the caller checks.
 */
export function secondDelayReason(first: FirstDelayNotice, eta: CurrentEta | null, today: string): SecondDelayReason | null {
  if (dayNumber(today) > dayNumber(first.revisedEnd)) return 'date_passed';
  if (eta === null) return null; // no ETA was ever computed: nothing moved
  if (eta.end === null) return 'eta_unknown';
  return dayNumber(eta.end) > dayNumber(first.revisedEnd) ? 'eta_later' : null;
}

/** The new revised range a consent request may state: the current ETA if it still lies ahead. */
export function renewedRange(eta: CurrentEta | null, today: string): { start: string; end: string } | null {
  if (!eta?.start || !eta.end) return null;
  // A range already over (a stale quote) is no revised date at all: say there is none.
  if (dayNumber(eta.end) < dayNumber(today)) return null;
  return { start: eta.start, end: eta.end };
}

/**
 * The last day (store time zone) by which the customer's express consent must arrive (see module
 * doc): the end of the new range, else the old revised date but at least MIN_ANSWER_DAYS from today.
 */
export function consentDeadline(range: { start: string; end: string } | null, first: FirstDelayNotice, today: string): string {
  if (range) return range.end;
  const floor = addDays(today, MIN_ANSWER_DAYS);
  return dayNumber(first.revisedEnd) > dayNumber(floor) ? first.revisedEnd : floor;
}

/** True once the deadline day is over in the store's time zone: `today` is after it. */
export function consentOverdue(deadline: string, today: string): boolean {
  return dayNumber(today) > dayNumber(deadline);
}

/** Where a consent round stands (stored answers read by src/main/app/ftc-consent.ts). */
export type ConsentState = 'awaiting' | 'consented' | 'cancel_requested' | 'overdue';
