/**
 * One draft, by the model if it can and by the composer otherwise.
 *
 * The model's answers are untrusted: each attempt (the first and the one retry the host makes) is
 * parsed and checked here with checkModelAnswer — the JSON shape, then every rule of the validator —
 * whatever the host process concluded. The first attempt that passes is the draft; if none does, or
 * the host fails (no model, timeout, crash), the template draft is used — the composer's, or for a
 * reply answer the one core/triage/answer.ts wrote — and the reason recorded in `producedBy`
 * (producer.ts).
 */
import { checkModelAnswer } from '../../core/llm/output';
import { templateDraft, type DraftRequest } from '../../core/llm/prompt';
import { fallbackProducer, modelProducer } from '../../core/llm/producer';
import type { ModelHost } from './host';
import type { DraftAttempt } from './protocol';

/** The draft to store and what produced it. */
export interface DraftOutcome {
  subject: string;
  body: string;
  /** For messages.produced_by. */
  producedBy: string;
  /** Full SHA-256 of the model file when the model's draft is used, else null. */
  modelSha256: string | null;
  /** Why the composer's draft is used although a model was asked; null otherwise. */
  fallbackReason: string | null;
  attempts: DraftAttempt[];
}

/**
 * Drafts `req` with `host` if a model is ready, else with the composer. Never throws for a model
 * failure: that becomes the composer's draft with the reason.
 */
export async function draftMessage(host: ModelHost | null, req: DraftRequest): Promise<DraftOutcome> {
  const { producedBy: template, ...composed } = templateDraft(req);
  const fallback = (reason: string | null, attempts: DraftAttempt[] = []): DraftOutcome => ({
    ...composed,
    producedBy: reason === null ? template : fallbackProducer(reason, template),
    modelSha256: null,
    fallbackReason: reason,
    attempts,
  });
  const status = host?.status();
  if (!host || !status || status.state === 'none') return fallback(null);
  if (status.state !== 'ready' || !status.model) {
    return fallback(status.state === 'failed' ? status.reason ?? 'the model failed' : 'the model is still loading');
  }
  const model = status.model;
  let attempts: DraftAttempt[];
  try {
    attempts = await host.draft(req);
  } catch (err) {
    return fallback(err instanceof Error ? err.message : String(err));
  }
  let last = 'no answer';
  for (const a of attempts) {
    const checked = checkModelAnswer(a.raw, req);
    if (checked.ok) {
      return {
        ...checked.draft,
        // A reply answer keeps the thread's "Re: …" subject, so it lands in the customer's thread.
        ...(req.stepId === 'reply_answer' ? { subject: composed.subject } : {}),
        producedBy: modelProducer(model.file, model.sha256),
        modelSha256: model.sha256,
        fallbackReason: null,
        attempts,
      };
    }
    last = checked.reason;
  }
  return fallback(`${attempts.length} attempt(s) refused; last: ${last}`, attempts);
}
