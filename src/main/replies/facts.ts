/**
 * What the store knows about the order a reply is about, as the draft writers and the flow need it:
 * DraftFacts (only facts the store has; nothing invented) and the backorder's base facts.
 */
import type { Settings } from '../../shared/contract';
import type { DraftFacts } from '../../core/drafts/facts';
import { segmentsOf } from '../../core/segments';
import { nextTimelineStep, type BackorderFacts } from '../../core/sequence/engine';
import type { SequenceFlow } from '../../core/sequence/flow';
import type { Db } from '../store/db';
import { calendarDaysBetween, humanDay } from '../app/scheduler';

export interface ReplyContext {
  orderId: string;
  orderName: string;
  /** The backorder the reply is about: the one given, else the order's oldest open one; null if none. */
  backorderId: number | null;
  /** Where an answer goes: the order's own address (never just the sender's; see handle.ts). */
  customerEmail: string | null;
  facts: DraftFacts;
  base: BackorderFacts;
}

interface Row {
  orderName: string;
  total: number;
  createdAt: string;
  email: string | null;
  customerName: string | null;
  firstName: string | null;
  previousOrders: number;
  backorderId: number | null;
  openedAt: string | null;
  closedAt: string | null;
  lineName: string | null;
  quantity: number | null;
  quantityBackordered: number | null;
}

/** The current ETA range of a backorder from the supplier-ETA tables, or none (table absent or no estimate). */
export function currentEta(db: Db, backorderId: number): { start: string; end: string } | null {
  try {
    const r = db.prepare('SELECT start_date AS s, end_date AS e FROM backorder_eta WHERE backorder_id = ?').get(backorderId) as { s: string | null; e: string | null } | undefined;
    return r?.s && r.e ? { start: r.s, end: r.e } : null;
  } catch {
    // The supplier-ETA migration may not be part of this build; no estimate then.
    return null;
  }
}

/**
 * Loads the reply context. @returns null when the order does not exist.
 * `now` is an ISO instant; days are counted in the store's time zone.
 */
export function loadReplyContext(db: Db, flow: SequenceFlow, settings: Settings, orderId: string, backorderId: number | null, now: string): ReplyContext | null {
  const r = db
    .prepare(
      `SELECT o.name AS orderName, o.total_minor AS total, o.created_at AS createdAt, COALESCE(o.email, c.email) AS email,
              o.customer_name AS customerName, c.first_name AS firstName,
              MAX((SELECT count(*) FROM orders p WHERE p.id <> o.id AND p.created_at < o.created_at
                     AND ((o.customer_id IS NOT NULL AND p.customer_id = o.customer_id) OR (o.email IS NOT NULL AND lower(p.email) = lower(o.email)))),
                  COALESCE(c.total_orders - 1, 0)) AS previousOrders,
              b.id AS backorderId, b.opened_at AS openedAt, b.closed_at AS closedAt, li.name AS lineName, li.quantity,
              b.quantity_backordered AS quantityBackordered
         FROM orders o
         LEFT JOIN customers c ON c.id = o.customer_id
         LEFT JOIN backorders b ON b.id = COALESCE(?, (SELECT id FROM backorders WHERE order_id = o.id ORDER BY closed_at IS NOT NULL, id LIMIT 1))
         LEFT JOIN line_items li ON li.id = b.line_item_id
        WHERE o.id = ?`,
    )
    .get(backorderId, orderId) as Row | undefined;
  if (!r) return null;
  const segments = segmentsOf({ previousOrders: r.previousOrders, orderValueMinor: r.total }, settings);
  const recorded = r.backorderId === null ? new Set<string>() : new Set(db.prepare('SELECT step_id FROM step_firings WHERE backorder_id = ?').pluck().all(r.backorderId) as string[]);
  const next = r.openedAt ? nextTimelineStep(flow, { openedAt: r.openedAt, closedAt: r.closedAt, recorded }, now) : null;
  const eta = r.backorderId === null ? null : currentEta(db, r.backorderId);
  const firstName = r.firstName ?? r.customerName?.split(/\s+/)[0] ?? undefined;
  const facts: DraftFacts = {
    orderName: r.orderName,
    itemName: r.lineName ?? 'order',
    status: r.closedAt ? 'no longer backordered' : 'backordered',
    nextUpdate: next ? `by ${humanDay(next.dueAt, settings.timezone)}` : 'within 7 days',
    segments,
    previousOrders: r.previousOrders,
    // Unset ("") = no name to sign with; the store_name rule holds the draft back meanwhile.
    ...(settings.storeName ? { storeName: settings.storeName } : {}),
    orderAgeDays: calendarDaysBetween(r.createdAt, now, settings.timezone),
    ...(firstName ? { customerFirstName: firstName } : {}),
    ...(r.quantity !== null && r.quantityBackordered !== null ? { quantityOrdered: r.quantity, quantityBackordered: r.quantityBackordered } : {}),
    ...(eta ? { etaStart: eta.start, etaEnd: eta.end } : {}),
  };
  return {
    orderId,
    orderName: r.orderName,
    backorderId: r.backorderId,
    customerEmail: r.email,
    facts,
    base: {
      segments,
      orderValueMinor: r.total,
      supplierConfirmed: false,
      etaShifted: false,
      alternativeAvailable: false,
      etaEndInDays: null,
      partialShipmentPossible: false,
      replyNegative: false,
      replyWantsCall: false,
    },
  };
}
