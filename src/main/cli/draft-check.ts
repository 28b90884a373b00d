/**
 * `backorder-desk draft check`: validates a draft text against FACTS.json with the same validator
 * every draft passes before it can be approved.
 */
import { draftFactsSchema } from '../../core/drafts/facts';
import { validateDraft } from '../../core/drafts/validator';
import type { DraftViolation } from '../../shared/domain';
import { AppError } from '../../shared/result';

export interface DraftCheckResult {
  ok: boolean;
  violations: DraftViolation[];
}

/**
 * Parses the facts file and checks the text.
 * @throws AppError('BAD_INPUT') naming the facts file and the field when FACTS.json is not valid.
 */
export function draftCheck(factsJson: string, factsFile: string, channel: 'email' | 'sms', text: string, subject?: string): DraftCheckResult {
  let raw: unknown;
  try {
    raw = JSON.parse(factsJson);
  } catch (err) {
    throw new AppError('BAD_INPUT', `${factsFile}: not valid JSON (${(err as Error).message})`);
  }
  const facts = draftFactsSchema.safeParse(raw);
  if (!facts.success) {
    const detail = facts.error.issues.map((i) => `field "${i.path.join('.') || '(root)'}": ${i.message}`).join('; ');
    throw new AppError('BAD_INPUT', `${factsFile}: ${detail}`);
  }
  const violations = validateDraft({ channel, text, facts: facts.data, ...(subject !== undefined ? { subject } : {}) });
  return { ok: violations.length === 0, violations };
}
