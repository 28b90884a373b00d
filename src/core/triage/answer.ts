/**
 * Drafted answers to neutral and positive replies, for the review queue (nothing is sent until a
 * person approves it). Written from the same DraftFacts the validator checks, so an answer states
 * the order number, the item, the current status and when the next update comes, gives ranges and
 * never a promised date (DESIGN.md "Content"):
 * - an ETA question → the current predicted range, or that there is no confirmed date yet;
 * - an accepted alternative or an address change → "we've received it, we'll confirm once it's
 *   updated" (the change itself is a task; nothing is said to be done before a person did it);
 * - thanks or an acknowledgement → a short thank-you with the next update.
 */
import { describeNextUpdate, formatEtaRange } from '../drafts/dates';
import type { DraftFacts } from '../drafts/facts';
import type { Intent, Triage } from './types';

export interface ReplyAnswer {
  subject: string;
  body: string;
  /** Which answer was chosen, e.g. 'eta' — shown in the review queue. */
  kind: 'eta' | 'alternative' | 'address' | 'thanks';
}

/**
 * The answer to a reply that does not need a person, or null when it does (those become tasks).
 * @param subject the customer's subject line; the answer keeps the thread ("Re: …").
 */
export function draftReplyAnswer(
  triage: Pick<Triage, 'needsPerson'> & { intents: readonly Pick<Intent, 'kind'>[] },
  facts: DraftFacts,
  subject: string,
): ReplyAnswer | null {
  if (triage.needsPerson) return null;
  const kinds = new Set(triage.intents.map((i) => i.kind));
  const hi = facts.customerFirstName ? `Hi ${facts.customerFirstName},` : 'Hi,';
  const item = facts.itemName;
  const next = describeNextUpdate(facts.nextUpdate).replace(/[.!]+$/, '');
  const eta = facts.etaStart && facts.etaEnd
    ? `Our current estimate is ${formatEtaRange(facts.etaStart, facts.etaEnd)}; it's a range because supplier dates move.`
    : "We don't have a confirmed date from our supplier yet.";
  const status = `Your ${item} on order ${facts.orderName} is still ${facts.status}.`;
  const sign = facts.storeName ? `\n\n${facts.storeName}` : '';
  const re = /^re:/i.test(subject.trim()) ? subject.trim() : `Re: ${subject.trim() || `Order ${facts.orderName}`}`;

  let kind: ReplyAnswer['kind'];
  let middle: string;
  if (kinds.has('accept_alternative')) {
    kind = 'alternative';
    middle = `Thanks for letting us know which option you'd like. We've received your choice and will confirm by email once the order is changed. ${status}`;
  } else if (kinds.has('address_change')) {
    kind = 'address';
    middle = `Thanks for the new address. We've received it and will confirm by email once the order is updated. ${status}`;
  } else if (kinds.has('eta_question')) {
    kind = 'eta';
    middle = `Thanks for asking. ${status} ${eta}`;
  } else {
    kind = 'thanks';
    middle = `Thanks for your reply and for your patience. ${status}`;
  }
  return { kind, subject: re, body: `${hi}\n\n${middle} We'll send the next update ${next}.${sign}` };
}

/**
 * A prepared draft for the person who handles a task, or null where none fits (a callback is a
 * call). Never queued or sent by itself: the person edits it and sends it once the decision is made.
 * It is written before anyone acted, so it never says a cancellation or change is done: only that
 * the request was received and will be confirmed.
 */
export function prepareTaskDraft(task: string, facts: DraftFacts, subject: string): { subject: string; body: string } | null {
  const hi = facts.customerFirstName ? `Hi ${facts.customerFirstName},` : 'Hi,';
  const re = /^re:/i.test(subject.trim()) ? subject.trim() : `Re: ${subject.trim() || `Order ${facts.orderName}`}`;
  const sign = facts.storeName ? `\n\n${facts.storeName}` : '';
  const next = describeNextUpdate(facts.nextUpdate).replace(/[.!]+$/, '');
  const eta = facts.etaStart && facts.etaEnd
    ? `Our current estimate is ${formatEtaRange(facts.etaStart, facts.etaEnd)}.`
    : "We don't have a confirmed date from our supplier yet.";
  switch (task) {
    case 'cancel_requested':
    case 'ftc_no_consent':
    case 'high_value_cancellation':
      return {
        subject: re,
        body: `${hi}\n\nWe've received your request to cancel your ${facts.itemName} on order ${facts.orderName}. We'll cancel it with a full refund to your original payment method and confirm by email once that's done; you don't need to do anything else.${sign}`,
      };
    case 'negative_reply':
      return {
        subject: re,
        body: `${hi}\n\nThank you for telling us plainly, and you're right to expect better. Your ${facts.itemName} on order ${facts.orderName} is still ${facts.status}. ${eta} If you'd rather not wait, reply "cancel" and we'll cancel it for a full refund. We'll send the next update ${next}.${sign}`,
      };
    case 'swap_item':
    case 'address_change': {
      // Received, not "done": the change is the person's task and may not happen (wrong sender, no stock).
      const kind = task === 'swap_item' ? 'the item you chose' : 'your new address';
      return {
        subject: re,
        body: `${hi}\n\nWe've received ${kind} for order ${facts.orderName}; we'll confirm once it's updated. Your ${facts.itemName} is still ${facts.status}; we'll send the next update ${next}.${sign}`,
      };
    }
    default:
      return null;
  }
}
