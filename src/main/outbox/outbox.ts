/**
 * The outbox: the `messages` table as a state machine, and the relay that sends approved rows
 * exactly once (DESIGN.md "Every side effect goes through the database first").
 *
 * ```
 *   draft ──approve──► approved ──claim──► sending ──► sent
 *     ▲   ◄─unapprove─   ▲   ▲                 │ ├──► failed ──retry──► approved
 *     │                  │   │                 │ └──► unknown ──retry {confirmNotSent}──► approved
 *     └──edit (draft, failed)│                 │          └──confirmSent──► sent
 *                            └─────────────────┘ (crash while sending → recoverInterrupted → unknown)
 *   draft | approved | failed | unknown ──discard──► discarded
 * ```
 *
 * Rules this module keeps:
 * - Nothing leaves that a person has not approved: only `approved` rows are ever claimed.
 * - Exactly once: a row is claimed by one atomic UPDATE (approved → sending) inside
 *   `BEGIN IMMEDIATE`, so two relays — two processes on one file, two connections, a double click —
 *   never both get it. The in-process single-flight of {@link sendApproved} is a convenience only.
 * - What cannot be known is not guessed: a row left `sending` by a crash, or whose send ended without
 *   a final answer, becomes `unknown`, and only a person moves it on ({@link retryMessages} with
 *   `confirmNotSent`, {@link confirmSent} or {@link discardMessages}). Nothing here resends it.
 * - A retry reuses the row's Message-ID (RFC 5322 §3.6.4), so if an `unknown` message did arrive
 *   after all, mail clients that de-duplicate by Message-ID show one copy.
 *
 * All instants (`now`) are ISO 8601 strings from the injected clock. All functions are synchronous
 * SQL except {@link sendApproved}.
 */
import type { Db } from '../store/db';
import type { Channel, MessageStatus } from '../../shared/domain';
import { AppError } from '../../shared/result';
import { isTransportError, TransportError, type MessageTransport, type OutgoingMessage } from './transport';

/** One `messages` row, camel-cased. `facts` and `produced_by` are the drafting side's business and left out. */
export interface OutboxMessage {
  id: number;
  backorderId: number | null;
  orderId: string;
  stepId: string;
  channel: Channel;
  toAddress: string;
  subject: string;
  body: string;
  status: MessageStatus;
  idempotencyKey: string;
  messageId: string;
  attempts: number;
  lastError: string | null;
  providerResponse: string | null;
  createdAt: string;
  updatedAt: string;
  approvedAt: string | null;
  sentAt: string | null;
}

interface MessageDbRow {
  id: number;
  backorder_id: number | null;
  order_id: string;
  step_id: string;
  channel: Channel;
  to_address: string;
  subject: string;
  body: string;
  status: MessageStatus;
  idempotency_key: string;
  message_id: string;
  attempts: number;
  last_error: string | null;
  provider_response: string | null;
  created_at: string;
  updated_at: string;
  approved_at: string | null;
  sent_at: string | null;
}

const COLUMNS =
  'id, backorder_id, order_id, step_id, channel, to_address, subject, body, status, idempotency_key, message_id, ' +
  'attempts, last_error, provider_response, created_at, updated_at, approved_at, sent_at';

function toMessage(r: MessageDbRow): OutboxMessage {
  return {
    id: r.id,
    backorderId: r.backorder_id,
    orderId: r.order_id,
    stepId: r.step_id,
    channel: r.channel,
    toAddress: r.to_address,
    subject: r.subject,
    body: r.body,
    status: r.status,
    idempotencyKey: r.idempotency_key,
    messageId: r.message_id,
    attempts: r.attempts,
    lastError: r.last_error,
    providerResponse: r.provider_response,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    approvedAt: r.approved_at,
    sentAt: r.sent_at,
  };
}

/** Reads one message, or null when there is no such id. */
export function getMessage(db: Db, id: number): OutboxMessage | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE id = ?`).get(id) as MessageDbRow | undefined;
  return row ? toMessage(row) : null;
}

/**
 * Outcome of a batch state change. Batch calls never fail half-way: each id is either changed or
 * listed in `unchanged` with the status it has and why it was left alone (e.g. a second click on
 * "approve" finds the rows already approved).
 */
export interface TransitionResult {
  changed: number[];
  unchanged: { id: number; status: MessageStatus | null; reason: string }[];
}

function checkIds(ids: readonly number[]): number[] {
  const out: number[] = [];
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('BAD_INPUT', `message id ${String(id)} is not a positive integer`);
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/**
 * Applies `apply` to every id whose current status `refuse` does not object to, all in one
 * IMMEDIATE transaction so a concurrent relay cannot move a row between the check and the write.
 * Each UPDATE repeats the status guard in its WHERE clause for the same reason.
 */
function transition(
  db: Db,
  ids: readonly number[],
  refuse: (status: MessageStatus) => string | null,
  apply: (id: number, status: MessageStatus) => boolean,
): TransitionResult {
  const list = checkIds(ids);
  const read = db.prepare('SELECT status FROM messages WHERE id = ?').pluck();
  return db
    .transaction((): TransitionResult => {
      const result: TransitionResult = { changed: [], unchanged: [] };
      for (const id of list) {
        const status = read.get(id) as MessageStatus | undefined;
        if (status === undefined) {
          result.unchanged.push({ id, status: null, reason: 'no such message' });
          continue;
        }
        const reason = refuse(status);
        if (reason !== null) {
          result.unchanged.push({ id, status, reason });
          continue;
        }
        if (apply(id, status)) result.changed.push(id);
        else result.unchanged.push({ id, status, reason: 'changed by someone else meanwhile' });
      }
      return result;
    })
    .immediate();
}

/**
 * draft → approved (sets `approved_at`). This is the person's "yes, send it"; only approved rows are
 * ever sent. Rows in any other status are reported in `unchanged`.
 * @throws AppError('BAD_INPUT') for an id that is not a positive integer.
 */
export function approveMessages(db: Db, ids: readonly number[], now: string): TransitionResult {
  const upd = db.prepare(
    "UPDATE messages SET status = 'approved', approved_at = ?, updated_at = ? WHERE id = ? AND status = 'draft'",
  );
  return transition(
    db,
    ids,
    (s) => (s === 'draft' ? null : s === 'approved' ? 'already approved' : `only drafts can be approved (it is ${s})`),
    (id) => upd.run(now, now, id).changes === 1,
  );
}

/**
 * approved → draft (clears `approved_at`): takes an approval back before the relay picks the row up,
 * so it can be edited. A row already `sending` or `sent` cannot be taken back.
 * @throws AppError('BAD_INPUT') for an id that is not a positive integer.
 */
export function unapproveMessages(db: Db, ids: readonly number[], now: string): TransitionResult {
  const upd = db.prepare(
    "UPDATE messages SET status = 'draft', approved_at = NULL, updated_at = ? WHERE id = ? AND status = 'approved'",
  );
  return transition(
    db,
    ids,
    (s) => (s === 'approved' ? null : `only approved messages can be taken back (it is ${s})`),
    (id) => upd.run(now, id).changes === 1,
  );
}

const DISCARDABLE: readonly MessageStatus[] = ['draft', 'approved', 'failed', 'unknown'];

/**
 * draft | approved | failed | unknown → discarded. Discarding an `unknown` row records the person's
 * decision to let it be (not that it was or was not delivered). `sending` and `sent` rows cannot be
 * discarded: the first is in the relay's hands, the second is history.
 * @throws AppError('BAD_INPUT') for an id that is not a positive integer.
 */
export function discardMessages(db: Db, ids: readonly number[], now: string): TransitionResult {
  const upd = db.prepare(
    "UPDATE messages SET status = 'discarded', updated_at = ? WHERE id = ? AND status IN ('draft','approved','failed','unknown')",
  );
  return transition(
    db,
    ids,
    (s) => (DISCARDABLE.includes(s) ? null : s === 'discarded' ? 'already discarded' : `a ${s} message cannot be discarded`),
    (id) => upd.run(now, id).changes === 1,
  );
}

/**
 * Rewrites the subject and body of a `draft` or `failed` message; the row is (back) in `draft` and
 * needs a new approval, because the person approved the old text, not this one.
 *
 * An `approved` message is refused, not silently un-approved: the relay may claim it at any moment,
 * so the caller takes the approval back first ({@link unapproveMessages}) and then edits.
 * `sending`, `sent`, `unknown` and `discarded` rows are refused too: what may already be in a
 * customer's inbox must keep the text it was sent with.
 *
 * @returns the updated message.
 * @throws AppError('BAD_INPUT') for an empty subject or body, or a subject with a line break.
 * @throws AppError('NOT_FOUND') when there is no such message.
 * @throws AppError('CONFLICT') when the message is in any status other than draft or failed.
 */
export function editDraft(db: Db, id: number, content: { subject: string; body: string }, now: string): OutboxMessage {
  checkIds([id]);
  const subject = content.subject.trim();
  if (!subject) throw new AppError('BAD_INPUT', 'The subject is empty.');
  // A line break in a header field would start a new header (RFC 5322 §2.2): refuse it here rather
  // than trusting the transport's encoder to neutralise it.
  if (/[\r\n]/.test(subject)) throw new AppError('BAD_INPUT', 'The subject must be a single line.');
  if (!content.body.trim()) throw new AppError('BAD_INPUT', 'The message text is empty.');

  return db
    .transaction((): OutboxMessage => {
      const current = getMessage(db, id);
      if (!current) throw new AppError('NOT_FOUND', `Message ${id} does not exist.`);
      if (current.status === 'approved') {
        throw new AppError('CONFLICT', `Message ${id} is approved and may be sent at any moment; take the approval back before editing it.`);
      }
      if (current.status !== 'draft' && current.status !== 'failed') {
        throw new AppError('CONFLICT', `Message ${id} is ${current.status}; only drafts and failed messages can be edited.`);
      }
      db.prepare(
        "UPDATE messages SET subject = ?, body = ?, status = 'draft', approved_at = NULL, updated_at = ? WHERE id = ? AND status IN ('draft','failed')",
      ).run(subject, content.body, now, id);
      return getMessage(db, id)!;
    })
    .immediate();
}

/**
 * failed → approved, and unknown → approved only with `confirmNotSent: true` — a person checked that
 * the message did not go out (the relay never makes that call). Sets `approved_at` to `now`: the
 * retry is a new approval. `attempts` and `last_error` are kept as history until the next attempt.
 * @throws AppError('BAD_INPUT') for an id that is not a positive integer.
 */
export function retryMessages(
  db: Db,
  ids: readonly number[],
  now: string,
  opts: { confirmNotSent?: boolean } = {},
): TransitionResult {
  const upd = db.prepare(
    "UPDATE messages SET status = 'approved', approved_at = ?, updated_at = ? WHERE id = ? AND status = ?",
  );
  return transition(
    db,
    ids,
    (s) => {
      if (s === 'failed') return null;
      if (s === 'unknown') {
        return opts.confirmNotSent === true
          ? null
          : 'it may have been delivered; retry it only after checking it did not go out (confirmNotSent)';
      }
      return `only failed or unknown messages can be retried (it is ${s})`;
    },
    (id, status) => upd.run(now, now, id, status).changes === 1,
  );
}

/**
 * unknown → sent: a person found the message delivered (in the Sent folder, or the customer has it).
 * `sent_at` is set to `now`, the moment of confirmation, because the real delivery time is not known.
 * @throws AppError('BAD_INPUT') for an id that is not a positive integer.
 */
export function confirmSent(db: Db, ids: readonly number[], now: string): TransitionResult {
  const upd = db.prepare(
    "UPDATE messages SET status = 'sent', sent_at = ?, provider_response = COALESCE(provider_response, 'confirmed delivered by a person'), updated_at = ? WHERE id = ? AND status = 'unknown'",
  );
  return transition(
    db,
    ids,
    (s) => (s === 'unknown' ? null : `only messages with an unknown outcome can be confirmed as sent (it is ${s})`),
    (id) => upd.run(now, now, id).changes === 1,
  );
}

/**
 * Atomically moves the oldest `approved` message (lowest id) to `sending`, increments `attempts`, and
 * returns it; null when nothing is approved. Runs one guarded UPDATE … RETURNING inside
 * `BEGIN IMMEDIATE`, so of two relays racing on the same file exactly one gets each row (the other
 * waits for the write lock up to the connection's busy_timeout, then sees the row is no longer
 * approved).
 *
 * @param channels only claim messages of these channels (those the caller can actually send);
 *   default: every channel.
 * @throws SqliteError SQLITE_BUSY when another writer holds the lock beyond busy_timeout.
 */
export function claimNext(db: Db, now: string, channels?: readonly Channel[]): OutboxMessage | null {
  if (channels && channels.length === 0) return null;
  const channelFilter = channels ? ` AND channel IN (${channels.map(() => '?').join(',')})` : '';
  const stmt = db.prepare(
    `UPDATE messages SET status = 'sending', attempts = attempts + 1, updated_at = ?
     WHERE id = (SELECT id FROM messages WHERE status = 'approved'${channelFilter} ORDER BY id LIMIT 1)
       AND status = 'approved'
     RETURNING ${COLUMNS}`,
  );
  const row = db.transaction(() => stmt.get(now, ...(channels ?? [])) as MessageDbRow | undefined).immediate();
  return row ? toMessage(row) : null;
}

/**
 * At start-up, before any relay runs: every row still `sending` was handed to a transport by a
 * process that died (or was killed) before recording the answer. It may have been delivered, so it
 * becomes `unknown` with an explanation in `last_error`, and waits for a person.
 *
 * Assumes no other process is sending from this file right now (DESIGN.md: main is the only owner
 * of the database). Should one be, its eventual definite answer still lands: outcomes are recorded
 * over `unknown` as well as `sending` (see {@link sendApproved}).
 *
 * @returns the ids that became `unknown`.
 */
export function recoverInterrupted(db: Db, now: string): number[] {
  return db
    .transaction(
      () =>
        db
          .prepare(
            `UPDATE messages SET status = 'unknown', updated_at = ?,
               last_error = 'The app stopped while this message was being sent (attempt ' || attempts || ', started ' || updated_at || '), ' ||
                            'before the mail server''s answer was recorded. It may or may not have been delivered: ' ||
                            'check the Sent folder or ask the customer, then retry or confirm it.'
             WHERE status = 'sending'
             RETURNING id`,
          )
          .pluck()
          .all(now) as number[],
    )
    .immediate()
    .sort((a, b) => a - b);
}

/** Progress of one relay run. `total` = done + approved messages still waiting (others may add some). */
export interface SendProgress {
  total: number;
  done: number;
  sent: number;
  failed: number;
  unknown: number;
}

/** What happened to one claimed message. */
export interface SendResult {
  id: number;
  status: 'sent' | 'failed' | 'unknown';
  /** The classified error shown to the person; absent when sent. */
  error?: string;
  /**
   * False when the row had meanwhile been moved on by someone else (a person acted on it after a
   * start-up recovery), so this outcome was not written.
   */
  recorded: boolean;
}

/** Summary of a relay run. */
export interface SendSummary extends SendProgress {
  results: SendResult[];
  /**
   * Why the run ended before the outbox was empty: the signal was aborted, or the transport itself
   * failed (cannot connect, login refused) — the messages after it are left `approved` for the next run.
   */
  stopped: { reason: 'aborted' | 'transport'; message: string } | null;
}

/** Options of {@link sendApproved}. */
export interface SendApprovedOptions {
  /** The clock: ISO 8601 instant, called at every state change. */
  now: () => string;
  /** Sender per channel from the settings (`Shop <orders@shop.example>` for email). */
  from: Partial<Record<Channel, string>>;
  /** Called after every message, and once at the start. A throwing listener is ignored. */
  onProgress?: (p: SendProgress) => void;
  /**
   * Stops the run before the next claim. A message already handed to the transport is finished and
   * recorded: cutting it off mid-send would only turn a clear outcome into an `unknown` one.
   */
  signal?: AbortSignal;
}

const inFlight = new WeakMap<Db, Promise<SendSummary>>();

/**
 * The relay: claim → send → record, one message at a time, until no approved message of a
 * sendable channel is left. A channel is sendable when it has both a transport and a `from`;
 * approved messages of other channels stay `approved` and untouched.
 *
 * Outcomes: the transport's receipt → `sent` (sent_at, provider_response, last_error cleared);
 * TransportError `rejected`/`temporary` → `failed` (last_error); `unknown`, or anything thrown that
 * is not a TransportError (we cannot tell what happened) → `unknown`. A message failure does not
 * stop the batch; a transport failure (scope `connection`) marks that message failed and stops, so
 * a dead server or a wrong password is not hammered once per message.
 *
 * Single-flight per connection: a call while a run on the same `db` is in progress returns that
 * run's promise (its transports and options are used, the new ones ignored). Exactly-once does not
 * rest on this; it rests on {@link claimNext}.
 *
 * Results are written with a fence on `attempts`, over `sending` or `unknown`: a late definite answer
 * corrects a start-up recovery's `unknown`, but never overwrites a newer attempt.
 *
 * @throws AppError('BAD_INPUT') when a transport is registered under another channel than its own.
 * @throws the database error when a result cannot be written; the run stops at once and that row
 *   stays `sending` (→ `unknown` at the next start-up): sending on without a record is what must
 *   never happen.
 */
export function sendApproved(
  db: Db,
  transports: Partial<Record<Channel, MessageTransport>>,
  opts: SendApprovedOptions,
): Promise<SendSummary> {
  const running = inFlight.get(db);
  if (running) return running;
  const run = relay(db, transports, opts).finally(() => inFlight.delete(db));
  inFlight.set(db, run);
  return run;
}

async function relay(
  db: Db,
  transports: Partial<Record<Channel, MessageTransport>>,
  opts: SendApprovedOptions,
): Promise<SendSummary> {
  const channels: Channel[] = [];
  for (const ch of ['email', 'sms'] as const) {
    const t = transports[ch];
    if (!t) continue;
    if (t.channel !== ch) throw new AppError('BAD_INPUT', `The ${t.channel} transport was registered for ${ch}.`);
    if (opts.from[ch]) channels.push(ch);
  }

  const summary: SendSummary = { total: 0, done: 0, sent: 0, failed: 0, unknown: 0, results: [], stopped: null };
  const waiting = channels.length
    ? db.prepare(`SELECT count(*) FROM messages WHERE status = 'approved' AND channel IN (${channels.map(() => '?').join(',')})`).pluck()
    : null;
  const report = (): void => {
    summary.total = summary.done + (waiting ? (waiting.get(...channels) as number) : 0);
    try {
      opts.onProgress?.({ total: summary.total, done: summary.done, sent: summary.sent, failed: summary.failed, unknown: summary.unknown });
    } catch {
      // A broken progress listener must not stop (or half-record) messages a person approved.
    }
  };

  const recordSent = db.prepare(
    `UPDATE messages SET status = 'sent', sent_at = ?, provider_response = ?, last_error = NULL, updated_at = ?
     WHERE id = ? AND attempts = ? AND status IN ('sending','unknown')`,
  );
  const recordFailure = db.prepare(
    `UPDATE messages SET status = ?, last_error = ?, provider_response = ?, updated_at = ?
     WHERE id = ? AND attempts = ? AND status IN ('sending','unknown')`,
  );

  report();
  while (channels.length) {
    if (opts.signal?.aborted) {
      summary.stopped = { reason: 'aborted', message: 'Sending was stopped; the remaining messages are still approved.' };
      break;
    }
    const msg = claimNext(db, opts.now(), channels);
    if (!msg) break;
    const transport = transports[msg.channel]!;
    const outgoing: OutgoingMessage = {
      messageId: msg.messageId,
      from: opts.from[msg.channel]!,
      to: msg.toAddress,
      subject: msg.subject,
      text: msg.body,
    };

    let result: SendResult;
    let transportDown: TransportError | null = null;
    try {
      const receipt = await transport.send(outgoing);
      const at = opts.now();
      const recorded = recordSent.run(at, receipt.response, at, msg.id, msg.attempts).changes === 1;
      result = { id: msg.id, status: 'sent', recorded };
      summary.sent++;
    } catch (err) {
      const status = isTransportError(err) && err.kind !== 'unknown' ? 'failed' : 'unknown';
      const error = isTransportError(err)
        ? err.message
        : `The ${msg.channel} transport failed in an unexpected way (${err instanceof Error ? err.message : String(err)}); ` +
          'whether the message went out is not known.';
      const response = isTransportError(err) ? (err.response ?? null) : null;
      const recorded = recordFailure.run(status, error, response, opts.now(), msg.id, msg.attempts).changes === 1;
      result = { id: msg.id, status, error, recorded };
      if (status === 'failed') summary.failed++;
      else summary.unknown++;
      if (isTransportError(err) && err.scope === 'connection') transportDown = err;
      // An outcome we cannot know (the server went silent or dropped us after the content) says the
      // server is unwell: going on would turn every remaining message into another unknown one.
      else if (status === 'unknown') {
        transportDown = new TransportError(
          'unknown',
          `${error} Sending stopped here so the other approved messages are not put at the same risk; they are still approved.`,
          { scope: 'connection' },
        );
      }
    }
    summary.done++;
    summary.results.push(result);
    report();
    if (transportDown) {
      summary.stopped = { reason: 'transport', message: transportDown.message };
      break;
    }
  }
  summary.total = summary.done + (waiting ? (waiting.get(...channels) as number) : 0);
  return summary;
}
