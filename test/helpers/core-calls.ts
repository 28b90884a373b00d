/**
 * Small helpers shared by the integration tests that drive the core through its contract: a
 * command call that throws on an error result, and a customer's reply as an .eml file the way
 * `replies.import` takes it (base64 content).
 */
import type { Core } from '../../src/main/app/core';
import type { CommandName, CommandOutput } from '../../src/shared/contract';

/** Dispatches `name` and returns its value; throws with the error code and message otherwise. */
export async function call<C extends CommandName>(core: Core, name: C, input: unknown): Promise<CommandOutput<C>> {
  const r = await core.dispatch(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** A plain-text reply to the shop, threaded to `inReplyTo` (our Message-ID) when given. */
export interface ReplyMail {
  from: string;
  subject: string;
  body: string;
  /** Message-ID this answers, with angle brackets. */
  inReplyTo?: string;
  /** Local part of the reply's own Message-ID; also the file name. */
  id: string;
  /** RFC 5322 date; defaults to Tue, 03 Nov 2026 10:00:00 -0500. */
  date?: string;
}

/** The reply as `replies.import` takes a file: `{name, content}` with base64 content. */
export function replyEml(o: ReplyMail): { name: string; content: string } {
  const text = [
    `From: ${o.from}`,
    'To: Juniper Test Shop <hello@example.com>',
    `Subject: ${o.subject}`,
    `Message-ID: <${o.id}@mail.example>`,
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`, `References: ${o.inReplyTo}`] : []),
    `Date: ${o.date ?? 'Tue, 03 Nov 2026 10:00:00 -0500'}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body,
  ].join('\r\n');
  return { name: `${o.id}.eml`, content: Buffer.from(text).toString('base64') };
}
