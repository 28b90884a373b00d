/**
 * A customer reply, once routed to its order: triaged, recorded, and turned into what a person must
 * see. In one transaction per reply:
 * 1. the triage is stored (`reply_triage`, one row per inbound mail, so handling twice is a no-op);
 * 2. a 'reply' backorder event is recorded for the backorder it is about;
 * 3. the flow's reply steps open escalation tasks (replyEscalations), each with its context,
 *    priority and, where one fits, a prepared draft, and pause the backorder's sequence;
 * 4. a reply that needs no person and opened no task gets a drafted answer in the review queue.
 * A reply to a US store's FTC consent request (a second delay, 16 CFR 435.2(b)(2)) is also read as
 * its answer (core/triage/consent.ts) and recorded: consent to wait lets the sequence go on; a cancel
 * request has the flow's cancel task; anything unclear opens an `ftc_consent_unclear` task, because
 * only an explicit agreement to wait is consent.
 *
 * The reply is untrusted data: it is read, stored and shown, never followed. Answers go to the
 * order's own email address, not to whoever wrote, so a stranger who puts "#1042" in a subject
 * cannot get someone else's order status sent to them.
 */
import type { Settings } from '../../shared/contract';
import { draftReplyAnswer, prepareTaskDraft } from '../../core/triage/answer';
import { replyEscalations, TASK_PRIORITY } from '../../core/triage/escalate';
import { readConsentAnswer, type ConsentAnswer } from '../../core/triage/consent';
import type { Triage } from '../../core/triage/types';
import { disabledTasksOf, type SequenceRules } from '../../core/sequence/engine';
import type { SequenceFlow } from '../../core/sequence/flow';
import type { Db } from '../store/db';
import { makeMessageId } from '../app/scheduler';
import { loadReplyContext } from './facts';
import { openConsentRequest, recordConsentAnswer } from '../app/ftc-consent';

/** A routed customer reply as the handler needs it. */
export interface RoutedReply {
  /** inbound_mail row id. */
  mailId: number;
  orderId: string;
  backorderId: number | null;
  from: string;
  subject: string;
  /** What the customer wrote now (quoted history already removed by the mail parser). */
  newText: string;
  /**
   * Linked only by the order number in its subject, from an address that is not the order's
   * (route.ts rule 5): not taken as the customer's words, see {@link handleCustomerReply}.
   */
  senderMismatch?: boolean;
}

/** What handling one reply did. */
export interface ReplyHandled {
  mailId: number;
  orderName: string | null;
  duplicate: boolean;
  triage: Triage;
  tasks: { id: number; kind: string }[];
  /** How the reply answered an open FTC consent request; null when none was open. */
  consent?: ConsentAnswer | null;
  /** The drafted answer's message id, when one was queued. */
  answerMessageId: number | null;
}

/** The owner's thresholds and switches as the engine reads them. */
export function sequenceRulesOf(settings: Settings): SequenceRules {
  return {
    highValueThresholdMinor: settings.highValueThresholdMinor,
    etaLimitDays: settings.etaLimitDays,
    disabledTasks: disabledTasksOf(settings.escalationRules),
  };
}

/** Task kind for a reply about an order from someone who may not be its customer. */
export const SENDER_NOT_CUSTOMER_TASK = 'sender_not_customer';

/**
 * Handles one routed reply with an already computed triage (see module doc). Synchronous: the
 * model, when there is one, is asked before this is called.
 *
 * A reply with `senderMismatch` (anyone can put "#3314" in a subject) has its triage stored and
 * opens one `sender_not_customer` task naming the real sender, and nothing else: no reply event,
 * no escalation taken as the customer's request (cancel, address change), no FTC consent answer,
 * no pause and no drafted answer, since all of those would act on a stranger's words.
 */
export function handleCustomerReply(db: Db, flow: SequenceFlow, settings: Settings, reply: RoutedReply, triage: Triage, now: string): ReplyHandled {
  const ctx = loadReplyContext(db, flow, settings, reply.orderId, reply.backorderId, now);
  const out: ReplyHandled = { mailId: reply.mailId, orderName: ctx?.orderName ?? null, duplicate: false, triage, tasks: [], answerMessageId: null };
  db.transaction(() => {
    const stored = db
      .prepare(
        `INSERT INTO reply_triage (mail_id, order_id, backorder_id, sentiment, confidence, needs_person, triage, outcome, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'recorded', ?) ON CONFLICT(mail_id) DO NOTHING`,
      )
      .run(reply.mailId, ctx ? reply.orderId : null, ctx?.backorderId ?? null, triage.sentiment, triage.confidence, triage.needsPerson ? 1 : 0, JSON.stringify(triage), now);
    if (stored.changes !== 1) {
      out.duplicate = true;
      return;
    }
    if (!ctx) return;
    if (reply.senderMismatch) {
      const context = {
        source: 'reply', stepId: null, mailId: reply.mailId, orderName: ctx.orderName, item: ctx.facts.itemName, segments: ctx.facts.segments,
        orderTotalMinor: ctx.base.orderValueMinor, from: reply.from, orderEmail: ctx.customerEmail, senderMismatch: true, subject: reply.subject,
        replyText: triage.text, sentiment: triage.sentiment, confidence: triage.confidence, intents: triage.intents, reasons: triage.reasons,
      };
      const info = db
        .prepare(
          `INSERT INTO tasks (backorder_id, order_id, kind, reason, recommended_action, context, dedupe_key, created_at, priority)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING`,
        )
        .run(
          ctx.backorderId, ctx.orderId, SENDER_NOT_CUSTOMER_TASK,
          `A message about order ${ctx.orderName} came from ${reply.from || 'an unknown sender'}, which is not the order's email${ctx.customerEmail ? ` (${ctx.customerEmail})` : ''}: the sender is not the order's customer. Nothing it asks for was done or drafted.`,
          `Check who wrote it before acting. If it is really the customer, confirm with them at ${ctx.customerEmail ?? "the order's email"} before changing, cancelling or answering anything.`,
          JSON.stringify(context), `reply:${reply.mailId}:${SENDER_NOT_CUSTOMER_TASK}`, now, 1,
        );
      if (info.changes) out.tasks.push({ id: Number(info.lastInsertRowid), kind: SENDER_NOT_CUSTOMER_TASK });
      db.prepare("UPDATE reply_triage SET outcome = 'escalated' WHERE mail_id = ?").run(reply.mailId);
      return;
    }
    const summary = { mailId: reply.mailId, sentiment: triage.sentiment, intents: triage.intents.map((i) => i.kind), needsPerson: triage.needsPerson };
    if (ctx.backorderId !== null) {
      db.prepare("INSERT INTO backorder_events (backorder_id, kind, at, data) VALUES (?, 'reply', ?, ?)").run(ctx.backorderId, now, JSON.stringify(summary));
    }

    const insertTask = db.prepare(
      `INSERT INTO tasks (backorder_id, order_id, kind, reason, recommended_action, context, dedupe_key, created_at, priority)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING`,
    );
    const answer = draftReplyAnswer(triage, ctx.facts, reply.subject);
    for (const e of replyEscalations(flow, triage, ctx.base, sequenceRulesOf(settings))) {
      const phone = triage.intents.find((i) => i.kind === 'call')?.phone;
      const draft = (e.task === 'swap_item' || e.task === 'address_change') && answer ? { subject: answer.subject, body: answer.body } : prepareTaskDraft(e.task, ctx.facts, reply.subject);
      const context = {
        source: 'reply',
        stepId: e.stepId,
        mailId: reply.mailId,
        orderName: ctx.orderName,
        item: ctx.facts.itemName,
        segments: ctx.facts.segments,
        orderTotalMinor: ctx.base.orderValueMinor,
        from: reply.from,
        subject: reply.subject,
        replyText: triage.text,
        sentiment: triage.sentiment,
        confidence: triage.confidence,
        intents: triage.intents,
        reasons: triage.reasons,
        ...(phone ? { phone } : {}),
        ...(draft ? { draft } : {}),
      };
      const info = insertTask.run(ctx.backorderId, ctx.orderId, e.task, e.reason, e.recommendedAction, JSON.stringify(context), `reply:${reply.mailId}:${e.task}`, now, e.priority);
      if (info.changes) out.tasks.push({ id: Number(info.lastInsertRowid), kind: e.task });
      if (e.pause && ctx.backorderId !== null) db.prepare('UPDATE backorders SET paused = 1 WHERE id = ?').run(ctx.backorderId);
    }

    const request = ctx.backorderId !== null ? openConsentRequest(db, settings, ctx.backorderId) : null;
    if (request && ctx.backorderId !== null) {
      const answer = readConsentAnswer(triage);
      out.consent = answer;
      recordConsentAnswer(db, ctx.backorderId, request.messageId, reply.mailId, answer, now);
      if (answer === 'unclear') {
        const context = {
          source: 'reply', stepId: 'ftc_consent_request', mailId: reply.mailId, orderName: ctx.orderName, item: ctx.facts.itemName,
          segments: ctx.facts.segments, orderTotalMinor: ctx.base.orderValueMinor, from: reply.from, subject: reply.subject,
          replyText: triage.text, sentiment: triage.sentiment, confidence: triage.confidence, intents: triage.intents, reasons: triage.reasons,
          consentRequestMessageId: request.messageId,
        };
        const info = insertTask.run(
          ctx.backorderId, ctx.orderId, 'ftc_consent_unclear',
          'The customer answered the FTC consent request (second delay, 16 CFR 435.2(b)(2)), but not clearly. Only an explicit agreement to wait is consent.',
          'Read the reply and ask the customer whether they will wait or want to cancel for a full refund. Without their consent by the deadline, the order is to be cancelled and refunded.',
          JSON.stringify(context), `reply:${reply.mailId}:ftc_consent_unclear`, now, TASK_PRIORITY.ftc_no_consent ?? 1,
        );
        if (info.changes) out.tasks.push({ id: Number(info.lastInsertRowid), kind: 'ftc_consent_unclear' });
        db.prepare('UPDATE backorders SET paused = 1 WHERE id = ?').run(ctx.backorderId);
      }
    }

    let outcome: 'escalated' | 'answer_drafted' | 'recorded' = out.tasks.length ? 'escalated' : 'recorded';
    if (!out.tasks.length && answer && ctx.customerEmail) {
      const key = `${ctx.backorderId ?? ctx.orderId}:reply:${reply.mailId}:email`;
      const info = db
        .prepare(
          `INSERT INTO messages (backorder_id, order_id, step_id, channel, to_address, subject, body, facts, status, idempotency_key, message_id,
              produced_by, created_at, updated_at)
           VALUES (?, ?, 'reply_answer', 'email', ?, ?, ?, ?, 'draft', ?, ?, 'reply-triage', ?, ?) ON CONFLICT(idempotency_key) DO NOTHING`,
        )
        .run(ctx.backorderId, ctx.orderId, ctx.customerEmail, answer.subject, answer.body, JSON.stringify(ctx.facts), key, makeMessageId(key, settings.fromAddress), now, now);
      if (info.changes) {
        out.answerMessageId = Number(info.lastInsertRowid);
        outcome = 'answer_drafted';
      }
    }
    db.prepare('UPDATE reply_triage SET outcome = ? WHERE mail_id = ?').run(outcome, reply.mailId);
  }).immediate();
  return out;
}
