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

/**
 * Parses the bytes of a mail file (see module doc).
 * @throws AppError('BAD_INPUT') when a JSON document holds no Gmail message resource, or postal-mime
 *   refuses a message.
 */
export async function parseMailBytes(bytes: Buffer, name = 'input'): Promise<ParsedFileMessage[]> {
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
 * @throws AppError('BAD_INPUT') when the file cannot be read or parsed.
 */
export async function parseMailFile(file: string): Promise<ParsedFileMessage[]> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new AppError('BAD_INPUT', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseMailBytes(bytes, file);
}
