/**
 * Validation of Shopify replies against zod schemas, turning the first mismatch into a ShapeError
 * that names the field by its path in the reply (e.g. `orders.edges[3].node.lineItems`).
 */
import type { z } from 'zod';
import { ShapeError } from './errors';

/** `['orders','edges',3,'node']` → `orders.edges[3].node`. */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/**
 * Parses `value` with `schema`.
 * @param prefix path of `value` inside the reply, prepended to the field name of an error.
 * @throws ShapeError naming the first field that does not match.
 */
export function parseShape<S extends z.ZodType>(operation: string, schema: S, value: unknown, prefix = ''): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ShapeError(operation, fieldPath(issue?.path ?? [], prefix), issue?.message ?? 'invalid');
}
