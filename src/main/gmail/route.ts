/**
 * Routing of one inbound message: supplier mail, a customer reply, or ignored — and what it is
 * linked to. Pure: the lookups come in as small interfaces (db-lookups.ts implements them on SQLite).
 *
 * Order of the rules (first match wins):
 * 1. From our own mailbox → ignored (our sent copies), unless it forwards a supplier's mail, which
 *    then counts as that supplier's (owners forward quotes from other inboxes).
 * 2. In-Reply-To / References name a message the app sent → customer reply to that message.
 * 3. Gmail thread of a message the app sent → customer reply.
 * 4. Sender address or domain is a known supplier's → supplier mail.
 * 5. An order number of ours in the subject ("#1001", "Order 1001") → customer reply to that order.
 *    Anyone can type an order number, so unless the sender is the order's own email
 *    (case-insensitive) the reply is flagged `senderMismatch`: stored and linked, but not taken as
 *    the customer's words (no drafted answer, no cancel or address change; a person looks).
 * 6. Otherwise ignored.
 */
import type { ParsedMail } from '../mail/types';

/** A supplier as routing needs it. */
export interface SupplierRef {
  id: string;
  name: string;
}

/**
 * Who the suppliers are. The suppliers table belongs to the supplier-ETA work (migration 3,
 * src/main/eta); until it exists the directory may be empty (see db-lookups.ts).
 */
export interface SupplierDirectory {
  /** The supplier whose address or domain `address` is (lower-case bare address), or null. */
  byAddress(address: string): SupplierRef | null;
}

/** A message the app sent, found by its Message-ID or Gmail thread. */
export interface SentRef {
  messageRowId: number;
  orderId: string;
  backorderId: number | null;
}

/** An order found by its name ('#1001'). */
export interface OrderRef {
  orderId: string;
  backorderId: number | null;
  /** The order's email (lower-case bare address), null when it has none. */
  email: string | null;
}

/** The lookups routing uses. */
export interface RouteContext {
  /** Addresses of our own mailbox (lower-case). */
  ownAddresses: readonly string[];
  suppliers: SupplierDirectory;
  sentByMessageId(messageId: string): SentRef | null;
  sentByThreadId(threadId: string): SentRef | null;
  orderByName(name: string): OrderRef | null;
}

/** Where a message goes. `reason` is shown to the owner ("why is this here?"). */
export type Route =
  | { kind: 'supplier'; supplier: SupplierRef; orderId: string | null; backorderId: number | null; reason: string }
  | {
      kind: 'customer_reply';
      orderId: string;
      backorderId: number | null;
      reason: string;
      /**
       * True when only the subject's order number links it and the sender is not the order's email:
       * whoever wrote may not be the customer (rule 5). Absent for threaded replies.
       */
      senderMismatch?: boolean;
    }
  | { kind: 'ignored'; reason: string };

/** In the route reason of a flagged reply (rule 5); db-lookups.ts reads it back to keep the flag on the thread. */
export const SENDER_MISMATCH_NOTE = "sender is not the order's customer";

const ORDER_IN_SUBJECT = /(?:#\s?|\border\s*(?:no\.?|number|nr\.?)?\s*#?\s*)(\d{3,12})\b/gi;

/** Order names ('#1001') mentioned in a subject, in order of appearance. */
export function orderNamesIn(subject: string): string[] {
  const out: string[] = [];
  for (const m of subject.matchAll(ORDER_IN_SUBJECT)) {
    const name = `#${m[1]}`;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Routes one parsed message (see module doc). `threadId` is Gmail's, null for a dropped .eml. */
export function routeMail(mail: ParsedMail, threadId: string | null, ctx: RouteContext): Route {
  const own = ctx.ownAddresses.includes(mail.from);
  if (own) {
    for (const f of mail.forwarded) {
      const s = f.from ? ctx.suppliers.byAddress(f.from) : null;
      if (s) return { kind: 'supplier', supplier: s, orderId: null, backorderId: null, reason: `forwarded mail from supplier ${s.name} (${f.from})` };
    }
    return { kind: 'ignored', reason: 'sent from our own mailbox' };
  }
  for (const id of [mail.inReplyTo, ...[...mail.references].reverse()]) {
    if (!id) continue;
    const sent = ctx.sentByMessageId(id);
    if (sent) return { kind: 'customer_reply', orderId: sent.orderId, backorderId: sent.backorderId, reason: `answers our message ${id}` };
  }
  if (threadId) {
    const sent = ctx.sentByThreadId(threadId);
    if (sent) return { kind: 'customer_reply', orderId: sent.orderId, backorderId: sent.backorderId, reason: `in the Gmail thread of our message` };
  }
  if (mail.from) {
    const s = ctx.suppliers.byAddress(mail.from);
    if (s) {
      const order = orderNamesIn(mail.subject).map((n) => ctx.orderByName(n)).find((o) => o !== null) ?? null;
      return {
        kind: 'supplier',
        supplier: s,
        orderId: order?.orderId ?? null,
        backorderId: order?.backorderId ?? null,
        reason: `from supplier ${s.name} (${mail.from})`,
      };
    }
  }
  for (const name of orderNamesIn(mail.subject)) {
    const order = ctx.orderByName(name);
    if (!order) continue;
    if (order.email !== null && order.email.toLowerCase() === mail.from.toLowerCase()) {
      return { kind: 'customer_reply', orderId: order.orderId, backorderId: order.backorderId, reason: `order ${name} in the subject` };
    }
    return {
      kind: 'customer_reply',
      orderId: order.orderId,
      backorderId: order.backorderId,
      reason: `order ${name} in the subject; ${SENDER_MISMATCH_NOTE} (${mail.from || 'no sender address'})`,
      senderMismatch: true,
    };
  }
  return { kind: 'ignored', reason: 'not from a supplier and not about one of our messages or orders' };
}
