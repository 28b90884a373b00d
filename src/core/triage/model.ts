/**
 * The local language model as a triage signal, when one is loaded. The model is asked for JSON that
 * matches `modelTriageJsonSchema` (node-llama-cpp's grammar-constrained JSON output takes a JSON
 * schema); its answer is validated with `modelTriageSchema` before it is used, and the reply text it
 * is given is untrusted data, never instructions.
 *
 * The rules stay authoritative for what they see (a cancel, a call, anger); the model can only add
 * caution: when it reads the reply as frustrated or angry, or finds a cancel or call the rules did
 * not, a person decides (its own intents carry at most 0.6 confidence).
 */
import { z } from 'zod';
import { INTENT_KINDS, SENTIMENTS, type IntentKind, type Sentiment, type Triage } from './types';

export const modelTriageSchema = z.strictObject({
  sentiment: z.enum(SENTIMENTS as [Sentiment, ...Sentiment[]]),
  intents: z.array(z.enum(INTENT_KINDS as [IntentKind, ...IntentKind[]])).max(6),
  confidence: z.number().min(0).max(1),
});
export type ModelTriage = z.infer<typeof modelTriageSchema>;

/** JSON schema of the model's answer (for grammar-constrained generation). */
export const modelTriageJsonSchema = {
  type: 'object',
  properties: {
    sentiment: { enum: [...SENTIMENTS] },
    intents: { type: 'array', items: { enum: [...INTENT_KINDS] }, maxItems: 6 },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
  },
  required: ['sentiment', 'intents', 'confidence'],
  additionalProperties: false,
} as const;

/** A loaded local model that reads one reply. Implemented by the LLM host; rejects on failure. */
export interface TriageModel {
  /** False while no model is loaded: the rules then decide alone and nothing is recorded. Default true. */
  ready?(): boolean;
  /** The model's answer for `replyText` (untrusted; quoted by the implementation), unvalidated. */
  classify(replyText: string): Promise<unknown>;
}

/**
 * Rules first, then the model as one more signal (combineWithModel), never failing the reply: an
 * answer that does not validate against `modelTriageSchema` is discarded and recorded in the
 * triage's reasons as `model.invalid_answer`; a model that throws (host crash, timeout) is recorded
 * as `model.failed`. Either way the rules' reading stands. With no model, or no model ready, or
 * nothing left to read, the rules' triage is returned as it is.
 */
export async function triageWithModel(rules: Triage, model: TriageModel | undefined): Promise<Triage> {
  if (!model || !rules.text || model.ready?.() === false) return rules;
  let answer: unknown;
  try {
    answer = await model.classify(rules.text);
  } catch {
    return { ...rules, reasons: [...rules.reasons, 'model.failed'] };
  }
  if (!modelTriageSchema.safeParse(answer).success) return { ...rules, reasons: [...rules.reasons, 'model.invalid_answer'] };
  return combineWithModel(rules, answer);
}

/**
 * Combines the rules' triage with the model's answer. An answer that does not validate is ignored
 * (the rules' triage is returned unchanged). The model never removes a need for a person.
 */
export function combineWithModel(rules: Triage, answer: unknown): Triage {
  const parsed = modelTriageSchema.safeParse(answer);
  if (!parsed.success) return rules;
  const m = parsed.data;
  const modelNegative = m.sentiment === 'frustrated' || m.sentiment === 'angry';
  const known = new Set(rules.intents.map((i) => i.kind));
  const extra = m.intents.filter((k) => !known.has(k)).map((kind) => ({ kind, confidence: Math.min(0.6, m.confidence) }));
  const modelNeedsPerson = modelNegative || extra.some((i) => i.kind === 'cancel' || i.kind === 'call');
  if (modelNeedsPerson && !rules.needsPerson) {
    return {
      ...rules,
      sentiment: modelNegative ? 'frustrated' : rules.sentiment,
      confidence: Math.min(0.6, m.confidence),
      intents: [...rules.intents, ...extra],
      needsPerson: true,
      reasons: [...rules.reasons, `model.${m.sentiment}`, 'doubt.model_disagrees'],
      source: 'rules+model',
    };
  }
  return { ...rules, intents: [...rules.intents, ...extra], reasons: [...rules.reasons, `model.${m.sentiment}`], source: 'rules+model' };
}
