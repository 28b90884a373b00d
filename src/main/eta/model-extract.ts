/**
 * The local model as an ETA reader for supplier text the rules cannot read
 * (core/eta/extract/model.ts EtaExtractorModel), over the model host's `extract` operation
 * (src/main/llm/host.ts: JSON-schema-constrained generation, the supplier's text quoted as data).
 *
 * The host answers strings per field; they are turned into the shape of `modelEtaSchema` here and
 * nothing more — every check (schema, real days, start ≤ end, the sentence really in the text, the
 * confidence capped below the review threshold) is validateModelEta's, in code, never the model's.
 */
import type { EtaExtractorModel } from '../../core/eta/extract/model';

/** The part of the model host this needs. */
export interface FieldExtractor {
  /** Values of `fields` found in `text`; '' when absent. @throws when the model fails */
  extract(text: string, fields: Readonly<Record<string, string>>): Promise<Record<string, string>>;
}

const FIELDS = {
  kind: 'one of: date (one day), range (two days), unknown (the text says there is no date yet)',
  start: 'first day of the expected shipping or arrival, as YYYY-MM-DD, or ""',
  end: 'last day, as YYYY-MM-DD (same as start for one day), or ""',
  isShipDate: 'true if the date is when the goods ship or leave, false if when they arrive',
  confidence: 'how sure you are, a number from 0 to 1',
  sentence: 'the sentence of the text that states it, copied exactly',
} as const;

/** Adapts a field extractor (the loaded model) to EtaExtractorModel (see module doc). */
export function modelEtaExtractor(host: FieldExtractor): EtaExtractorModel {
  return {
    async extract(text) {
      const f = await host.extract(text, FIELDS);
      const day = (v: string | undefined): string | null => (v && v.trim() ? v.trim() : null);
      const confidence = Number(f.confidence);
      return {
        kind: (f.kind ?? '').trim().toLowerCase(),
        start: day(f.start),
        end: day(f.end) ?? day(f.start),
        isShipDate: /^true$/i.test((f.isShipDate ?? '').trim()),
        confidence: Number.isFinite(confidence) ? confidence : -1, // an unreadable number fails the schema
        sentence: f.sentence ?? '',
      };
    },
  };
}
