/**
 * The orders one import run stored, kept by the run when the orders table held none before it: then
 * they are every order there is, and the derived customers' facts (customers.ts) are summed from them
 * instead of read back from the table — about 150 ms of a 100,000-line first import.
 */

/** What the derived customer facts need of one stored order. */
export interface OrderFacts {
  email: string | null;
  customerName: string | null;
  phone: string | null;
  acceptsMarketing: number;
  currency: string;
  totalMinor: number;
  cancelledAt: string | null;
  /** ISO 8601 with offset, compared as text, as the table's created_at is. */
  createdAt: string;
}

/** SQLite's built-in lower(): ASCII letters only, as the orders_email_lower index folds emails. */
export const sqliteLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** The orders of a run as they were last written, in the order they were first inserted (rowid order). */
export class RunOrders {
  private readonly byId = new Map<string, OrderFacts>();

  /** Records order `id` as written now. The first record of an id fixes its place, as its rowid does. */
  record(id: string, facts: OrderFacts): void {
    this.byId.set(id, facts);
  }

  /**
   * The orders of each email (keyed by {@link sqliteLower}), newest first: by createdAt, then the one
   * inserted later — the order the table's read (created_at DESC, rowid DESC) gives.
   */
  byEmail(): Map<string, OrderFacts[]> {
    const out = new Map<string, { facts: OrderFacts; seq: number }[]>();
    let seq = 0;
    for (const facts of this.byId.values()) {
      seq += 1;
      if (facts.email === null) continue;
      const key = sqliteLower(facts.email);
      const list = out.get(key);
      if (list) list.push({ facts, seq });
      else out.set(key, [{ facts, seq }]);
    }
    const sorted = new Map<string, OrderFacts[]>();
    for (const [key, list] of out) {
      list.sort((a, b) => (a.facts.createdAt < b.facts.createdAt ? 1 : a.facts.createdAt > b.facts.createdAt ? -1 : b.seq - a.seq));
      sorted.set(key, list.map((x) => x.facts));
    }
    return sorted;
  }
}
