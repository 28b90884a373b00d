/**
 * When the owner changes settings that drafts quote (store name, status and FAQ links, allowed
 * offers, the FTC wording, the From address), drafts nobody has touched yet are written again from
 * their stored facts, so the first drafts of a new install (unsigned and held back by the
 * store_name rule until the name is set) get the name once it is.
 * A draft a person edited (its text is no longer what the composer wrote) is left alone.
 */
import type { Settings } from '../../shared/contract';
import { composeDraft } from '../../core/drafts/composer';
import { draftFactsSchema, type DraftFacts } from '../../core/drafts/facts';
import type { SequenceFlow, TemplateId } from '../../core/sequence/flow';
import type { Db } from '../store/db';
import { makeMessageId } from './scheduler';

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
  let changed = 0;
  db.transaction(() => {
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
