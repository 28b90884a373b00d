/**
 * The routing lookups (route.ts) on the app's SQLite database. Suppliers come from the supplier-ETA
 * work's table (migration 3, src/main/eta/suppliers.ts: `emails` and `domains` per supplier); a
 * sender matches a supplier's address exactly or its domain or a subdomain of it.
 */
import type { Db } from '../store/db';
import { listSuppliers } from '../eta/suppliers';
import { type OrderRef, type RouteContext, type SentRef, type SupplierDirectory, type SupplierRef } from './route';

/** A directory from a fixed list (tests, settings) of `{id, name, addresses: [address or domain]}`. */
export function staticSupplierDirectory(list: readonly { id: string; name: string; addresses: readonly string[] }[]): SupplierDirectory {
  const byAddress = new Map<string, SupplierRef>();
  const byDomain = new Map<string, SupplierRef>();
  for (const s of list) {
    for (const a of s.addresses) {
      const key = a.trim().toLowerCase().replace(/^@/, '');
      if (key.includes('@')) byAddress.set(key, { id: s.id, name: s.name });
      else if (key) byDomain.set(key, { id: s.id, name: s.name });
    }
  }
  return {
    byAddress(address) {
      const a = address.toLowerCase();
      const exact = byAddress.get(a);
      if (exact) return exact;
      let domain = a.slice(a.indexOf('@') + 1);
      // sales.acme.example matches a supplier registered as acme.example.
      while (domain.includes('.')) {
        const hit = byDomain.get(domain);
        if (hit) return hit;
        domain = domain.slice(domain.indexOf('.') + 1);
      }
      return null;
    },
  };
}

/** Supplier entries of the suppliers table (migration 3, src/main/eta/suppliers.ts): addresses and domains. */
export function suppliersFromDb(db: Db): { id: string; name: string; addresses: string[] }[] {
  return listSuppliers(db).map((s) => ({ id: String(s.id), name: s.name, addresses: [...s.emails, ...s.domains] }));
}

/** The supplier directory of the database (see module doc). Read once; build a new one after changes. */
export function dbSupplierDirectory(db: Db): SupplierDirectory {
  return staticSupplierDirectory(suppliersFromDb(db));
}

/** Routing lookups on the database (see route.ts for the rules they serve). */
export function dbRouteContext(db: Db, ownAddresses: readonly string[], suppliers: SupplierDirectory = dbSupplierDirectory(db)): RouteContext {
  const byMsgId = db.prepare('SELECT id, order_id, backorder_id FROM messages WHERE message_id = ?');
  const byThread = db.prepare(
    `SELECT m.id, m.order_id, m.backorder_id FROM gmail_outbound g JOIN messages m ON m.message_id = g.message_id
     WHERE g.thread_id = ? ORDER BY m.id DESC LIMIT 1`,
  );
  // An earlier reply in the same thread already linked to an order (the customer wrote twice) —
  // but not one flagged as from someone other than the customer (route.ts rule 5): otherwise the
  // stranger's second message in that thread would pass as a trusted reply.
  const byInboundThread = db.prepare(
    `SELECT order_id, backorder_id FROM inbound_mail WHERE thread_id = ? AND kind = 'customer_reply' AND order_id IS NOT NULL
       AND sender_mismatch = 0 ORDER BY id DESC LIMIT 1`,
  );
  // The order's own email, else its customer's: the address a subject-only match must come from.
  const orderByName = db.prepare('SELECT o.id, COALESCE(o.email, c.email) AS email FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE o.name = ?');
  const openBackorder = db.prepare('SELECT id FROM backorders WHERE order_id = ? ORDER BY closed_at IS NULL DESC, id DESC LIMIT 1').pluck();
  const toRef = (r: { id: number; order_id: string; backorder_id: number | null } | undefined): SentRef | null =>
    r ? { messageRowId: r.id, orderId: r.order_id, backorderId: r.backorder_id } : null;
  const withBrackets = (id: string): string => (id.startsWith('<') ? id : `<${id}>`);
  return {
    ownAddresses: ownAddresses.map((a) => a.toLowerCase()),
    suppliers,
    sentByMessageId(id) {
      const r = byMsgId.get(withBrackets(id)) ?? byMsgId.get(id.replace(/^<|>$/g, ''));
      return toRef(r as Parameters<typeof toRef>[0]);
    },
    sentByThreadId(threadId) {
      const sent = toRef(byThread.get(threadId) as Parameters<typeof toRef>[0]);
      if (sent) return sent;
      const prior = byInboundThread.get(threadId) as { order_id: string; backorder_id: number | null } | undefined;
      return prior ? { messageRowId: 0, orderId: prior.order_id, backorderId: prior.backorder_id } : null;
    },
    orderByName(name): OrderRef | null {
      const o = orderByName.get(name) as { id: string; email: string | null } | undefined;
      if (!o) return null;
      const email = o.email?.trim().toLowerCase() || null;
      return { orderId: o.id, backorderId: (openBackorder.get(o.id) as number | undefined) ?? null, email };
    },
  };
}
