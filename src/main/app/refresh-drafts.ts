/**
 * When the owner changes settings that drafts quote (store name, status and FAQ links, allowed
 * offers, the FTC wording, the From address), drafts nobody has touched yet are written again from
 * their stored facts, so the first drafts of a new install (unsigned and held back by the
 * store_name rule until the name is set) get the name once it is. That holds for the sequence's
 * composer drafts and for the drafted answers to customers' replies (core/triage/answer.ts, from
 * the reply's stored triage).
 * A draft a person edited (its text is no longer what its writer wrote) is left alone.
 */
import type { Settings } from '../../shared/contract';
import { z } from 'zod';
import { composeDraft } from '../../core/drafts/composer';
import { draftReplyAnswer } from '../../core/triage/answer';
import { INTENT_KINDS, type IntentKind } from '../../core/triage/types';
import { draftFactsSchema, type DraftFacts } from '../../core/drafts/facts';
import type { SequenceFlow, TemplateId } from '../../core/sequence/flow';
import type { Db } from '../store/db';
import { makeMessageId } from './scheduler';

/** The parts of a stored Triage (src/core/triage/types.ts) an answer is written from. */
const storedTriageSchema = z.object({
  needsPerson: z.boolean(),
  intents: z.array(z.object({ kind: z.enum(INTENT_KINDS as [IntentKind, ...IntentKind[]]) })),
});

/** Facts that come from settings, recomputed for `settings`. */
function settingsFacts(f: DraftFacts, settings: Settings): DraftFacts {
  const orderNumber = f.orderName.replace(/^#/, '');
  const statusUrl = settings.statusUrlTemplate ? settings.statusUrlTemplate.replaceAll('{order}', encodeURIComponent(orderNumber)) : undefined;
  const { statusUrl: _s, faqUrl: _f, storeName: _n, ...rest } = f;
  return {
    ...rest,
    ...(settings.storeName ? { storeName: settings.storeName } : {}),
    ...(statusUrl ? { statusUrl } : {}),
    ...(settings.faqUrl ? { faqUrl: settings.faqUrl } : {}),
    allowedOffers: [...settings.allowedOffers, ...(f.cancelOffer ? ['full refund'] : [])],
    ftc: settings.ftcMailOrderRule,
  };
}

/**
 * Re-composes untouched composer drafts with the current settings.
 * @returns how many drafts were rewritten.
 */
export function refreshUntouchedDrafts(db: Db, flow: SequenceFlow, settings: Settings, now: string): number {
  const templateOf = new Map<string, TemplateId>();
  for (const step of flow.steps) {
    const draft = step.actions.find((a) => a.type === 'draft');
    if (draft?.type === 'draft') templateOf.set(step.id, draft.template);
  }
  const rows = db
    .prepare("SELECT id, step_id AS stepId, channel, subject, body, facts, idempotency_key AS k FROM messages WHERE status = 'draft' AND produced_by = 'composer'")
    .all() as { id: number; stepId: string; channel: 'email' | 'sms'; subject: string; body: string; facts: string; k: string }[];
  const update = db.prepare(
    "UPDATE messages SET subject = ?, body = ?, facts = ?, message_id = ?, updated_at = ? WHERE id = ? AND status = 'draft' AND body = ?",
  );
  // Answers to replies: written from the reply's triage (reply_triage.triage), keyed '…:reply:<mail id>:email'.
  const answers = db
    .prepare(
      `SELECT m.id, m.subject, m.body, m.facts, m.idempotency_key AS k, t.triage FROM messages m
         JOIN reply_triage t ON t.mail_id = CAST(substr(m.idempotency_key, instr(m.idempotency_key, ':reply:') + 7) AS INTEGER)
        WHERE m.status = 'draft' AND m.step_id = 'reply_answer' AND m.produced_by = 'reply-triage'`,
    )
    .all() as { id: number; subject: string; body: string; facts: string; k: string; triage: string }[];
  let changed = 0;
  db.transaction(() => {
    for (const r of answers) {
      const parsed = draftFactsSchema.safeParse(JSON.parse(r.facts));
      const triage = storedTriageSchema.safeParse(JSON.parse(r.triage));
      if (!parsed.success || !triage.success) continue;
      const before = draftReplyAnswer(triage.data, parsed.data, r.subject);
      if (!before || before.body !== r.body || before.subject !== r.subject) continue; // a person's edit wins
      const facts = settingsFacts(parsed.data, settings);
      const after = draftReplyAnswer(triage.data, facts, r.subject);
      if (!after || (after.body === r.body && after.subject === r.subject)) continue;
      changed += update.run(after.subject, after.body, JSON.stringify(facts), makeMessageId(r.k, settings.fromAddress), now, r.id, r.body).changes;
    }
    for (const r of rows) {
      const template = templateOf.get(r.stepId);
      const parsed = draftFactsSchema.safeParse(JSON.parse(r.facts));
      if (!template || !parsed.success) continue;
      const before = composeDraft(template, r.channel, parsed.data);
      if (before.body !== r.body || before.subject !== r.subject) continue; // a person's edit wins
      const facts = settingsFacts(parsed.data, settings);
      const after = composeDraft(template, r.channel, facts);
      if (after.body === r.body && after.subject === r.subject) continue;
      changed += update.run(after.subject, after.body, JSON.stringify(facts), makeMessageId(r.k, settings.fromAddress), now, r.id, r.body).changes;
    }
  }).immediate();
  return changed;
}
