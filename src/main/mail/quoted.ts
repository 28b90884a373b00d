/**
 * Separates what the sender wrote from what they quoted or forwarded, before anything classifies the
 * text (a customer who quotes our own delay notice must not be read as writing "delayed").
 *
 * Recognised, in plain text (HTML is turned to text first, with `<blockquote>` as "> " lines):
 * - quoted lines: a run of lines starting with ">" (RFC 3676 §4.5 quote marks);
 * - reply attributions that introduce the quote: "On <date>, <name> wrote:" (Gmail, Apple Mail,
 *   Thunderbird; may wrap over two lines), "Am … schrieb …:", "Le … a écrit :", "El … escribió:";
 * - Outlook's "-----Original Message-----" and the "From: / Sent: / To: / Subject:" header block
 *   after an underscore rule;
 * - forwarded blocks: "---------- Forwarded message ---------" (Gmail), "Begin forwarded message:"
 *   (Apple Mail), "-------- Original Message --------" inside a forward (Thunderbird). Their header
 *   block is read (From/Date/Subject) and their body kept, itself stripped recursively.
 *
 * Everything after the first reply marker is history; a forward marker splits the text into the
 * forwarder's note and the forwarded message.
 */
import type { ForwardedMail } from './types';

/** Result of {@link splitQuoted}. */
export interface QuoteSplit {
  /** The sender's own new text, trimmed. */
  newText: string;
  /** Forwarded messages, outermost first. */
  forwarded: ForwardedMail[];
}

const FORWARD_MARKERS = [
  /^-{3,}\s*Forwarded message\s*-{3,}\s*$/i,
  /^Begin forwarded message:\s*$/i,
  /^-{3,}\s*Weitergeleitete Nachricht\s*-{3,}\s*$/i,
  /^-{3,}\s*Message transféré\s*-{3,}\s*$/i,
];

const ATTRIBUTION_ONE_LINE = [
  /^On\s.{4,300}\swrote:\s*$/i,
  /^Am\s.{4,300}\sschrieb\s.{0,200}:\s*$/i,
  /^Le\s.{4,300}\sa\s+écrit\s*:\s*$/i,
  /^El\s.{4,300}\sescribió:\s*$/i,
];

const ORIGINAL_MESSAGE = /^-{2,}\s*Original Message\s*-{2,}\s*$/i;
const UNDERSCORE_RULE = /^_{10,}\s*$/;
const HEADER_LINE = /^\*?(From|Sent|Date|To|Cc|Subject|Von|Gesendet|An|Betreff|De|Envoyé|À|Objet)\*?\s*:\s*(.*)$/i;

function isForwardMarker(line: string): boolean {
  return FORWARD_MARKERS.some((re) => re.test(line.trim()));
}

/** Index of the line where quoted history starts, or -1. */
function replyStart(lines: readonly string[]): number {
  // quotedToEnd[i]: every line from i on is quoted ("> …") or blank; computed once, backwards.
  const quotedToEnd = new Array<boolean>(lines.length + 1);
  quotedToEnd[lines.length] = true;
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = lines[i]!.trim();
    quotedToEnd[i] = quotedToEnd[i + 1]! && (t === '' || t.startsWith('>'));
  }
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (ATTRIBUTION_ONE_LINE.some((re) => re.test(t))) return i;
    // "On Mon, 3 Jun 2024 at 10:02, Jane Doe <jane@example.com>" + "wrote:" on the next line.
    if (/^On\s/i.test(t) && t.length < 300 && i + 1 < lines.length && /^\S*.{0,200}\bwrote:\s*$/i.test(lines[i + 1]!.trim())) {
      return i;
    }
    if (ORIGINAL_MESSAGE.test(t)) return i;
    if (UNDERSCORE_RULE.test(t) && i + 1 < lines.length && /^\*?(From|Von|De)\*?\s*:/i.test(lines[i + 1]!.trim())) return i;
    // Outlook without a rule: a "From:" line directly followed by "Sent:"/"Date:" starts the old message.
    if (/^\*?From\*?\s*:/i.test(t) && i + 1 < lines.length && /^\*?(Sent|Date)\*?\s*:/i.test(lines[i + 1]!.trim()) && i > 0) return i;
    // A run of "> " lines ends the new text when nothing but more quote (or blank) follows it.
    if (t.startsWith('>')) {
      if (quotedToEnd[i]) {
        // The attribution line that introduces the quote, in whatever language or date format
        // ("2014-08-23 17:01 GMT-04:00 Tim <t@x.example>:"), ends with a colon just above it.
        let k = i - 1;
        while (k >= 0 && lines[k]!.trim() === '') k--;
        if (k >= 0 && k >= i - 3 && /:\s*$/.test(lines[k]!) && lines[k]!.trim().length < 300 && /@|\d/.test(lines[k]!)) return k;
        return i;
      }
    }
  }
  return -1;
}

function addressIn(value: string): string | null {
  const m = /<\s*([^<>\s@]+@[^<>\s@]+)\s*>/.exec(value) ?? /([^\s<>"'()[\],;:]+@[^\s<>"'()[\],;:]+\.[a-z]{2,})/i.exec(value);
  return m ? m[1]!.toLowerCase() : null;
}

function readForward(lines: readonly string[]): ForwardedMail {
  let from: string | null = null;
  let subject: string | null = null;
  let date: string | null = null;
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  for (; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '') break;
    const h = HEADER_LINE.exec(t);
    if (!h) break;
    const key = h[1]!.toLowerCase();
    const value = h[2]!.trim();
    if (key === 'from' || key === 'von' || key === 'de') from = addressIn(value);
    else if (key === 'subject' || key === 'betreff' || key === 'objet') subject = value;
    else if (key === 'date' || key === 'sent' || key === 'gesendet' || key === 'envoyé') date = value;
  }
  const inner = splitQuoted(lines.slice(i).join('\n'));
  return { from, subject, date, text: inner.newText };
}

/**
 * Splits `text` into the new text and forwarded messages (see module doc). Never throws; a text
 * without markers is returned whole.
 */
export function splitQuoted(text: string, depth = 0): QuoteSplit {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const fwdAt = depth < 8 ? lines.findIndex(isForwardMarker) : -1;
  const head = fwdAt === -1 ? lines : lines.slice(0, fwdAt);
  const cut = replyStart(head);
  const own = (cut === -1 ? head : head.slice(0, cut)).join('\n').trim();
  const forwarded: ForwardedMail[] = [];
  if (fwdAt !== -1) {
    const rest = lines.slice(fwdAt + 1);
    // A forward inside the forward: read the outer one up to the next marker.
    const next = rest.findIndex(isForwardMarker);
    const outer = next === -1 ? rest : rest.slice(0, next);
    forwarded.push(readForward(outer));
    if (next !== -1) forwarded.push(...splitQuoted(rest.slice(next).join('\n'), depth + 1).forwarded);
  }
  return { newText: own, forwarded };
}
