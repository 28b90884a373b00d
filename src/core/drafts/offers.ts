/**
 * Offers a message might make: money back, money off, discount codes, free or faster shipping,
 * credit, gifts. An offer in a customer message is a commitment the merchant has to honour, so a
 * draft may only mention the kinds the facts allow (`allowedOffers`), a stated amount ("20% off")
 * must be the amount the merchant allowed, and a stated discount code ("SORRY10") must be a code the
 * merchant gave.
 *
 * Offer words are matched on text folded to Latin letters (confusables.ts), so "c\u043Eupon" with a
 * Cyrillic "о" is still a coupon.
 */
import { foldConfusables } from './confusables';

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
  {
    kind: 'coupon',
    // "coupon code" before "coupon", so "coupon code SORRY10" is one mention; a bare "code X" needs a
    // code-like X (a letter first, a digit inside) and is not a tracking, zip or other code.
    re: /\b(?:promo(?:tional)?|discount|coupon|voucher|offer|savings?|reward|referral|gift)\s+codes?\b|\bcoupons?\b|\bpromo(?:tional)?\s+codes?\b|\bvouchers?\b|\b(?:use|enter|apply|redeem|type|using)\s+(?:the\s+|this\s+|our\s+|my\s+|a\s+)?codes?\b|\b(?:use|enter|apply|applied|redeem|type)\b[^.!?\n]{0,30}?\bat\s+checkout\b|(?<!\b(?:tracking|zip|postal|post|area|country|verification|security|confirmation|reference|order|product|item|sku|access|login)\s+)\bcodes?\s*:?\s+(?=[a-z0-9-]*\d)[a-z][a-z0-9-]{3,}\b/gi,
  },
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
  /** For a coupon: the code it states ("SORRY10"), upper-cased, if any. */
  code?: string;
}

// A discount code: right after "code" / "code:" any token of capitals and digits ("THANKS",
// "SORRY10"); elsewhere in or just after a coupon mention, only a capital followed by capitals and
// at least one digit ("SORRY10"; a tracking number starts with a digit).
const CODE_AFTER_WORD = /\bcodes?\s*(?:is\s*)?:?\s*["'\u201C\u2018]?([A-Z0-9][A-Z0-9_-]{2,})(?![\p{L}\p{N}])/u;
const CODE_ANYWHERE = /(?<![\p{L}\p{N}])(?=[A-Z0-9_-]*\d)[A-Z][A-Z0-9_-]{3,}(?![\p{L}\p{N}])/u;

function couponCode(folded: string, index: number, end: number): string | undefined {
  const around = folded.slice(index, end + 24);
  const m = CODE_AFTER_WORD.exec(around) ?? CODE_ANYWHERE.exec(around);
  return m ? (m[1] ?? m[0]).toUpperCase() : undefined;
}

function normAmount(a: string): string {
  return a.toLowerCase().replace(/\s+/g, '').replace(',', '.').replace(/percent$/, '%');
}

/** Every offer mention in `text`, in order of appearance; `index` and `text` refer to `text`. */
export function findOffers(text: string): OfferMention[] {
  const f = foldConfusables(text);
  const folded = f.text;
  const out: OfferMention[] = [];
  for (const { kind, re } of PATTERNS) {
    for (const m of folded.matchAll(re)) {
      const around = folded.slice(Math.max(0, m.index - 16), m.index + m[0].length);
      const amounts = [...around.matchAll(new RegExp(AMOUNT, 'gi'))].map((a) => normAmount(a[0]));
      const amount = amounts[amounts.length - 1];
      const code = kind === 'coupon' ? couponCode(folded, m.index, m.index + m[0].length) : undefined;
      const span = f.origin(m.index, m.index + m[0].length);
      out.push({ kind, text: text.slice(span.index, span.end), index: span.index, ...(amount ? { amount } : {}), ...(code ? { code } : {}) });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** What the facts permit: offer kinds, for each kind the amounts, and the discount codes the merchant stated. */
export interface OfferPermission {
  kinds: Set<OfferKind>;
  amounts: Map<OfferKind, Set<string>>;
  /** Discount codes the allowed offers state, upper-cased; a coupon naming another code is refused. */
  codes: Set<string>;
}

/**
 * Permission from the facts. Each `allowedOffers` entry allows the kinds it names (with its amounts);
 * `cancelOffer` and `ftc` allow a full refund, because both make the message offer cancellation for
 * one (FTC Mail Order Rule, 16 CFR 435.1(c) and 435.2(b); DESIGN.md day-14 step).
 */
export function offerPermission(allowedOffers: readonly string[], refundAllowed: boolean): OfferPermission {
  const kinds = new Set<OfferKind>();
  const amounts = new Map<OfferKind, Set<string>>();
  const codes = new Set<string>();
  for (const offer of allowedOffers) {
    for (const m of findOffers(offer)) {
      kinds.add(m.kind);
      if (m.amount) amounts.set(m.kind, (amounts.get(m.kind) ?? new Set()).add(m.amount));
      if (m.code) codes.add(m.code);
    }
  }
  if (refundAllowed) kinds.add('refund');
  return { kinds, amounts, codes };
}

/** Why `mention` is not permitted, or null when it is. */
export function offerProblem(mention: OfferMention, permission: OfferPermission): string | null {
  if (!permission.kinds.has(mention.kind)) return `"${mention.text}" (${mention.kind.replace('_', ' ')}) is not an allowed offer`;
  if (mention.amount && !permission.amounts.get(mention.kind)?.has(mention.amount)) {
    return `"${mention.amount}" is not an allowed amount for ${mention.kind.replace('_', ' ')}`;
  }
  if (mention.code && !permission.codes.has(mention.code)) return `discount code "${mention.code}" is not a code the facts allow`;
  return null;
}

// Carrier and store names of services that are already faster than standard shipping.
const EXPEDITED_METHOD =
  /\b(?:expedit\w*|express|priority|overnight|next[- ]?day|same[- ]?day|(?:1|one|2|two|2nd|second)[- ]?day|rush)\b/i;

/**
 * True when a shipping method (as the store names it: "UPS Next Day Air", "USPS Priority Mail",
 * "DHL Express") is already expedited, so an upgrade to expedited shipping is no offer at all.
 */
export function isExpeditedMethod(method: string): boolean {
  return EXPEDITED_METHOD.test(foldConfusables(method).text);
}
