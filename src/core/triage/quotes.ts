/**
 * Quoted history and signatures removed from a customer reply, so triage reads only what the
 * customer wrote now. Our own notices say "cancel for a full refund" and "we're sorry"; left in a
 * quoted chain, they would make every polite "thanks, I'll wait" look like a cancellation.
 *
 * What counts as history (first match cuts the rest of the message):
 * - an attribution line: "On <date>, <name> wrote:" (also wrapped over two lines, as Gmail does),
 *   "Le … a écrit :", "Am … schrieb …:", "El … escribió:", "Op … schreef …:", "Il … ha scritto:";
 * - Outlook's "-----Original Message-----", "________________" separators, or a "From:" header
 *   followed within four lines by "Sent:"/"Date:"; "---------- Forwarded message ----------";
 * - a signature delimiter "-- " (RFC 3676 §4.3) and mobile footers ("Sent from my iPhone").
 * Lines starting with ">" are dropped wherever they are (inline quoting).
 */

const ATTRIBUTION = [
  /^on\b.{0,300}\bwrote:?\s*$/i,
  /^le\b.{0,300}\ba écrit\s*:?\s*$/i,
  /^am\b.{0,300}\bschrieb\b.{0,200}:?\s*$/i,
  /^el\b.{0,300}\bescribió:?\s*$/i,
  /^op\b.{0,300}\bschreef\b.{0,200}:?\s*$/i,
  /^il\b.{0,300}\bha scritto:?\s*$/i,
];
const SEPARATOR = [/^-{2,}\s*original message\s*-{2,}/i, /^-{2,}\s*forwarded message\s*-{2,}/i, /^_{8,}\s*$/, /^--\s?$/];
const FOOTER = /^(sent from my \w+|sent from (mail|outlook|yahoo mail) for \w+|get outlook for \w+|envoyé de mon \w+|von meinem \w+ gesendet|enviado desde mi \w+)/i;

function cutsHere(lines: readonly string[], i: number): boolean {
  const line = lines[i]!.trim();
  if (SEPARATOR.some((r) => r.test(line))) return true;
  if (FOOTER.test(line)) return true;
  const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]!.trim()}` : line;
  if (ATTRIBUTION.some((r) => r.test(line) || (/^(on|le|am|el|op|il)\b/i.test(line) && r.test(joined)))) return true;
  if (/^\*?from:\*?\s/i.test(line)) {
    for (let j = i + 1; j < Math.min(lines.length, i + 5); j++) if (/^\*?(sent|date):\*?\s/i.test(lines[j]!.trim())) return true;
  }
  return false;
}

/** A reply split into what the customer wrote now and whether any history was removed. */
export interface StrippedReply {
  /** The new text, trimmed; '' when the message held only quoted history. */
  text: string;
  /** True when quoted lines, an attribution, a separator or a signature were removed. */
  removed: boolean;
}

/**
 * Removes quoted history, forwarded parts and signatures from a plain-text reply (see module doc).
 * Pure; never throws. CRLF and CR line ends are accepted.
 */
export function stripQuoted(raw: string): StrippedReply {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  let removed = false;
  for (let i = 0; i < lines.length; i++) {
    if (cutsHere(lines, i)) {
      removed = true;
      break;
    }
    if (/^\s*>/.test(lines[i]!)) {
      removed = true;
      continue;
    }
    kept.push(lines[i]!);
  }
  return { text: kept.join('\n').trim(), removed };
}
