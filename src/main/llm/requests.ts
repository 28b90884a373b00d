/**
 * The drafting request for a stored draft (`messages` row): what the model is asked to rewrite.
 *
 * - A sequence step's draft: the step's template (the flow step's draft action), the facts stored
 *   with the message; the composer's draft is the example and the fallback.
 * - The answer to a customer's reply (`step_id = 'reply_answer'`, written by src/main/replies from
 *   core/triage/answer.ts): the stored answer is the example and the fallback (`reply-triage`), and
 *   the reply it answers — `inbound_mail.new_text`, what the customer wrote now — goes in as
 *   untrusted quoted data (core/llm/untrusted.ts), never as instructions. The reply is found through
 *   the answer's idempotency key, `<backorder or order>:reply:<inbound_mail.id>:email`
 *   (src/main/replies/handle.ts).
 */
import { DRAFT_STEP_IDS, type DraftStepId } from '../../core/drafts/composer';
import { draftFactsSchema } from '../../core/drafts/facts';
import type { DraftRequest } from '../../core/llm/prompt';
import type { SequenceFlow } from '../../core/sequence/flow';
import type { Channel } from '../../shared/domain';
import type { Db } from '../store/db';

/** The columns of a stored draft the request is built from. */
export interface StoredDraft {
  id: number;
  stepId: string;
  channel: Channel;
  /** JSON DraftFacts. */
  facts: string;
  subject: string;
  body: string;
  idempotencyKey: string;
}

/** Step id of the drafted answer to a customer's reply. */
export const REPLY_ANSWER_STEP = 'reply_answer';
/** `produced_by` of a reply answer nobody and no model has rewritten. */
export const REPLY_ANSWER_PRODUCER = 'reply-triage';

/** Draft template of a flow step: the step's draft action, or the step id itself if it is one. */
function templateOf(flow: SequenceFlow, stepId: string): DraftStepId | null {
  const step = flow.steps.find((s) => s.id === stepId);
  for (const a of step?.actions ?? []) if (a.type === 'draft') return a.template;
  return (DRAFT_STEP_IDS as readonly string[]).includes(stepId) ? (stepId as DraftStepId) : null;
}

/** The inbound_mail id in a reply answer's idempotency key, or null. */
export function replyMailId(idempotencyKey: string): number | null {
  const m = /:reply:(\d+):/.exec(idempotencyKey);
  return m ? Number(m[1]) : null;
}

/**
 * The request for `row`, or null when it is not something the model drafts (an unknown step,
 * facts that no longer parse, a reply answer whose reply is gone).
 */
export function storedDraftRequest(db: Db, flow: SequenceFlow, row: StoredDraft): DraftRequest | null {
  let json: unknown;
  try {
    json = JSON.parse(row.facts);
  } catch {
    return null;
  }
  const facts = draftFactsSchema.safeParse(json);
  if (!facts.success) return null;
  if (row.stepId === REPLY_ANSWER_STEP) {
    const mailId = replyMailId(row.idempotencyKey);
    const reply = mailId === null ? undefined : (db.prepare('SELECT new_text FROM inbound_mail WHERE id = ?').pluck().get(mailId) as string | undefined);
    if (reply === undefined) return null;
    return {
      stepId: REPLY_ANSWER_STEP,
      channel: row.channel,
      facts: facts.data,
      untrusted: [{ kind: 'customer_reply', text: reply }],
      example: { subject: row.subject, body: row.body, producedBy: REPLY_ANSWER_PRODUCER },
    };
  }
  const template = templateOf(flow, row.stepId);
  return template ? { stepId: template, channel: row.channel, facts: facts.data } : null;
}
