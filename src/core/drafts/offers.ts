/**
 * Offers a message might make: money back, money off, free or faster shipping, credit, gifts.
 * An offer in a customer message is a commitment the merchant has to honour, so a draft may only
 * mention the kinds the facts allow (`allowedOffers`), and a stated amount ("20% off") must be the
 * amount the merchant allowed.
 */
import { foldTypography } from './text';

/** Kinds of offer the validator recognises. */
export type OfferKind =
  | 'refund'
  | 'partial_refund'
  | 'discount'
  | 'coupon'
  | 'free_shipping'
  | 'expedited_shipping'
  | 'credit'
  | 'compensation'
  | 'gift';

const AMOUNT = String.raw`(?:[$€£]\s?\d+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?\s?(?:%|percent|per cent|dollars?|euros?|pounds?))`;

const PATTERNS: { kind: OfferKind; re: RegExp }[] = [
  { kind: 'partial_refund', re: /\bpartial(?:ly)?\s+refund\w*|\brefund\w*\s+(?:part|some|half)\b/gi },
  { kind: 'refund', re: /\b(?<!partial\s)(?<!partially\s)refund\w*|\bmoney\s+back\b|\breimburs\w*/gi },
  {
    kind: 'discount',
    re: new RegExp(String.raw`${AMOUNT}\s+off\b|\bdiscount\w*|\bmark(?:ed)?\s?down\b|\bprice\s+(?:cut|reduction)\b|\b(?:half|\d+%)\s+price\b`, 'gi'),
  },
  { kind: 'coupon', re: /\bcoupons?\b|\bpromo(?:tional)?\s+codes?\b|\bvouchers?\b/gi },
  {
    kind: 'free_shipping',
    re: /\bfree\s+(?:\w+\s+)?(?:shipping|delivery|postage)\b|\b(?:shipping|delivery|postage)\s+(?:is\s+)?(?:on\s+us|free)\b|\bwaiv\w*\s+(?:the\s+|your\s+)?(?:shipping|delivery)/gi,
  },
  {
    kind: 'expedited_shipping',
    re: /\bexpedit\w*|\b(?:express|priority|faster|overnight|next[- ]day|rush)\s+(?:shipping|delivery|postage)\b|\bupgrad\w*\s+(?:\w+\s+){0,3}?(?:shipping|delivery)\b/gi,
  },
  {
    kind: 'credit',
    re: new RegExp(String.raw`\b(?:store|account|shop)\s+credit\b|${AMOUNT}\s+(?:in\s+)?credit\b|\bcredit(?:ed)?\s+(?:you|your\s+account|to\s+your\s+account)\b`, 'gi'),
  },
  { kind: 'compensation', re: /\bcompensat\w*|\bgoodwill\b|\bmake\s+(?:it|this|that)\s+up\s+to\s+you\b/gi },
  { kind: 'gift', re: /\bgift\s+cards?\b|\bfree\s+(?:gift|item|sample|product)s?\b|\bon\s+the\s+house\b/gi },
];

/** An offer found in a text. */
export interface OfferMention {
  kind: OfferKind;
  text: string;
  index: number;
  /** An amount stated in or right before the mention ("20%", "$10"), normalised, if any. */
  amount?: string;
}

function normAmount(a: string): string {
  return a.toLowerCase().replace(/\s+/g, '').replace(',', '.').replace(/percent$/, '%');
}

/** Every offer mention in `text`, in order of appearance. */
export function findOffers(text: string): OfferMention[] {
  const folded = foldTypography(text);
  const out: OfferMention[] = [];
  for (const { kind, re } of PATTERNS) {
    for (const m of folded.matchAll(re)) {
      const around = folded.slice(Math.max(0, m.index - 16), m.index + m[0].length);
      const amounts = [...around.matchAll(new RegExp(AMOUNT, 'gi'))].map((a) => normAmount(a[0]));
      const amount = amounts[amounts.length - 1];
      out.push({ kind, text: text.slice(m.index, m.index + m[0].length), index: m.index, ...(amount ? { amount } : {}) });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** What the facts permit: offer kinds, and for each kind the amounts the merchant stated. */
export interface OfferPermission {
  kinds: Set<OfferKind>;
  amounts: Map<OfferKind, Set<string>>;
}

/**
 * Permission from the facts. Each `allowedOffers` entry allows the kinds it names (with its amounts);
 * `cancelOffer` and `ftc` allow a full refund, because both make the message offer cancellation for
 * one (FTC Mail Order Rule, 16 CFR 435.1(c) and 435.2(b); DESIGN.md day-14 step).
 */
export function offerPermission(allowedOffers: readonly string[], refundAllowed: boolean): OfferPermission {
  const kinds = new Set<OfferKind>();
  const amounts = new Map<OfferKind, Set<string>>();
  for (const offer of allowedOffers) {
    for (const m of findOffers(offer)) {
      kinds.add(m.kind);
      if (m.amount) amounts.set(m.kind, (amounts.get(m.kind) ?? new Set()).add(m.amount));
    }
  }
  if (refundAllowed) kinds.add('refund');
  return { kinds, amounts };
}

/** Why `mention` is not permitted, or null when it is. */
export function offerProblem(mention: OfferMention, permission: OfferPermission): string | null {
  if (!permission.kinds.has(mention.kind)) return `"${mention.text}" (${mention.kind.replace('_', ' ')}) is not an allowed offer`;
  if (mention.amount && !permission.amounts.get(mention.kind)?.has(mention.amount)) {
    return `"${mention.amount}" is not an allowed amount for ${mention.kind.replace('_', ' ')}`;
  }
  return null;
}
