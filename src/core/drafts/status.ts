/**
 * Recognising that a draft states the current status (DESIGN.md content rules: "always ... current
 * status"). The facts carry the status as customer-facing text; a draft written by the language model
 * may say it in other words ("on backorder" for "backordered"), so each status family lists the ways
 * of saying it. A status outside every family must appear as written.
 */
import { findPhrase, foldTypography } from './text';

interface StatusFamily {
  /** For people reading this table. */
  name: string;
  /** Matches a facts.status that belongs to the family. */
  is: RegExp;
  /** Matches a draft sentence that states a status of the family. */
  said: RegExp;
}

// Order matters: the first family whose `is` matches the fact wins ("not yet shipped" is not shipped).
const FAMILIES: StatusFamily[] = [
  {
    name: 'backordered',
    is: /back[- ]?order|out of stock|sold out|awaiting (?:new )?stock|waiting (?:on|for) (?:new |more )?stock|not (?:yet )?(?:in stock|shipped)|delayed/i,
    said: /\bback[- ]?order(?:ed)?\b|\bout of stock\b|\bsold out\b|\bawaiting (?:new |more )?stock\b|\bwaiting (?:on|for) (?:new |more )?stock\b|\bnot (?:yet )?in stock\b/i,
  },
  {
    name: 'restocked',
    is: /back in stock|restocked|in stock|packing|being packed|ready to ship/i,
    said: /\bback in stock\b|\brestocked\b|\b(?:is|are|now) in stock\b|\bbeing packed\b|\bpacking (?:it|them|your order|now)\b|\bready to ship\b/i,
  },
  {
    name: 'shipped',
    is: /shipped|dispatched|on (?:its|the) way|in transit/i,
    said: /\b(?:has|have|was|were) (?:been )?(?:shipped|dispatched)\b|\bon (?:its|their|the) way\b|\bin transit\b|\bshipped\b/i,
  },
  { name: 'delivered', is: /delivered/i, said: /\bdelivered\b/i },
  { name: 'cancelled', is: /cancel+ed/i, said: /\bcancel+ed\b/i },
];

/**
 * True when `text` states `status`: the status text itself (case, whitespace and dash style aside),
 * or a recognised way of saying a status of the same family.
 */
export function statusStated(text: string, status: string): boolean {
  if (findPhrase(text, status).length > 0) return true;
  const family = FAMILIES.find((f) => f.is.test(foldTypography(status)));
  return family !== undefined && family.said.test(foldTypography(text));
}
