/**
 * What the model may answer, and how an answer becomes a draft or is refused. Pure.
 *
 * Generation is constrained by `draftJsonSchema` (node-llama-cpp turns it into a GBNF grammar), but
 * the answer is still parsed and checked here as untrusted text: grammar sampling can stop early at
 * `maxTokens` (truncated JSON) and counts `maxLength` in its own way (../shared/STACK.md, JSON-schema
 * grammar quirks). Strings carry `maxLength` so generation cannot run on; no `integer` anywhere.
 */
import { z } from 'zod';
import type { Channel, DraftViolation } from '../../shared/domain';
import type { ComposedDraft } from '../drafts/composer';
import { hasInvisible } from '../drafts/invisible';
import { validateDraft, WORD_LIMITS } from '../drafts/validator';
import type { DraftRequest } from './prompt';

/** Longest subject, in characters. */
export const SUBJECT_MAX_CHARS = 100;
/**
 * Longest body per channel, in characters, from the word limit (validator WORD_LIMITS): six characters
 * a word (English averages under five letters and a space) plus 60 for a link or two — 960 by email,
 * 360 by SMS. The bound also keeps the grammar cheap: llama.cpp's cost per generated character of a
 * bounded JSON string grows with the bound (measured here: `{1,1100}` cost three times `*`).
 */
export const BODY_MAX_CHARS: Readonly<Record<Channel, number>> = {
  email: WORD_LIMITS.email * 6 + 60,
  sms: WORD_LIMITS.sms * 6 + 60,
};

/**
 * Most tokens one answer may take on `channel`, from its word limit (validator WORD_LIMITS: 150 words
 * by email, 50 by SMS): two tokens a word — English runs about 1.3 tokens a word with a 32k-or-larger
 * vocabulary, and dates, order numbers and links cost more — plus the JSON keys and, by email, the
 * subject. An answer that needs more is running on, and is cut (then refused as incomplete JSON).
 */
export function draftMaxTokens(channel: Channel): number {
  return WORD_LIMITS[channel] * 2 + (channel === 'email' ? 60 : 20);
}

/** JSON schema of the answer for `channel` (the GBNF subset node-llama-cpp supports). */
export function draftJsonSchema(channel: Channel): {
  type: 'object';
  properties: Record<string, { type: 'string'; minLength: number; maxLength: number }>;
  required: string[];
} {
  return channel === 'sms'
    ? { type: 'object', properties: { body: { type: 'string', minLength: 1, maxLength: BODY_MAX_CHARS.sms } }, required: ['body'] }
    : {
        type: 'object',
        properties: {
          subject: { type: 'string', minLength: 1, maxLength: SUBJECT_MAX_CHARS },
          body: { type: 'string', minLength: 1, maxLength: BODY_MAX_CHARS.email },
        },
        required: ['subject', 'body'],
      };
}

/**
 * A string of 1 to `max` characters counted as the grammar counts them — code points, so an emoji
 * (two UTF-16 units) the grammar let through is not refused here for its length.
 */
const answerText = (max: number): z.ZodType<string> =>
  z
    .string()
    .trim()
    .min(1)
    .refine((s) => [...s].length <= max, `at most ${max} characters`);

const emailAnswer = z.strictObject({
  subject: answerText(SUBJECT_MAX_CHARS).refine((s) => !/[\r\n]/.test(s), 'the subject must be one line'),
  body: answerText(BODY_MAX_CHARS.email),
});
const smsAnswer = z.strictObject({ body: answerText(BODY_MAX_CHARS.sms) });

/** Outcome of checking one model answer. */
export type CheckedAnswer =
  | { ok: true; draft: ComposedDraft }
  | { ok: false; reason: string; violations: DraftViolation[] };

/** Parses raw model output into a draft, or says why it is not one (bad JSON, wrong shape). */
export function parseModelAnswer(raw: string, channel: Channel): CheckedAnswer {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: raw.trim() === '' ? 'empty answer' : 'the answer is not complete JSON', violations: [] };
  }
  if (channel === 'sms') {
    const r = smsAnswer.safeParse(json);
    if (!r.success) return { ok: false, reason: `wrong answer shape: ${r.error.issues[0]?.message ?? 'invalid'}`, violations: [] };
    return { ok: true, draft: { subject: '', body: r.data.body } };
  }
  const r = emailAnswer.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    return { ok: false, reason: `wrong answer shape: ${i ? `${i.path.join('.') || 'answer'} ${i.message}` : 'invalid'}`, violations: [] };
  }
  return { ok: true, draft: { subject: r.data.subject, body: r.data.body } };
}

/**
 * Parses and validates one model answer for `req`: the JSON shape, then every content rule of
 * validateDraft with the request's inbound texts as `untrusted`. Invisible characters are refused
 * outright (the validator reports them too; the model has no reason to write any).
 */
export function checkModelAnswer(raw: string, req: DraftRequest): CheckedAnswer {
  const parsed = parseModelAnswer(raw, req.channel);
  if (!parsed.ok) return parsed;
  const { subject, body } = parsed.draft;
  const violations = validateDraft({
    channel: req.channel,
    text: body,
    facts: req.facts,
    ...(req.channel === 'email' ? { subject } : {}),
    untrusted: (req.untrusted ?? []).map((u) => u.text),
  });
  if (violations.length === 0 && !hasInvisible(subject + body)) return parsed;
  const first = violations[0];
  return {
    ok: false,
    reason: first ? `${violations.length} rule(s) broken, first ${first.rule}: ${first.detail}` : 'invisible characters',
    violations,
  };
}
