/**
 * Hand-over of stored, routed inbound mail (Gmail sync, and .eml files dropped in through
 * src/main/replies): customer replies go to reply triage, supplier mail and its CSV attachments to
 * the quote readers (src/main/eta/mail-quotes.ts), through the {@link InboundMailSink} the caller
 * supplies.
 */
import type { Db } from '../store/db';
import type { ParsedMail } from '../mail/types';
import type { Route } from './route';
import { importableAttachments, type ImportableAttachment, type InboundOrigin } from './store';

/** A stored, routed inbound message as handed to a sink. */
export interface InboundMailEvent {
  /** inbound_mail row id. */
  mailId: number;
  mail: ParsedMail;
  origin: InboundOrigin;
  route: Exclude<Route, { kind: 'ignored' }>;
  /** ISO 8601 instant the app stored it. */
  receivedAt: string;
}

/**
 * Where routed mail goes next. Called inside no transaction, after the row is committed; a throwing
 * sink is reported by the caller and does not undo the stored row.
 */
export interface InboundMailSink {
  /** A customer reply linked to its order (and backorder when one is open). */
  customerReply?(e: InboundMailEvent): void | Promise<void>;
  /** Supplier mail linked to its supplier; CSV attachments are in `importable`. */
  supplierMail?(e: InboundMailEvent, importable: ImportableAttachment[]): void | Promise<void>;
}

/** Sink calls for a stored message (the sync stores a batch in one transaction first, then calls this). */
export async function notify(
  db: Db,
  stored: { mail: ParsedMail; origin: InboundOrigin; route: Route; mailId: number },
  now: string,
  sink: InboundMailSink,
): Promise<void> {
  const { route } = stored;
  if (route.kind === 'ignored') return;
  const e: InboundMailEvent = { ...stored, route, receivedAt: now };
  if (route.kind === 'customer_reply') await sink.customerReply?.(e);
  else await sink.supplierMail?.(e, importableAttachments(db).filter((a) => a.mailId === stored.mailId));
}
