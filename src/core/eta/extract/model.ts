/**
 * The hook through which a local language model may propose an ETA for text the rules cannot read.
 * The model is untrusted (DESIGN.md: inbound mail is data, never instructions), so whatever it
 * returns is validated here in code: the JSON schema below, real calendar days, start ≤ end, a
 * sentence that really occurs in the text, dates within two years of the sending day. A proposal
 * never counts as confident: its confidence is capped below the review threshold, so a person
 * always confirms it (task 'eta_low_confidence').
 */
import { z } from 'zod';
import { addDays, isIsoDate } from '../calendar';
import type { EtaExtraction, ExtractOptions } from '../types';
import { extractEta, LOW_CONFIDENCE } from './index';

/** A model host that reads supplier text and answers JSON following {@link modelEtaSchema}. */
export interface EtaExtractorModel {
  extract(text: string): Promise<unknown>;
}

const isoDay = z.string().refine(isIsoDate, 'not a date-only ISO string');

/** What the model must answer (also given to it as its JSON schema). */
export const modelEtaSchema = z.strictObject({
  kind: z.enum(['date', 'range', 'unknown']),
  start: isoDay.nullable(),
  end: isoDay.nullable(),
  isShipDate: z.boolean(),
  confidence: z.number().min(0).max(1),
  sentence: z.string().max(1000),
});

/** Highest confidence a model proposal may carry: always below the review threshold. */
export const MODEL_CONFIDENCE_CAP = Math.round((LOW_CONFIDENCE - 0.1) * 100) / 100;

/**
 * Validates a model's answer for `text`. Returns the extraction, or null with the reasons when the
 * answer is unusable (then the rules' own result stands).
 */
export function validateModelEta(raw: unknown, text: string, o: ExtractOptions): { ok: true; value: EtaExtraction } | { ok: false; reasons: string[] } {
  const parsed = modelEtaSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reasons: parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`) };
  const p = parsed.data;
  const reasons: string[] = [];
  const squash = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();
  if (!p.sentence.trim() || !squash(text).includes(squash(p.sentence))) reasons.push('sentence: not found in the text');
  if (p.kind === 'unknown') {
    if (p.start !== null || p.end !== null) reasons.push('start/end: must be null when kind is unknown');
  } else {
    if (p.start === null || p.end === null) reasons.push('start/end: required for a date or range');
    else {
      if (p.start > p.end) reasons.push('end: before start');
      if (p.kind === 'date' && p.start !== p.end) reasons.push('kind: a date has start = end');
      if (p.start < addDays(o.sent, -365) || p.end > addDays(o.sent, 730)) reasons.push('start/end: implausibly far from the day the text was sent');
      if (p.start === o.sent && p.end === o.sent) reasons.push("start: the text's own date is not an ETA");
    }
  }
  if (reasons.length) return { ok: false, reasons };
  const transit = p.isShipDate ? (o.transitDays ?? 0) : 0;
  return {
    ok: true,
    value: {
      kind: p.kind,
      start: p.start,
      end: p.end,
      isShipDate: p.isShipDate,
      arrivalStart: p.start === null ? null : addDays(p.start, transit),
      arrivalEnd: p.end === null ? null : addDays(p.end, transit),
      confidence: Math.min(p.confidence, MODEL_CONFIDENCE_CAP),
      sentence: p.sentence.trim(),
      rule: 'model',
      ambiguousDayMonth: false,
      notes: ['proposed by the local language model; a person confirms it'],
    },
  };
}

/**
 * Rules first; when they read nothing (rule 'none') and a model is given, its validated proposal.
 * A model error or an invalid answer leaves the rules' result, with the reason in `notes`.
 */
export async function extractEtaWithModel(text: string, o: ExtractOptions, model?: EtaExtractorModel): Promise<EtaExtraction> {
  const byRules = extractEta(text, o);
  if (!model || byRules.rule !== 'none') return byRules;
  let raw: unknown;
  try {
    raw = await model.extract(text);
  } catch (err) {
    return { ...byRules, notes: [...byRules.notes, `the language model failed: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const v = validateModelEta(raw, text, o);
  return v.ok ? v.value : { ...byRules, notes: [...byRules.notes, `the language model's answer was refused: ${v.reasons.join('; ')}`] };
}
