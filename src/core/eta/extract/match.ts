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

const SKU_TOKEN = /[A-Za-z0-9-]+/g;
const WORD = /\w+/g;

/**
 * A matcher over a fixed list of variants, for reading many texts (a Gmail sync reads thousands):
 * the SKUs and titles are indexed once, so each text costs one pass over its tokens instead of a
 * regular expression per variant. Same rules as {@link matchVariants}.
 */
export function variantMatcher(variants: readonly VariantRef[]): (text: string, pos?: readonly PurchaseOrderRef[]) => VariantMatch[] {
  // SKUs made of token characters are found by looking each token of the text up; others (a space,
  // a dot, a slash in the SKU) keep the boundary regex — rare, and checked only when the text contains them.
  const skuIndex = new Map<string, string[]>();
  const oddSkus: { id: string; lower: string; re: RegExp }[] = [];
  // Titles by their sequence of words (what \\w+ finds, lower-cased): a text is looked up once per
  // position and title length, and only a hit is compared character by character.
  const titleIndex = new Map<string, { id: string; lower: string; endsInWord: boolean }[]>();
  const titleLengths = new Set<number>();
  const oddTitles: { id: string; lower: string; re: RegExp }[] = [];
  for (const v of variants) {
    const sku = v.sku?.trim() ?? '';
    if (sku.length >= 3) {
      if (/^[A-Za-z0-9-]+$/.test(sku)) skuIndex.set(sku.toLowerCase(), [...(skuIndex.get(sku.toLowerCase()) ?? []), v.id]);
      else oddSkus.push({ id: v.id, lower: sku.toLowerCase(), re: new RegExp(`(?<![A-Za-z0-9-])${escape(sku)}(?![A-Za-z0-9-])`, 'i') });
    }
    const title = v.title.trim();
    if (title.length >= 4) {
      const words = title.toLowerCase().match(/\w+/g) ?? [];
      if (/^\w/.test(title) && words.length) {
        const key = words.join(' ');
        titleIndex.set(key, [...(titleIndex.get(key) ?? []), { id: v.id, lower: title.toLowerCase(), endsInWord: /\w$/.test(title) }]);
        titleLengths.add(words.length);
      } else {
        oddTitles.push({ id: v.id, lower: title.toLowerCase(), re: new RegExp(`\\b${escape(title)}\\b`, 'i') });
      }
    }
  }

  return (text, pos = []) => {
    const found = new Map<string, VariantMatch>();
    const rank = { sku: 3, po: 2, title: 1 } as const;
    const add = (m: VariantMatch): void => {
      const prev = found.get(m.variantId);
      if (!prev || rank[m.by] > rank[prev.by]) found.set(m.variantId, m);
    };
    const lower = text.toLowerCase();
    // Positions below come from `lower`; a few Unicode letters change length when lower-cased, and
    // then the evidence is quoted from `lower` rather than misaligned with `text`.
    const source = lower.length === text.length ? text : lower;
    for (const m of text.matchAll(SKU_TOKEN)) {
      for (const id of skuIndex.get(m[0].toLowerCase()) ?? []) add({ variantId: id, by: 'sku', evidence: m[0] });
    }
    for (const o of oddSkus) {
      if (!lower.includes(o.lower)) continue;
      const m = o.re.exec(text);
      if (m) add({ variantId: o.id, by: 'sku', evidence: m[0] });
    }
    const words = [...lower.matchAll(WORD)];
    for (let i = 0; i < words.length; i++) {
      for (const n of titleLengths) {
        if (i + n > words.length) continue;
        const candidates = titleIndex.get(words.slice(i, i + n).map((w) => w[0]).join(' '));
        if (!candidates) continue;
        const at = words[i]!.index;
        for (const c of candidates) {
          if (!lower.startsWith(c.lower, at)) continue;
          const after = lower[at + c.lower.length];
          if (c.endsInWord && after !== undefined && /\w/.test(after)) continue;
          add({ variantId: c.id, by: 'title', evidence: source.slice(at, at + c.lower.length) });
        }
      }
    }
    for (const o of oddTitles) {
      if (!lower.includes(o.lower)) continue;
      const m = o.re.exec(text);
      if (m) add({ variantId: o.id, by: 'title', evidence: m[0] });
    }
    const mentioned = new Set(poNumbers(text));
    for (const po of pos) {
      if (!mentioned.has(po.poNumber.toUpperCase())) continue;
      for (const id of po.variantIds) add({ variantId: id, by: 'po', evidence: `PO ${po.poNumber}` });
    }
    return [...found.values()];
  };
}

/** Variants `text` names (see the module comment). For many texts, build one {@link variantMatcher}. */
export function matchVariants(text: string, variants: readonly VariantRef[], pos: readonly PurchaseOrderRef[] = []): VariantMatch[] {
  return variantMatcher(variants)(text, pos);
}
