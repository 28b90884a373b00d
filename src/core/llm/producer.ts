/**
 * What produced a draft, as stored in `messages.produced_by`: `composer` (no model; `reply-triage`
 * for the template answer to a customer's reply), `model:<file name>#sha256:<first 12 hex>` (a
 * model's draft that passed every rule), or `composer (model failed: <reason>)` (the model was asked
 * and its drafts were refused or it failed; `reply-triage (model failed: …)` for a reply answer).
 */

/** Reasons longer than this are cut in `produced_by`, which a person reads in a list. */
const REASON_MAX = 300;

/** Producer label of a model's draft. */
export function modelProducer(fileName: string, sha256: string): string {
  return `model:${fileName}#sha256:${sha256.slice(0, 12)}`;
}

/** Producer label of the template draft (`template`: composer by default) kept because the model failed for `reason`. */
export function fallbackProducer(reason: string, template = 'composer'): string {
  const r = reason.replace(/\s+/g, ' ').trim();
  return `${template} (model failed: ${r.length > REASON_MAX ? `${r.slice(0, REASON_MAX - 1)}…` : r})`;
}

/** True when `producedBy` names a model's draft. */
export function isModelProducer(producedBy: string): boolean {
  return producedBy.startsWith('model:');
}
