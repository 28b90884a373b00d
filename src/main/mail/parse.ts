/**
 * MIME parsing of inbound mail with postal-mime (charsets incl. legacy ones via TextDecoder,
 * quoted-printable, base64, RFC 2047/2231 words, nested multiparts, message/rfc822), then the app's
 * own normalisation: bare lower-cased addresses, HTML-only mail turned to text, quoted history and
 * forwarded blocks separated, and invisible Unicode removed from every text field at ingest.
 */
import PostalMime, { type Address, type Email } from 'postal-mime';
import { stripInvisible } from '../../core/drafts/invisible';
import { AppError } from '../../shared/result';
import { htmlToText } from './html';
import { splitQuoted } from './quoted';
import type { MailAttachment, ParsedMail } from './types';

function flatten(list: readonly Address[] | Address | undefined): { name: string; address: string }[] {
  if (!list) return [];
  const arr = Array.isArray(list) ? list : [list as Address];
  const out: { name: string; address: string }[] = [];
  for (const a of arr) {
    if (a.group) for (const m of a.group) out.push({ name: m.name, address: m.address });
    else if (a.address !== undefined) out.push({ name: a.name, address: a.address });
  }
  return out;
}

const clean = (s: string | undefined | null): string => stripInvisible(s ?? '');

function normaliseAddress(a: string): string {
  return stripInvisible(a).trim().toLowerCase();
}

/** `<a@b> <c@d>` → ['<a@b>', '<c@d>']; tolerant of missing brackets and commas. */
export function msgIds(value: string | undefined | null): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g);
  if (ids) return ids;
  return value
    .split(/[\s,]+/)
    .filter((v) => v.includes('@'))
    .map((v) => `<${v}>`);
}

function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

const EXT: Record<string, string> = { 'text/csv': 'csv', 'application/pdf': 'pdf', 'message/rfc822': 'eml', 'text/calendar': 'ics', 'text/plain': 'txt' };

function toBytes(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/**
 * Parses one RFC 5322 message (an .eml file, a Gmail `format=raw` message decoded from base64url).
 * Malformed input degrades (missing fields empty/null) rather than failing.
 * @throws AppError('BAD_INPUT') only when postal-mime refuses the input outright (nesting or header
 *   size limits, which protect against crafted messages).
 */
export async function parseMime(raw: Uint8Array | string): Promise<ParsedMail> {
  let email: Email;
  try {
    email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer', maxNestingDepth: 64 });
  } catch (err) {
    throw new AppError('BAD_INPUT', `The message could not be parsed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const from = flatten(email.from)[0];
  const html = email.html !== undefined ? clean(email.html) : undefined;
  const text = clean(email.text ?? (html !== undefined ? htmlToText(html) : '')).replace(/\r\n?/g, '\n');
  const split = splitQuoted(text);
  const attachments: MailAttachment[] = email.attachments.map((a, i) => {
    const bytes = toBytes(a.content);
    const type = (a.mimeType || 'application/octet-stream').toLowerCase();
    const name = clean(a.filename).trim() || `attachment-${i + 1}${EXT[type] ? `.${EXT[type]}` : ''}`;
    return { name, contentType: type, size: bytes.byteLength, content: bytes };
  });
  const to = [...flatten(email.to), ...flatten(email.cc)].map((a) => normaliseAddress(a.address)).filter(Boolean);
  return {
    from: from ? normaliseAddress(from.address) : '',
    fromName: clean(from?.name).trim(),
    to,
    subject: clean(email.subject).replace(/[\r\n]+/g, ' ').trim(),
    date: isoDate(email.date),
    text,
    ...(html !== undefined ? { html } : {}),
    newText: split.newText,
    forwarded: split.forwarded,
    attachments,
    messageId: msgIds(email.messageId)[0] ?? null,
    inReplyTo: msgIds(email.inReplyTo)[0] ?? null,
    references: msgIds(email.references),
  };
}

/** The `mail parse --json` shape: `{from, to, subject, date, text, attachments: [names]}`. */
export interface ParsedMailSummary {
  from: string;
  to: string[];
  subject: string;
  date: string | null;
  text: string;
  attachments: string[];
}

/** Reduces a {@link ParsedMail} to the `mail parse --json` shape. */
export function summarise(m: ParsedMail): ParsedMailSummary {
  return { from: m.from, to: m.to, subject: m.subject, date: m.date, text: m.text, attachments: m.attachments.map((a) => a.name) };
}
