/**
 * Gmail API v1 `users.messages` resources (format=full or format=raw) turned into RFC 5322 bytes, so
 * one parser (postal-mime, see parse.ts) reads every source the same way.
 *
 * format=raw carries the whole message as base64url in `raw`. format=full carries a tree of
 * MessagePart: each with its original headers and `body.data`, the part content already decoded
 * from its Content-Transfer-Encoding but still in its charset, base64url-encoded (Gmail API v1
 * reference, "users.messages" → MessagePartBody). The tree is re-serialised with every leaf as
 * base64, keeping the original Content-Type (charset, boundary, name) so decoding happens once, in
 * the parser. Parts Gmail only references by `attachmentId` become empty parts that keep their name.
 */
import { randomBytes } from 'node:crypto';
import type { gmail_v1 } from 'googleapis';
import { AppError } from '../../shared/result';

export type GmailMessage = gmail_v1.Schema$Message;
type Part = gmail_v1.Schema$MessagePart;

/** base64url (RFC 4648 §5, with or without padding) → bytes. */
export function fromBase64Url(data: string): Buffer {
  return Buffer.from(data.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** bytes → base64url without padding, as the Gmail API expects in `raw`. */
export function toBase64Url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function header(part: Part, name: string): string | undefined {
  return part.headers?.find((h) => h.name?.toLowerCase() === name)?.value ?? undefined;
}

function base64Lines(buf: Buffer): string {
  const b64 = buf.toString('base64');
  const out: string[] = [];
  for (let i = 0; i < b64.length; i += 76) out.push(b64.slice(i, i + 76));
  return out.join('\r\n');
}

function serialise(part: Part, depth: number): string {
  if (depth > 64) return '';
  const mimeType = (part.mimeType ?? 'text/plain').toLowerCase();
  const lines: string[] = [];
  let contentType = header(part, 'content-type');
  const children = part.parts ?? [];
  let boundary: string | undefined;
  if (mimeType.startsWith('multipart/')) {
    boundary = contentType ? /boundary\s*=\s*"?([^";]+)"?/i.exec(contentType)?.[1] : undefined;
    if (!boundary) {
      boundary = `bd-${randomBytes(12).toString('hex')}`;
      contentType = `${mimeType}; boundary="${boundary}"`;
    }
  }
  if (!contentType) contentType = part.filename ? `${mimeType}; name="${part.filename.replace(/"/g, '')}"` : mimeType;
  for (const h of part.headers ?? []) {
    const name = h.name ?? '';
    const lower = name.toLowerCase();
    if (!name || lower === 'content-type' || lower === 'content-transfer-encoding') continue;
    lines.push(`${name}: ${(h.value ?? '').replace(/[\r\n]+/g, ' ')}`);
  }
  lines.push(`Content-Type: ${contentType.replace(/[\r\n]+/g, ' ')}`);
  if (part.filename && !header(part, 'content-disposition')) {
    lines.push(`Content-Disposition: attachment; filename="${part.filename.replace(/["\r\n]/g, '')}"`);
  }
  if (boundary) {
    const body = children.map((c) => `--${boundary}\r\n${serialise(c, depth + 1)}\r\n`).join('');
    return `${lines.join('\r\n')}\r\n\r\n${body}--${boundary}--\r\n`;
  }
  if (mimeType === 'message/rfc822' && children.length === 1 && !part.body?.data) {
    return `${lines.join('\r\n')}\r\n\r\n${serialise(children[0]!, depth + 1)}`;
  }
  lines.push('Content-Transfer-Encoding: base64');
  const data = part.body?.data ? fromBase64Url(part.body.data) : Buffer.alloc(0);
  return `${lines.join('\r\n')}\r\n\r\n${base64Lines(data)}\r\n`;
}

/**
 * RFC 5322 bytes of a Gmail message resource: `raw` decoded when present, else the `payload` tree
 * re-serialised (see module doc).
 * @throws AppError('BAD_INPUT') when the resource has neither `raw` nor `payload`.
 */
export function gmailMessageToRfc822(msg: GmailMessage): Buffer {
  if (typeof msg.raw === 'string' && msg.raw) return fromBase64Url(msg.raw);
  if (msg.payload) return Buffer.from(serialise(msg.payload, 0), 'utf8');
  throw new AppError('BAD_INPUT', `Gmail message ${msg.id ?? '(no id)'} has neither raw nor payload (fetch it with format=full or raw).`);
}

function isMessageResource(v: unknown): v is GmailMessage {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return (typeof o.raw === 'string' || (typeof o.payload === 'object' && o.payload !== null)) && (o.id === undefined || typeof o.id === 'string');
}

/**
 * Every Gmail message resource inside a parsed JSON document: the document itself, an array of
 * them, a `{messages: [...]}` list response, or any object whose values hold them (e.g. fixtures
 * keyed by mailbox). Searched to depth 4.
 */
export function gmailMessagesIn(json: unknown, depth = 0): GmailMessage[] {
  if (isMessageResource(json)) return [json];
  if (depth > 4 || !json || typeof json !== 'object') return [];
  const values = Array.isArray(json) ? json : Object.values(json as Record<string, unknown>);
  return values.flatMap((v) => gmailMessagesIn(v, depth + 1));
}
