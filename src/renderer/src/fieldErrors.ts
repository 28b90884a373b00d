/**
 * Form checks that speak plainly: the contract's own zod schemas decide what is valid (one source
 * of truth with the core), and each failing field gets one sentence written for a person, instead
 * of zod's "storeName: Too small: expected string to have >=1 characters".
 */
import type { ZodType } from 'zod';

/** Problems by form field, each a sentence for a person; empty when the input is valid. */
export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/**
 * Checks `value` against `schema` and reports every failing field at once. `fieldOf` maps an
 * issue's path (e.g. "smtp.port") to the form field it belongs to, `sentences` gives that field's
 * sentence. An issue on a path with no field (a form bug, not a typing slip) is named under `form`.
 */
export function checkFields<K extends string>(
  schema: ZodType,
  value: unknown,
  fieldOf: (path: string) => K | undefined,
  sentences: Record<K, string>,
): { fields: FieldErrors<K>; form: string | null } {
  const parsed = schema.safeParse(value);
  const fields: FieldErrors<K> = {};
  let form: string | null = null;
  if (parsed.success) return { fields, form };
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.');
    const field = fieldOf(path);
    if (field) fields[field] ??= sentences[field];
    else form ??= `Something in this form could not be saved (${path || 'input'}: ${issue.message}).`;
  }
  return { fields, form };
}

/**
 * The fields named in a core's BAD_INPUT message ("storeName: …; smtp.port: …", see
 * src/shared/result.ts toErrorShape), with their sentences; empty when the message names none.
 * Used when the core refuses what the renderer's own check let through.
 */
export function fieldsFromMessage<K extends string>(
  message: string,
  fieldOf: (path: string) => K | undefined,
  sentences: Record<K, string>,
): FieldErrors<K> {
  const out: FieldErrors<K> = {};
  for (const part of message.split('; ')) {
    const colon = part.indexOf(': ');
    const field = colon > 0 ? fieldOf(part.slice(0, colon)) : undefined;
    if (field) out[field] ??= sentences[field];
  }
  return out;
}
