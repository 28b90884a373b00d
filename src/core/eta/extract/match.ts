/**
 * Finds which variants a piece of supplier text is about: by SKU (a whole token, case-insensitive),
 * by PO number ("PO 4711", "PO#: A-12", "purchase order 4711") through the merchant's POs, and by
 * product title (the whole title, case-insensitive). SKUs are the strongest evidence, titles the
 * weakest; the result lists each variant once with the best evidence.
 */

export interface VariantRef {
  id: string;
  sku: string | null;
  /** Product title plus variant title, as the merchant's store has them. */
  title: string;
}

export interface PurchaseOrderRef {
  poNumber: string;
  variantIds: string[];
}

export interface VariantMatch {
  variantId: string;
  by: 'sku' | 'po' | 'title';
  /** The text that matched. */
  evidence: string;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** PO numbers mentioned in `text`. */
export function poNumbers(text: string): string[] {
  const out = new Set<string>();
  const re = /\b(?:P\.?O\.?|purchase order)\s*(?:no\.?|number|nr\.?|#)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{2,})\b/gi;
  for (const m of text.matchAll(re)) out.add(m[1]!.toUpperCase());
  return [...out];
}

/** Variants `text` names (see the module comment). */
export function matchVariants(text: string, variants: readonly VariantRef[], pos: readonly PurchaseOrderRef[] = []): VariantMatch[] {
  const found = new Map<string, VariantMatch>();
  const rank = { sku: 3, po: 2, title: 1 } as const;
  const add = (m: VariantMatch): void => {
    const prev = found.get(m.variantId);
    if (!prev || rank[m.by] > rank[prev.by]) found.set(m.variantId, m);
  };
  for (const v of variants) {
    if (v.sku && v.sku.trim().length >= 3) {
      const re = new RegExp(`(?<![A-Za-z0-9-])${escape(v.sku.trim())}(?![A-Za-z0-9-])`, 'i');
      const m = re.exec(text);
      if (m) add({ variantId: v.id, by: 'sku', evidence: m[0] });
    }
    if (v.title.trim().length >= 4) {
      const re = new RegExp(`\\b${escape(v.title.trim())}\\b`, 'i');
      const m = re.exec(text);
      if (m) add({ variantId: v.id, by: 'title', evidence: m[0] });
    }
  }
  const mentioned = new Set(poNumbers(text));
  for (const po of pos) {
    if (!mentioned.has(po.poNumber.toUpperCase())) continue;
    for (const id of po.variantIds) add({ variantId: id, by: 'po', evidence: `PO ${po.poNumber}` });
  }
  return [...found.values()];
}
