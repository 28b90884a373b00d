/**
 * Human labels for the internal names the core hands over (task kinds, content-rule ids), so the
 * screen never shows "ftc_no_consent" or "order_number". One map per kind of name; an id missing
 * from a map (a newer core) falls back to `humanize`, never to nothing.
 */
import type { DraftRule } from '../../core/drafts/validator';
import { humanize } from './format';

/** Task kinds (src/core/sequence/flow.ts TaskKind, plus the reply handler's and detection's own). */
const TASK_KIND_LABELS: Record<string, string> = {
  callback_requested: 'Customer asks for a call',
  negative_reply: 'Unhappy reply',
  cancel_requested: 'Customer asks to cancel',
  ftc_no_consent: 'FTC: no consent by the deadline',
  ftc_consent_unclear: 'FTC: consent answer unclear',
  high_value_cancellation: 'High-value order: decide before a cancel offer',
  vip_personal_outreach: 'VIP still waiting at day 14',
  eta_beyond_limit: 'ETA beyond the limit',
  partial_shipment: 'Partial shipment possible',
  swap_item: 'Customer accepts an alternative item',
  address_change: 'Customer asks to change the address',
  no_contact: 'No way to reach the customer',
  sender_not_customer: 'Mail about an order from someone else',
  eta_low_confidence: 'Supplier date unclear: check the quote',
};

/** The label of a task kind, e.g. "vip_personal_outreach" → "VIP still waiting at day 14". */
export function taskKindLabel(kind: string): string {
  return TASK_KIND_LABELS[kind] ?? humanize(kind);
}

/** Content rules (src/core/drafts/validator.ts DRAFT_RULES) as the owner reads them. */
const RULE_LABELS: Record<DraftRule, string> = {
  empty: 'Empty message',
  order_number: 'Order number',
  item_name: 'Item name',
  status: 'Order status',
  next_update: 'Next update',
  promised_date: 'Promised date',
  banned_phrase: 'Banned phrase',
  length: 'Length',
  invisible_unicode: 'Invisible characters',
  replacement_character: 'Broken characters',
  subject_line_break: 'Line break in the subject',
  unsupported_url: 'Link not in the facts',
  unsupported_offer: 'Offer not allowed',
  eta_mismatch: 'Date differs from the ETA',
  unsupported_contact: 'Contact detail not in the facts',
  other_customer_data: 'Another customer’s data',
  language: 'Language',
  quoted_untrusted: 'Copies the customer’s or supplier’s words',
  ftc_consent: 'FTC consent wording',
  store_name: 'Store name not set',
};

/** The label of a content-rule id, e.g. "order_number" → "Order number"; "facts" (unreadable facts) too. */
export function ruleLabel(rule: string): string {
  if (rule === 'facts') return 'Draft facts';
  return (RULE_LABELS as Record<string, string>)[rule] ?? humanize(rule);
}
