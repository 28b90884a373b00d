/**
 * One inbound message from any source (Gmail sync, a dropped .eml file): route it, store it, and
 * hand customer replies to the reply-triage side and supplier CSVs to the quote importer.
 *
 * The customer-reply ingest belongs to reply triage (src/main/replies). Until it is wired in, replies
 * go to an {@link InboundMailSink} the caller supplies; the default only stores them here.
 */
import type { Db } from '../store/db';
import type { ParsedMail } from '../mail/types';
import { routeMail, type Route, type RouteContext } from './route';
import { importableAttachments, storeInbound, type ImportableAttachment, type InboundOrigin } from './store';

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

/** What {@link ingestMail} did with one message. */
export interface IngestOutcome {
  route: Route;
  /** inbound_mail row id, or null when the message was already stored. */
  mailId: number | null;
}

/** Routes and stores one message, then notifies the sink (see module doc). */
export async function ingestMail(
  db: Db,
  mail: ParsedMail,
  origin: InboundOrigin,
  ctx: RouteContext,
  now: string,
  sink: InboundMailSink = {},
): Promise<IngestOutcome> {
  const route = routeMail(mail, origin.threadId, ctx);
  const mailId = storeInbound(db, mail, origin, route, now);
  if (mailId !== null) await notify(db, { mail, origin, route, mailId }, now, sink);
  return { route, mailId };
}

/** Sink calls for a stored message (also used by the sync, which stores a batch in one transaction first). */
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
