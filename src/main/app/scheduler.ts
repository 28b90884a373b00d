/**
 * One scheduler tick: detection, then the sequence engine over every live backorder, then its
 * decisions carried out in one transaction — step firings recorded (at most once per backorder and
 * step), drafts written to the outbox as `draft`, escalation tasks opened. Nothing is sent here.
 *
 * The clock is injected (`now`, ISO 8601), so the same code runs live, in tests and in the sandbox.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Settings } from '../../shared/contract';
import type { Channel, Segment } from '../../shared/domain';
import { composeDraft } from '../../core/drafts/composer';
import type { DraftFacts } from '../../core/drafts/facts';
import { segmentsOf } from '../../core/segments';
import {
  disabledTasksOf,
  evaluateSequence,
  nextTimelineStep,
  type BackorderFacts,
  type BackorderSnapshot,
  type SequenceRules,
} from '../../core/sequence/engine';
import type { Action, BackorderEventKind, SequenceFlow, TemplateId } from '../../core/sequence/flow';
import type { Db } from '../store/db';
import { runDetection } from './detect';
import { trackingFacts } from '../shopify/tracking';
import { etaDraftFacts, etaForTick } from '../eta/tick';
import { consentRequestFacts, ftcTickFacts, type FtcTickFacts } from './ftc-consent';

/** How long after closing a backorder its closing events (restock, shipped) may still fire. */
const CLOSED_LOOKBACK_DAYS = 14;

export interface TickResult {
  now: string;
  backordersOpened: number;
  backordersClosed: number;
  drafted: number;
  escalated: number;
  superseded: number;
  /** What was decided, in order; the sandbox replays these. */
  decisions: TickDecision[];
}

export type TickDecision =
  | { kind: 'message'; at: string; backorderId: number; orderName: string; stepId: string; channel: Channel; to: string }
  | { kind: 'escalation'; at: string; backorderId: number; orderName: string; task: string; reason: string };

interface LiveRow {
  id: number;
  shippingMethod: string | null;
  openedAt: string;
  closedAt: string | null;
  paused: number;
  quantityBackordered: number;
  lineItemId: string;
  lineName: string;
  quantity: number;
  fulfilled: number;
  orderId: string;
  orderName: string;
  orderTotal: number;
  orderCreatedAt: string;
  email: string | null;
  phone: string | null;
  customerName: string | null;
  firstName: string | null;
  acceptsSms: number | null;
  customerPhone: string | null;
  previousOrders: number;
  otherLinesReady: number;
  /** A message about this backorder has been sent (see {@link loadLive}). */
  customerContacted: boolean;
}

/** A backorder the engine must look at this tick: open, or closed recently. */
interface LiveBackorder {
  id: number;
  openedAt: string;
  closedAt: string | null;
  paused: number;
  variantId: string | null;
  /** The steps recorded for it (step_firings), as a JSON array. */
  recorded: string;
}

const LIVE_FROM = `FROM backorders b
         JOIN line_items li ON li.id = b.line_item_id
         JOIN orders o ON o.id = b.order_id`;
const LIVE_WHERE = 'b.closed_at IS NULL OR b.closed_at >= ?';

const liveSince = (now: string): string | null => DateTime.fromISO(now).minus({ days: CLOSED_LOOKBACK_DAYS }).toUTC().toISO();

/**
 * Every backorder the engine must look at: open ones and recently closed ones, in the order the
 * tick handles them (the order {@link loadLive}'s query gives too: both walk backorders_open).
 * Only what deciding whether a step is due needs; {@link loadLive} reads the rest. Not joined to
 * the line item and order as loadLive is: the foreign keys (enforced, ON DELETE CASCADE) make every
 * backorder have both, and the join was a third of this query's time.
 */
function loadLiveBackorders(db: Db, now: string): LiveBackorder[] {
  const rows = db
    .prepare(
      `SELECT b.id, b.opened_at, b.closed_at, b.paused, b.variant_id,
              (SELECT json_group_array(step_id) FROM step_firings f WHERE f.backorder_id = b.id)
         FROM backorders b WHERE ${LIVE_WHERE}`,
    )
    .raw()
    .all(liveSince(now)) as [number, string, string | null, number, string | null, string][];
  // Tuples made into objects here: better-sqlite3's row objects cost twice as much to build.
  return rows.map(([id, openedAt, closedAt, paused, variantId, recorded]) => ({ id, openedAt, closedAt, paused, variantId, recorded }));
}

/**
 * The full rows of the live backorders `ids` (from {@link loadLiveBackorders}, in its order). The
 * customer's previous orders are numbered over every order (a window over the whole table), so
 * this runs only for the backorders the engine may act on.
 */
function loadLive(db: Db, now: string, ids: readonly number[]): LiveRow[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(
      `WITH ranked AS (
         SELECT id, ROW_NUMBER() OVER (PARTITION BY COALESCE(customer_id, lower(email), id) ORDER BY created_at) - 1 AS prev
           FROM orders
       )
       SELECT b.id, b.opened_at AS openedAt, b.closed_at AS closedAt, b.paused, b.quantity_backordered AS quantityBackordered,
              li.id AS lineItemId, li.name AS lineName, li.quantity, li.fulfilled_quantity AS fulfilled,
              o.id AS orderId, o.name AS orderName, o.total_minor AS orderTotal, o.created_at AS orderCreatedAt,
              COALESCE(o.email, c.email) AS email, o.phone, o.customer_name AS customerName, c.first_name AS firstName,
              c.accepts_sms_marketing AS acceptsSms, c.phone AS customerPhone, o.shipping_method AS shippingMethod,
              MAX(r.prev, COALESCE(c.total_orders - 1, 0)) AS previousOrders,
              EXISTS (SELECT 1 FROM line_items o2 WHERE o2.order_id = o.id AND o2.id <> li.id
                        AND o2.quantity > o2.fulfilled_quantity AND o2.requires_shipping = 1
                        AND NOT EXISTS (SELECT 1 FROM backorders b2 WHERE b2.line_item_id = o2.id AND b2.closed_at IS NULL)) AS otherLinesReady
         ${LIVE_FROM}
         JOIN ranked r ON r.id = o.id
         LEFT JOIN customers c ON c.id = o.customer_id
        WHERE (${LIVE_WHERE}) AND b.id IN (SELECT value FROM json_each(?))`,
    )
    .all(liveSince(now), JSON.stringify(ids)) as (Omit<LiveRow, 'customerContacted'> & { customerContacted?: boolean })[];
  // One read of the sent backorders (through messages_status) rather than a correlated subquery:
  // messages has no index by backorder, and this runs for every candidate of the tick.
  const sent = new Set(
    db.prepare("SELECT DISTINCT backorder_id FROM messages WHERE status = 'sent' AND backorder_id IS NOT NULL").pluck().all() as number[],
  );
  for (const r of rows) r.customerContacted = sent.has(r.id);
  const byId = new Map(rows.map((r) => [r.id, r as LiveRow]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** What the engine's facts read of a live backorder's row. */
type FactsRow = Pick<
  LiveRow,
  'closedAt' | 'previousOrders' | 'orderTotal' | 'otherLinesReady' | 'quantity' | 'fulfilled' | 'quantityBackordered' | 'customerContacted'
>;

/** This tick's ETA facts of one backorder. */
type TickEta = ReturnType<typeof etaForTick> extends Map<number, infer E> ? E : never;

/**
 * The facts the engine reads about one live backorder. Those taken from its row are getters, read
 * only when a condition asks for them: run on a probe row, the engine shows whether its decision
 * for the backorder depends on the row at all (see runTick). A fact that comes from the row reads
 * it through {@link FactsRow} (the probe then has to provide it) and stays a getter here; a plain
 * field would still be correct, but would make every backorder load its row on every tick.
 */
class TickFacts implements BackorderFacts {
  readonly supplierConfirmed: boolean;
  readonly etaShifted: boolean;
  readonly alternativeAvailable = false;
  readonly etaEndInDays: number | null;
  readonly replyNegative = false;
  readonly replyWantsCall = false;
  readonly ftcSecondDelay: boolean;
  readonly ftcConsentOverdue: boolean;
  private segmentsOfRow: Segment[] | undefined;

  constructor(
    private readonly row: FactsRow,
    eta: TickEta | undefined,
    private readonly settings: Settings,
    ftc?: FtcTickFacts,
  ) {
    this.supplierConfirmed = eta?.supplierConfirmed ?? false;
    this.etaShifted = eta?.shifted ?? false;
    this.etaEndInDays = eta?.endInDays ?? null;
    this.ftcSecondDelay = ftc?.ftcSecondDelay ?? false;
    this.ftcConsentOverdue = ftc?.ftcConsentOverdue ?? false;
  }

  get segments(): Segment[] {
    return (this.segmentsOfRow ??= segmentsOf({ previousOrders: this.row.previousOrders, orderValueMinor: this.row.orderTotal }, this.settings));
  }

  get orderValueMinor(): number {
    return this.row.orderTotal;
  }

  get customerContacted(): boolean {
    return this.row.customerContacted;
  }

  get partialShipmentPossible(): boolean {
    const r = this.row;
    return r.closedAt === null && (r.otherLinesReady === 1 || r.quantity - r.fulfilled > r.quantityBackordered);
  }
}

/** Which channel a step goes out on: email by default, SMS only for SMS-consenting customers without email. */
function channelFor(r: LiveRow): { channel: Channel; to: string } | null {
  if (r.email) return { channel: 'email', to: r.email };
  const phone = r.customerPhone ?? r.phone;
  if (r.acceptsSms === 1 && phone) return { channel: 'sms', to: phone };
  return null;
}

const STATUS_TEXT: Record<TemplateId, string> = {
  initial_notice: 'backordered',
  day3_update: 'backordered',
  day7_update: 'backordered',
  day14_update: 'backordered',
  eta_change_update: 'backordered',
  restock_notice: 'back in stock',
  shipped_confirmation: 'shipped',
  ftc_consent_request: 'backordered',
};

/** Human date in the store's time zone, e.g. "Thursday, December 3". */
export function humanDay(iso: string, timezone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(timezone).toFormat('cccc, LLLL d');
}

/** Whole calendar days from `fromIso` to `toIso` in `timezone` (0 on the same day). */
export function calendarDaysBetween(fromIso: string, toIso: string, timezone: string): number {
  const a = DateTime.fromISO(fromIso, { setZone: true }).setZone(timezone).startOf('day');
  const b = DateTime.fromISO(toIso, { setZone: true }).setZone(timezone).startOf('day');
  return Math.max(0, Math.round(b.diff(a, 'days').days));
}

/** Message-ID of our own, fixed when the draft is made so a sent message can be found again (RFC 5322 §3.6.4). */
export function makeMessageId(idempotencyKey: string, fromAddress: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(fromAddress)?.[1] ?? 'backorder-desk.invalid';
  const h = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);
  return `<bd.${h}.${randomBytes(6).toString('hex')}@${domain}>`;
}

/** Builds the facts a draft may use: only what the store knows, nothing invented. */
function draftFacts(
  r: LiveRow,
  template: TemplateId,
  action: Extract<Action, { type: 'draft' }>,
  segments: Segment[],
  settings: Settings,
  nextUpdate: string,
  firstContact: boolean,
  now: string,
): DraftFacts {
  const orderNumber = r.orderName.replace(/^#/, '');
  const statusUrl = settings.statusUrlTemplate ? settings.statusUrlTemplate.replaceAll('{order}', encodeURIComponent(orderNumber)) : undefined;
  const firstName = r.firstName ?? r.customerName?.split(/\s+/)[0] ?? undefined;
  return {
    orderName: r.orderName,
    itemName: r.lineName,
    quantityBackordered: r.quantityBackordered,
    quantityOrdered: r.quantity,
    status: STATUS_TEXT[template],
    nextUpdate,
    segments,
    previousOrders: r.previousOrders,
    orderAgeDays: calendarDaysBetween(r.orderCreatedAt, now, settings.timezone),
    // Unset ("") = no name to sign with; the store_name rule holds the draft back meanwhile.
    ...(settings.storeName ? { storeName: settings.storeName } : {}),
    ...(firstName ? { customerFirstName: firstName } : {}),
    ...(r.shippingMethod ? { shippingMethod: r.shippingMethod } : {}),
    ...(statusUrl ? { statusUrl } : {}),
    ...(settings.faqUrl ? { faqUrl: settings.faqUrl } : {}),
    allowedOffers: [...settings.allowedOffers, ...(action.cancelOffer ? ['full refund'] : [])],
    supplierConfirmed: false,
    ftc: settings.ftcMailOrderRule,
    cancelOffer: action.cancelOffer === true,
    firstContact,
  };
}

/**
 * Runs one tick at `now`. Returns counts and the decisions taken.
 * @param flow the sequence as data (standardBackorderFlow by default in the core)
 */
export function runTick(db: Db, flow: SequenceFlow, settings: Settings, now: string): TickResult {
  const detection = runDetection(db, now, { ifChanged: true });
  const rules: SequenceRules = {
    highValueThresholdMinor: settings.highValueThresholdMinor,
    etaLimitDays: settings.etaLimitDays,
    disabledTasks: disabledTasksOf(settings.escalationRules),
  };
  const live = loadLiveBackorders(db, now);
  const etas = etaForTick(db, live, settings, now);
  const ftc = ftcTickFacts(db, settings, now);

  // Most backorders have recorded the same few steps: one read-only set per distinct list.
  const recordedSets = new Map<string, ReadonlySet<string>>();
  const recordedByBo = new Map<number, ReadonlySet<string>>();
  for (const b of live) {
    let set = recordedSets.get(b.recorded);
    if (!set) recordedSets.set(b.recorded, (set = new Set(JSON.parse(b.recorded) as string[])));
    recordedByBo.set(b.id, set);
  }
  // Events of live backorders only: the table keeps every event of every backorder ever closed.
  const eventsByBo = new Map<number, { kind: BackorderEventKind; at: string }[]>();
  const events = db
    .prepare(`SELECT backorder_id AS b, kind, at FROM backorder_events WHERE backorder_id IN (SELECT b.id FROM backorders b WHERE ${LIVE_WHERE})`)
    .all(liveSince(now)) as { b: number; kind: BackorderEventKind; at: string }[];
  for (const e of events) {
    const list = eventsByBo.get(e.b) ?? [];
    list.push({ kind: e.kind, at: e.at });
    eventsByBo.set(e.b, list);
  }

  const snapshot = (b: Pick<LiveBackorder, 'id' | 'openedAt' | 'closedAt' | 'paused'>, facts: BackorderFacts): BackorderSnapshot => ({
    backorderId: b.id,
    openedAt: b.openedAt,
    closedAt: b.closedAt,
    paused: b.paused === 1,
    recorded: recordedByBo.get(b.id) ?? new Set<string>(),
    events: eventsByBo.get(b.id) ?? [],
    facts,
  });
  // On most ticks the engine decides nothing for most backorders (no step due, or only steps whose
  // conditions fail). Each is first evaluated on a probe row: if that yields no decision without
  // reading any fact of the row, the real row would yield none either, and its full row — the
  // expensive part of a tick — is never loaded.
  let readsRow: boolean;
  const touch = (): number => {
    readsRow = true;
    return 0;
  };
  const probe: FactsRow = {
    closedAt: null,
    get previousOrders() { return touch(); },
    get orderTotal() { return touch(); },
    get otherLinesReady() { return touch(); },
    get quantity() { return touch(); },
    get fulfilled() { return touch(); },
    get quantityBackordered() { return touch(); },
    get customerContacted() { return touch() === 1; },
  };
  const candidates: number[] = [];
  for (const b of live) {
    readsRow = false;
    probe.closedAt = b.closedAt;
    const decided = evaluateSequence(flow, snapshot(b, new TickFacts(probe, etas.get(b.id), settings, ftc.get(b.id))), rules, now).length > 0;
    if (decided || readsRow) candidates.push(b.id);
  }
  const rows = loadLive(db, now, candidates);
  // Read only when some backorder may get a message (the outbox grows with every message sent).
  const contacted = new Set(
    rows.length === 0
      ? []
      : (db.prepare("SELECT DISTINCT backorder_id FROM messages WHERE status NOT IN ('discarded') AND backorder_id IS NOT NULL").pluck().all() as number[]),
  );

  const recordFiring = db.prepare('INSERT OR IGNORE INTO step_firings (backorder_id, step_id, fired_at, outcome) VALUES (?, ?, ?, ?)');
  const insertMessage = db.prepare(
    `INSERT OR IGNORE INTO messages (backorder_id, order_id, step_id, channel, to_address, subject, body, facts, status,
        idempotency_key, message_id, produced_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, 'composer', ?, ?)`,
  );
  const insertTask = db.prepare(
    `INSERT OR IGNORE INTO tasks (backorder_id, order_id, kind, reason, recommended_action, context, dedupe_key, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const pause = db.prepare('UPDATE backorders SET paused = 1 WHERE id = ?');
  // A newer step's message makes any unsent one of the same sequence stale ("next update by Dec 3"
  // after Dec 3): it is discarded with the reason, so a customer never gets two messages at once.
  const sequenceSteps = flow.steps.filter((s) => s.catchUpGroup).map((s) => s.id);
  const dropStale = db.prepare(
    `UPDATE messages SET status = 'discarded', last_error = ?, updated_at = ?
      WHERE backorder_id = ? AND status IN ('draft', 'approved') AND step_id <> ?
        AND step_id IN (SELECT value FROM json_each(?))`,
  );

  const out: TickResult = {
    now,
    backordersOpened: detection.opened,
    backordersClosed: detection.closed,
    drafted: 0,
    escalated: 0,
    superseded: 0,
    decisions: [],
  };

  db.transaction(() => {
    for (const r of rows) {
      const facts = new TickFacts(r, etas.get(r.id), settings, ftc.get(r.id));
      const segments = facts.segments;
      const snap = snapshot(r, facts);
      const decisions = evaluateSequence(flow, snap, rules, now);
      if (!decisions.length) continue;
      const afterThisTick = new Set([...snap.recorded, ...decisions.map((d) => d.stepId)]);

      for (const d of decisions) {
        recordFiring.run(r.id, d.stepId, now, d.outcome === 'act' ? 'acted' : d.outcome);
        if (d.outcome !== 'act') {
          if (d.outcome === 'superseded') out.superseded++;
          continue;
        }
        for (const a of d.actions) {
          if (a.type === 'escalate') {
            const info = insertTask.run(
              r.id, r.orderId, a.task, a.reason, a.recommendedAction,
              JSON.stringify({ stepId: d.stepId, orderName: r.orderName, item: r.lineName, segments, orderTotalMinor: r.orderTotal }),
              `${r.id}:${a.task}`, now,
            );
            if (a.pause) pause.run(r.id);
            if (info.changes) {
              out.escalated++;
              out.decisions.push({ kind: 'escalation', at: now, backorderId: r.id, orderName: r.orderName, task: a.task, reason: a.reason });
            }
            continue;
          }
          const dest = channelFor(r);
          if (!dest) {
            const reason = 'No email address or SMS consent for this customer.';
            const info = insertTask.run(r.id, r.orderId, 'no_contact', reason, 'Contact the customer another way and record it.', '{}', `${r.id}:no_contact`, now);
            if (info.changes) {
              out.escalated++;
              out.decisions.push({ kind: 'escalation', at: now, backorderId: r.id, orderName: r.orderName, task: 'no_contact', reason });
            }
            continue;
          }
          const next = nextTimelineStep(flow, { openedAt: r.openedAt, closedAt: r.closedAt, recorded: afterThisTick }, now);
          const nextUpdate =
            a.template === 'shipped_confirmation' ? 'only if something changes'
              : a.template === 'restock_notice' ? 'when it ships, with tracking'
                : next ? `by ${humanDay(next.dueAt, settings.timezone)}` : 'within 7 days';
          const df = { ...draftFacts(r, a.template, a, segments, settings, nextUpdate, !contacted.has(r.id), now), ...etaDraftFacts(etas.get(r.id)), ...(a.template === 'shipped_confirmation' ? trackingFacts(db, r.orderId) : {}), ...(a.template === 'ftc_consent_request' ? consentRequestFacts(db, r.id, etas.get(r.id), settings, now) : {}) };
          const draft = composeDraft(a.template, dest.channel, df);
          const key = `${r.id}:${d.stepId}:${dest.channel}`;
          if (sequenceSteps.includes(d.stepId)) {
            const label = flow.steps.find((s) => s.id === d.stepId)?.label ?? d.stepId;
            dropStale.run(`Not sent: replaced by the newer "${label}" message drafted ${now}.`, now, r.id, d.stepId, JSON.stringify(sequenceSteps));
          }
          const info = insertMessage.run(
            r.id, r.orderId, d.stepId, dest.channel, dest.to, draft.subject, draft.body, JSON.stringify(df),
            key, makeMessageId(key, settings.fromAddress), now, now,
          );
          if (info.changes) {
            contacted.add(r.id);
            out.drafted++;
            out.decisions.push({ kind: 'message', at: now, backorderId: r.id, orderName: r.orderName, stepId: d.stepId, channel: dest.channel, to: dest.to });
          }
        }
      }
    }
  }).immediate();
  return out;
}
