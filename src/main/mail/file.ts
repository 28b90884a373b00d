/**
 * Reads a mail file: an .eml (RFC 5322) file, or a JSON file holding Gmail API message resources
 * (format=full or raw; see gmail-resource.ts). Decided by content, not extension: a file whose first
 * non-blank byte is `{` or `[` and which parses as JSON is treated as Gmail JSON.
 */
import fs from 'node:fs';
import { AppError } from '../../shared/result';
import { gmailMessagesIn, gmailMessageToRfc822 } from './gmail-resource';
import { parseMime } from './parse';
import type { ParsedMail } from './types';

/** One parsed message of a file, with the Gmail ids when it came from a Gmail resource. */
export interface ParsedFileMessage {
  mail: ParsedMail;
  gmailId: string | null;
  threadId: string | null;
}

/** Options of {@link parseMailBytes}. */
export interface ParseMailOptions {
  /**
   * Refuse what is not mail (`mail parse`, dropped files): postal-mime reads any bytes, so an empty
   * file, a binary or a PDF would otherwise come back as a message with every field empty.
   */
  mailOnly?: boolean;
}

/**
 * Why the bytes of an .eml file are not mail, or null: no bytes at all, or a NUL byte in the
 * header block (before the first blank line, at most the first 64 KiB), which no mail program
 * writes (RFC 5322 headers are text) but every binary file has.
 */
function notMailBytes(bytes: Buffer): string | null {
  if (bytes.length === 0) return 'empty file';
  const head = bytes.subarray(0, 65_536);
  const crlf = head.indexOf('\r\n\r\n');
  const lf = head.indexOf('\n\n');
  const end = [crlf, lf].filter((x) => x >= 0).reduce((a, b) => Math.min(a, b), head.length);
  return head.subarray(0, end).includes(0) ? 'binary content' : null;
}

/** A message from which no From, Subject, Date or Message-ID header could be read. */
function withoutHeaders(mail: ParsedMail): boolean {
  return !mail.from && !mail.subject && !mail.date && !mail.messageId;
}

/**
 * Parses the bytes of a mail file (see module doc).
 * @param name the file's name, put at the start of every error message.
 * @throws AppError('BAD_INPUT') when a JSON document holds no Gmail message resource, postal-mime
 *   refuses a message, or (with `mailOnly`) the file is empty, binary, or yields a message without
 *   any From, Subject, Date or Message-ID header.
 */
export async function parseMailBytes(bytes: Buffer, name = 'input', options: ParseMailOptions = {}): Promise<ParsedFileMessage[]> {
  const out = await parseAny(bytes, name);
  if (options.mailOnly) {
    const why = notMailBytes(bytes) ?? (out.some((p) => withoutHeaders(p.mail)) ? 'no From, Subject, Date or Message-ID header could be read' : null);
    if (why) throw new AppError('BAD_INPUT', `${name}: not an email message (${why}); save the mail as .eml from your mail program`);
  }
  return out;
}

async function parseAny(bytes: Buffer, name: string): Promise<ParsedFileMessage[]> {
  const start = bytes.subarray(0, 64).toString('utf8').trimStart();
  if (start.startsWith('{') || start.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      json = undefined;
    }
    if (json !== undefined) {
      const resources = gmailMessagesIn(json);
      if (!resources.length) throw new AppError('BAD_INPUT', `${name}: JSON without any Gmail message resource (expected "raw" or "payload").`);
      const out: ParsedFileMessage[] = [];
      for (const r of resources) out.push({ mail: await parseMime(gmailMessageToRfc822(r)), gmailId: r.id ?? null, threadId: r.threadId ?? null });
      return out;
    }
  }
  return [{ mail: await parseMime(bytes), gmailId: null, threadId: null }];
}

/**
 * Reads and parses a mail file.
 * @throws AppError('BAD_INPUT') when the file cannot be read or parsed, or is not mail (`mailOnly`).
 */
export async function parseMailFile(file: string, options: ParseMailOptions = {}): Promise<ParsedFileMessage[]> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new AppError('BAD_INPUT', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseMailBytes(bytes, file, options);
}
