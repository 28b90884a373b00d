/**
 * Gmail as an outbox transport (src/main/outbox/transport.ts): customer email sent through the
 * owner's Gmail with our own RFC 5322 Message-ID, threaded into the customer's conversation, exactly
 * once across crashes, within a daily send cap.
 *
 * Two ways to send (setting `gmail.sendMode`):
 * - `direct` (default; scopes gmail.readonly + gmail.send): users.messages.send. An outcome that
 *   never arrived is settled by searching Sent for `rfc822msgid:<our Message-ID>`.
 * - `draft` (needs the gmail.compose scope, which also covers drafts): users.drafts.create, the
 *   draft id stored, then users.drafts.send. After a crash the draft itself answers: still there →
 *   definitely not sent; gone and in Sent → sent. Stronger than a search alone, which can lag.
 *
 * `gmail_outbound` (migration 7) is written before every call that could send, so the next start
 * knows which Message-IDs may be in Gmail. A Message-ID already recorded as sent is never sent again,
 * whatever the outbox row says.
 *
 * Threading (Gmail API guide "Sending email" → threads): `threadId` of the customer's latest reply
 * on the order (or of our previous message), `In-Reply-To` its Message-ID and `References` its
 * chain. Gmail also requires matching subjects to thread; our subject is what the person approved
 * and is kept, so a reply with a different subject may start a new thread in Gmail's view while
 * still carrying the headers every mail client threads by.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Db } from '../store/db';
import { toBase64Url } from '../mail/gmail-resource';
import { TransportError, type MessageTransport, type OutgoingMessage, type SendReceipt } from '../outbox/transport';
import type { GmailApi } from './api';
import { classifyGmailError } from './backoff';

/** How messages leave (see module doc). */
export type GmailSendMode = 'direct' | 'draft';

/** Options of {@link createGmailTransport}. */
export interface GmailTransportOptions {
  db: Db;
  api: GmailApi;
  /** Clock, ISO 8601. */
  now: () => string;
  /** At most this many messages in any 24 hours (setting `gmail.dailySendCap`). */
  dailyCap: number;
  mode?: GmailSendMode;
}

interface OutboundRow {
  message_id: string;
  draft_id: string | null;
  gmail_id: string | null;
  thread_id: string | null;
  state: 'sending' | 'drafted' | 'sent';
}

/** Threading headers for one outgoing message. */
export interface ThreadInfo {
  threadId: string | null;
  inReplyTo: string | null;
  references: string[];
}

/** Messages sent through Gmail in the 24 hours before `now`. */
export function sentInLastDay(db: Db, now: string): number {
  const since = new Date(Date.parse(now) - 86_400_000).toISOString();
  return db.prepare("SELECT count(*) FROM gmail_outbound WHERE state = 'sent' AND sent_at >= ?").pluck().get(since) as number;
}

/**
 * Where an outgoing message belongs: the customer's latest Gmail reply on the same order, else our
 * previous Gmail message on it.
 */
export function threadFor(db: Db, messageId: string): ThreadInfo {
  const none: ThreadInfo = { threadId: null, inReplyTo: null, references: [] };
  const row = db.prepare('SELECT order_id, to_address FROM messages WHERE message_id = ?').get(messageId) as { order_id: string; to_address: string } | undefined;
  if (!row) return none;
  const reply = db
    .prepare(
      `SELECT thread_id, message_id, references_ids FROM inbound_mail
       WHERE order_id = ? AND kind = 'customer_reply' AND thread_id IS NOT NULL ORDER BY COALESCE(sent_at, received_at) DESC, id DESC LIMIT 1`,
    )
    .get(row.order_id) as { thread_id: string; message_id: string | null; references_ids: string } | undefined;
  if (reply) {
    const refs = reply.references_ids.split(/\s+/).filter(Boolean);
    if (reply.message_id) refs.push(reply.message_id);
    return { threadId: reply.thread_id, inReplyTo: reply.message_id, references: refs };
  }
  const ours = db
    .prepare(
      `SELECT g.thread_id, g.message_id FROM gmail_outbound g JOIN messages m ON m.message_id = g.message_id
       WHERE m.order_id = ? AND g.state = 'sent' AND g.thread_id IS NOT NULL AND g.message_id <> ? ORDER BY g.sent_at DESC LIMIT 1`,
    )
    .get(row.order_id, messageId) as { thread_id: string; message_id: string } | undefined;
  return ours ? { threadId: ours.thread_id, inReplyTo: ours.message_id, references: [ours.message_id] } : none;
}

const MSG_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

function oneAddress(field: string): string | null {
  const list = addressparser(field, { flatten: true });
  const a = list.length === 1 ? list[0]?.address : undefined;
  return a && /^[^\s@]+@[^\s@]+$/.test(a) ? a : null;
}

/** RFC 5322 bytes of an outgoing message, with our Message-ID and the threading headers. */
export async function buildRfc822(msg: OutgoingMessage, thread: ThreadInfo): Promise<Buffer> {
  const headers: Record<string, string> = { ...(msg.headers ?? {}) };
  if (thread.inReplyTo) headers['In-Reply-To'] = thread.inReplyTo;
  if (thread.references.length) headers.References = thread.references.join(' ');
  return new MailComposer({ from: msg.from, to: msg.to, subject: msg.subject, text: msg.text, messageId: msg.messageId, headers }).compile().build();
}

/** A Gmail transport that can also settle `unknown` messages (see {@link recoverGmailOutbox}). */
export interface GmailTransport extends MessageTransport {
  recover(): Promise<RecoveryReport>;
}

/** What a recovery pass settled. */
export interface RecoveryReport {
  /** Found in Gmail (Sent, or recorded as sent) → marked sent. */
  sent: number[];
  /** Their draft is still unsent in Gmail → definitely not sent, marked failed (a person retries). */
  notSent: number[];
  /** Neither: stays `unknown` for a person. */
  stillUnknown: number[];
}

function failure(err: unknown, stage: 'prepare' | 'send'): TransportError {
  const info = classifyGmailError(err);
  const details = { cause: err, ...(info.status !== null ? { responseCode: info.status } : {}), response: info.message, code: info.reason ?? undefined };
  if (info.status === 401 || info.reason === 'invalid_grant' || /invalid_grant/.test(info.message)) {
    return new TransportError('temporary', 'Google no longer accepts the saved Gmail sign-in. Reconnect Gmail in Settings; nothing was sent.', { ...details, scope: 'connection' });
  }
  if (info.status === 429 || (info.status === 403 && info.retryable)) {
    return new TransportError('temporary', `Gmail's rate limit was reached and did not clear after backing off (${info.message}). Nothing was sent; try again later.`, { ...details, scope: 'connection' });
  }
  if (info.status !== null && info.status >= 400 && info.status < 500) {
    return new TransportError('rejected', `Gmail refused the message (${info.status} ${info.reason ?? ''}: ${info.message}).`, details);
  }
  if (stage === 'prepare') {
    return new TransportError('temporary', `Could not reach Gmail (${info.message}); nothing was sent.`, { ...details, scope: 'connection' });
  }
  return new TransportError(
    'unknown',
    `The message was handed to Gmail and no answer came (${info.status ?? 'connection lost'}: ${info.message}). It was not found in Sent yet; ` +
      'check Gmail before sending it again.',
    details,
  );
}

/**
 * Creates the Gmail transport (see module doc).
 * @throws nothing at creation; send() rejects only with TransportError.
 */
export function createGmailTransport(opts: GmailTransportOptions): GmailTransport {
  const { db, api } = opts;
  const mode = opts.mode ?? 'direct';
  const getRow = db.prepare('SELECT message_id, draft_id, gmail_id, thread_id, state FROM gmail_outbound WHERE message_id = ?');
  const upsert = db.prepare(
    `INSERT INTO gmail_outbound (message_id, thread_id, state, created_at) VALUES (?, ?, 'sending', ?)
     ON CONFLICT(message_id) DO UPDATE SET thread_id = COALESCE(excluded.thread_id, thread_id)`,
  );
  const markDrafted = db.prepare("UPDATE gmail_outbound SET draft_id = ?, state = 'drafted', thread_id = COALESCE(?, thread_id) WHERE message_id = ?");
  const markSent = db.prepare("UPDATE gmail_outbound SET state = 'sent', gmail_id = ?, thread_id = COALESCE(?, thread_id), sent_at = ? WHERE message_id = ?");
  const clearDraft = db.prepare("UPDATE gmail_outbound SET draft_id = NULL, state = 'sending' WHERE message_id = ?");

  /** Our message in Gmail's Sent, by Message-ID (Gmail search operator `rfc822msgid:`). */
  const findSent = async (messageId: string): Promise<{ id: string; threadId: string | null } | null> => {
    const r = await api.listMessages(`rfc822msgid:${messageId.replace(/^<|>$/g, '')} in:sent`, undefined, 5);
    const m = r.messages?.[0];
    return m?.id ? { id: m.id, threadId: m.threadId ?? null } : null;
  };
  /** An unsent draft holding our Message-ID (drafts.get by stored id, else drafts.list by search). */
  const findDraft = async (row: OutboundRow | undefined, messageId: string): Promise<string | null> => {
    if (mode !== 'draft') return null;
    if (row?.draft_id) {
      const d = await api.getDraft(row.draft_id);
      if (d?.id) return d.id;
    }
    const list = await api.listDrafts(`rfc822msgid:${messageId.replace(/^<|>$/g, '')}`);
    return list.drafts?.[0]?.id ?? null;
  };

  const receipt = (gmailId: string, how: string): SendReceipt => ({ providerId: gmailId, response: `Gmail ${how}: message ${gmailId}` });

  async function send(msg: OutgoingMessage): Promise<SendReceipt> {
    const messageId = msg.messageId.startsWith('<') ? msg.messageId : `<${msg.messageId}>`;
    if (!MSG_ID.test(messageId)) throw new TransportError('rejected', `Message-ID ${JSON.stringify(msg.messageId)} is not an RFC 5322 msg-id (<left@right>).`);
    if (!oneAddress(msg.to)) throw new TransportError('rejected', `Recipient ${JSON.stringify(msg.to)} is not exactly one email address.`);
    if (!oneAddress(msg.from)) {
      throw new TransportError('temporary', `Sender ${JSON.stringify(msg.from)} is not a usable email address; check the sender in Settings.`, { scope: 'connection' });
    }
    const existing = getRow.get(messageId) as OutboundRow | undefined;
    if (existing?.state === 'sent' && existing.gmail_id) return receipt(existing.gmail_id, 'had already sent it');

    const now = opts.now();
    const used = sentInLastDay(db, now);
    if (used >= opts.dailyCap) {
      throw new TransportError(
        'temporary',
        `Daily Gmail send cap reached: ${used} messages in the last 24 hours (limit ${opts.dailyCap}, in Settings → Gmail). ` +
          'Nothing more is sent now; the remaining messages stay approved. Gmail itself allows about 500 a day for personal accounts and 2,000 for Workspace.',
        { scope: 'connection', code: 'EDAILYCAP' },
      );
    }

    const thread = threadFor(db, messageId);
    const raw = toBase64Url(await buildRfc822({ ...msg, messageId }, thread));
    upsert.run(messageId, thread.threadId, now);

    // A previous attempt of this Message-ID may have gone out after all, or left its draft.
    if (existing) {
      try {
        const found = await findSent(messageId);
        if (found) {
          markSent.run(found.id, found.threadId, opts.now(), messageId);
          return receipt(found.id, 'found it already in Sent');
        }
      } catch (err) {
        throw failure(err, 'prepare');
      }
    }

    if (mode === 'direct') {
      let sent;
      try {
        sent = await api.send(raw, thread.threadId ?? undefined);
      } catch (err) {
        return settle(err, messageId, undefined);
      }
      markSent.run(sent.id ?? null, sent.threadId ?? null, opts.now(), messageId);
      return receipt(sent.id ?? messageId, 'accepted');
    }

    let draftId: string | null;
    try {
      draftId = await findDraft(existing, messageId);
      if (!draftId) {
        const d = await api.createDraft(raw, thread.threadId ?? undefined);
        draftId = d.id ?? null;
        if (!draftId) throw new Error('Gmail created a draft without an id');
        markDrafted.run(draftId, d.message?.threadId ?? null, messageId);
      }
    } catch (err) {
      throw failure(err, 'prepare');
    }
    let sent;
    try {
      sent = await api.sendDraft(draftId);
    } catch (err) {
      return settle(err, messageId, draftId);
    }
    markSent.run(sent.id ?? null, sent.threadId ?? null, opts.now(), messageId);
    return receipt(sent.id ?? messageId, 'accepted');
  }

  /**
   * After a send call failed: a definite refusal stays what it is; an outcome that never arrived is
   * looked up once (Sent, then the draft) before it is called unknown.
   * @returns the receipt when the message turns out to be in Sent.
   * @throws TransportError for every other outcome.
   */
  async function settle(err: unknown, messageId: string, draftId: string | undefined): Promise<SendReceipt> {
    const classified = failure(err, 'send');
    if (classified.kind !== 'unknown') {
      if (classified.kind === 'rejected' && draftId) clearDraft.run(messageId);
      throw classified;
    }
    try {
      const found = await findSent(messageId);
      if (found) {
        markSent.run(found.id, found.threadId, opts.now(), messageId);
        return receipt(found.id, 'sent it (found in Sent after its answer was lost)');
      }
      if (draftId && (await api.getDraft(draftId))) {
        throw new TransportError('temporary', 'Gmail did not send the message (its draft is still unsent); nothing went out, it can be retried.', { cause: err });
      }
    } catch (lookupErr) {
      if (lookupErr instanceof TransportError) throw lookupErr;
      // The lookup failed too: the outcome stays unknown.
    }
    throw classified;
  }

  return {
    channel: 'email',
    async send(msg) {
      try {
        return await send(msg);
      } catch (err) {
        if (err instanceof TransportError) throw err;
        throw new TransportError('unknown', `Sending through Gmail failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    },
    recover: () => recoverGmailOutbox(db, api, opts.now, mode),
  };
}

/**
 * Settles outbox rows left `unknown` (a crash mid-send, a lost answer) whose Message-ID went to Gmail:
 * recorded as sent in gmail_outbound, or found in Sent by `rfc822msgid:` → `sent`; their draft
 * still unsent → `failed` with a note (definitely not sent; a person retries, which sends that same
 * draft); otherwise they stay `unknown` with a note. Never sends anything.
 */
export async function recoverGmailOutbox(db: Db, api: GmailApi, now: () => string, mode: GmailSendMode = 'direct'): Promise<RecoveryReport> {
  const rows = db
    .prepare(
      `SELECT m.id, m.attempts, g.message_id, g.draft_id, g.gmail_id, g.thread_id, g.state FROM messages m JOIN gmail_outbound g ON g.message_id = m.message_id
       WHERE m.status = 'unknown' ORDER BY m.id`,
    )
    .all() as (OutboundRow & { id: number; attempts: number })[];
  const report: RecoveryReport = { sent: [], notSent: [], stillUnknown: [] };
  const setSent = db.prepare(
    "UPDATE messages SET status = 'sent', sent_at = ?, provider_response = ?, last_error = NULL, updated_at = ? WHERE id = ? AND status = 'unknown' AND attempts = ?",
  );
  const setFailed = db.prepare("UPDATE messages SET status = 'failed', last_error = ?, updated_at = ? WHERE id = ? AND status = 'unknown' AND attempts = ?");
  const note = db.prepare("UPDATE messages SET last_error = ?, updated_at = ? WHERE id = ? AND status = 'unknown'");
  const markOutbound = db.prepare("UPDATE gmail_outbound SET state = 'sent', gmail_id = ?, thread_id = COALESCE(?, thread_id), sent_at = COALESCE(sent_at, ?) WHERE message_id = ?");
  for (const r of rows) {
    const t = now();
    if (r.state === 'sent' && r.gmail_id) {
      if (setSent.run(t, `Gmail message ${r.gmail_id} (recorded before the interruption)`, t, r.id, r.attempts).changes) report.sent.push(r.id);
      continue;
    }
    try {
      const q = `rfc822msgid:${r.message_id.replace(/^<|>$/g, '')} in:sent`;
      const hit = (await api.listMessages(q, undefined, 5)).messages?.[0];
      if (hit?.id) {
        markOutbound.run(hit.id, hit.threadId ?? null, t, r.message_id);
        if (setSent.run(t, `Gmail message ${hit.id} (found in Sent by its Message-ID)`, t, r.id, r.attempts).changes) report.sent.push(r.id);
        continue;
      }
      let draft: string | null = null;
      if (mode === 'draft' || r.draft_id) {
        if (r.draft_id && (await api.getDraft(r.draft_id))) draft = r.draft_id;
        else draft = (await api.listDrafts(`rfc822msgid:${r.message_id.replace(/^<|>$/g, '')}`)).drafts?.[0]?.id ?? null;
      }
      if (draft) {
        db.prepare("UPDATE gmail_outbound SET draft_id = ?, state = 'drafted' WHERE message_id = ?").run(draft, r.message_id);
        if (setFailed.run('Not sent: its Gmail draft is still unsent. Retry sends that draft.', t, r.id, r.attempts).changes) report.notSent.push(r.id);
        continue;
      }
      note.run('Not found in Gmail Sent or Drafts. It may not have gone out; check with the customer before sending again.', t, r.id);
      report.stillUnknown.push(r.id);
    } catch {
      report.stillUnknown.push(r.id);
    }
  }
  return report;
}
