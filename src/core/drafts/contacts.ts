/**
 * Contact data and other customers' identifiers in a draft: email addresses, phone numbers, order
 * numbers and the name the message greets. A draft may only carry the ones its facts contain — a
 * model that copied "write to refunds@evil.example" or "order #1044 for Jane" out of an inbound mail
 * must not get that past a person skimming a batch.
 *
 * "Contained in the facts" means: the value (emails case-insensitively, phone numbers by their
 * digits) occurs in a string fact, or — for an email address — its domain is the host of a link the
 * facts allow (the shop's own mailbox on its own domain). Pure.
 */
import type { DraftFacts } from './facts';
import { canonicalUrl, findPhrase } from './text';

/** Every string value of the facts, nested ones included. */
export function factStrings(facts: DraftFacts): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number') out.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(facts);
  return out;
}

const EMAIL_RE = /[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,}/giu;

// 7 to 15 digits (E.164 allows 15) in groups joined by spaces, dots, dashes or brackets, optionally
// with a leading +. ISO dates (2026-12-03) and times are excluded below, not by the pattern.
const PHONE_RE = /(?<![\p{L}\p{N}])\+?\(?\d[\d\s().-]{5,22}\d(?![\p{L}\p{N}])/gu;

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function linkHosts(facts: DraftFacts): Set<string> {
  const urls = [...(facts.allowedUrls ?? []), facts.statusUrl, facts.faqUrl, facts.alternative?.url, facts.tracking?.url];
  const hosts = new Set<string>();
  for (const u of urls) if (u) hosts.add(canonicalUrl(u).split(/[/?#]/)[0] ?? '');
  hosts.delete('');
  return hosts;
}

// Other ways of writing an address: a percent-encoded mailto link ("mailto:a%40b.example"), a
// fullwidth or small commercial at ("a＠b.example"), and the spelt-out "a [at] b [dot] example".
const MAILTO_RE = /\bmailto:([^\s<>"')\]]+)/gi;
const SPELT_RE =
  /([\p{L}\p{N}._%+-]+)\s*[[({<]\s*at\s*[\])}>]\s*((?:[\p{L}\p{N}-]+\s*(?:[[({<]\s*dot\s*[\])}>]|\.)\s*)+[\p{L}]{2,})/giu;

function decodePercent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Every email address `text` states, as written, however it is written (see above). */
function emailAddresses(text: string): { shown: string; address: string }[] {
  const out: { shown: string; address: string }[] = [];
  const add = (shown: string, address: string): void => {
    const a = address.replace(/\.+$/, '');
    if (!out.some((o) => o.address.toLowerCase() === a.toLowerCase())) out.push({ shown: shown.replace(/\.+$/, ''), address: a });
  };
  const ats = text.replace(/[\uFF20\uFE6B]/g, '@');
  for (const m of ats.matchAll(EMAIL_RE)) add(text.slice(m.index, m.index + m[0].length), m[0]);
  for (const m of text.matchAll(MAILTO_RE)) {
    const target = decodePercent((m[1] ?? '').split('?')[0] ?? '');
    for (const e of target.matchAll(EMAIL_RE)) add(m[0].split('?')[0] ?? m[0], e[0]);
  }
  for (const m of text.matchAll(SPELT_RE)) {
    const domain = (m[2] ?? '').replace(/\s*[[({<]\s*dot\s*[\])}>]\s*|\s*\.\s*/gi, '.');
    add(m[0], `${m[1] ?? ''}@${domain}`);
  }
  return out;
}

/**
 * Email addresses in `text` that the facts do not contain, as written. Found also in mailto links
 * (percent-encoded or not), with a fullwidth at sign, or spelt out ("help [at] shop [dot] com").
 * Look-alike letters are not folded: "nоrthwind" with a Cyrillic "о" is another domain.
 */
export function unsupportedEmails(text: string, facts: DraftFacts): string[] {
  const known = factStrings(facts).join('\n').toLowerCase();
  const hosts = linkHosts(facts);
  const out: string[] = [];
  for (const { shown, address } of emailAddresses(text)) {
    const domain = address.split('@')[1]?.toLowerCase() ?? '';
    if (known.includes(address.toLowerCase()) || hosts.has(domain)) continue;
    out.push(shown);
  }
  return out;
}

/** Phone numbers (7–15 digits) in `text` whose digits occur in no fact, as written. */
export function unsupportedPhones(text: string, facts: DraftFacts): string[] {
  const knownDigits = factStrings(facts).map((s) => s.replace(/\D/g, '')).filter((d) => d.length >= 7);
  const out: string[] = [];
  for (const m of text.matchAll(PHONE_RE)) {
    const raw = m[0].trim().replace(/[\s.(-]+$/, '');
    const digits = raw.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15 || ISO_DATE_RE.test(raw)) continue;
    if (knownDigits.some((k) => k.includes(digits))) continue;
    out.push(raw);
  }
  return out;
}

const ORDER_REF_RE = /(?:#|\border\s+(?:no\.?\s*|number\s+)?#?)(\d{3,})(?!\d)/gi;

/**
 * Order numbers in `text` other than the facts' order (and not occurring in any fact), as written.
 * Used only when the draft does state its own order: a wrong number in place of the right one is
 * already the `order_number` finding, reported once.
 */
export function otherOrderNumbers(text: string, facts: DraftFacts): string[] {
  const own = facts.orderName.replace(/\D/g, '');
  const known = factStrings(facts).join('\n');
  const out: string[] = [];
  for (const m of text.matchAll(ORDER_REF_RE)) {
    const digits = m[1] ?? '';
    if (digits === own || known.includes(digits)) continue;
    out.push(m[0].trim());
  }
  return out;
}

const GREETING_RE = /^\s*(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening))\s+([\p{Lu}][\p{L}'-]*(?:\s+[\p{Lu}][\p{L}'-]*)?)\s*[,!:]/gimu;
const GENERIC_GREETED = new Set(['there', 'customer', 'friend', 'team', 'all', 'everyone', 'valued']);

/**
 * A name the draft greets that is not the customer's, or null. Only when the facts know the
 * customer's first name: without it there is nothing to tell another customer's name from.
 */
export function otherGreetedName(text: string, facts: DraftFacts): string | null {
  if (!facts.customerFirstName) return null;
  for (const m of text.matchAll(GREETING_RE)) {
    const name = (m[1] ?? '').trim();
    const first = name.split(/\s+/)[0]?.toLowerCase() ?? '';
    if (GENERIC_GREETED.has(first)) continue;
    if (findPhrase(name, facts.customerFirstName).length > 0) continue;
    if (facts.storeName && findPhrase(facts.storeName, name).length > 0) continue;
    return name;
  }
  return null;
}
