/**
 * Sandbox run (the merchant's "test with real data before going live"): replays Shopify exports
 * through detection and the sequence on a simulated clock, in an in-memory database, sending nothing.
 *
 * How the past is reconstructed from exports, which only hold the state at export time:
 * - an order exists from its `Created at`; its fulfilled lines count as shipped from its
 *   `Fulfilled at` (or from `Created at` when a partly fulfilled order has none), and it is cancelled
 *   from its `Cancelled at`;
 * - on-hand stock at time t = on hand in the export + units fulfilled after t (they were still in
 *   the warehouse at t). Receipts during the window are unknown, so restocks are not replayed.
 * - every draft is taken as approved and sent when drafted, as a diligent owner would.
 */
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import type { Settings } from '../../shared/contract';
import { AppError } from '../../shared/result';
import { nextTimelineStep } from '../../core/sequence/engine';
import { standardBackorderFlow, type SequenceFlow } from '../../core/sequence/flow';
import { importShopifyCsv } from '../import/shopify-csv/index';
import { openDatabase, type Db } from '../store/db';
import { saveSettings } from '../store/settings';
import { variantStockView } from '../store/stock';
import { markStockChanged } from '../store/stock-changes';
import { runTick } from './scheduler';

export interface SandboxFile {
  kind: 'orders' | 'products' | 'inventory' | 'customers';
  name: string;
  content: string;
}

export interface SandboxOptions {
  files: SandboxFile[];
  /** First and last simulated day, ISO dates in `timezone`. */
  from: string;
  to: string;
  timezone: string;
  settings?: Partial<Settings>;
  flow?: SequenceFlow;
}

export interface SandboxResult {
  messages: { at: string; orderName: string; step: string; channel: string; to: string }[];
  escalations: { at: string; orderName: string; reason: string }[];
}

interface OrderTimes {
  createdAt: number;
  fulfilledAt: number | null;
  cancelledAt: number | null;
}

/** Reads "Fulfilled at" per order name from orders exports (the store keeps only the final state). */
function fulfilledTimes(files: SandboxFile[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of files) {
    if (f.kind !== 'orders') continue;
    const rows = parse(f.content, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
    for (const r of rows) {
      const name = r['Name'];
      const at = r['Fulfilled at'];
      if (!name || !at) continue;
      const t = Date.parse(at.replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/, '$1T$2$3:$4'));
      if (!Number.isNaN(t)) out.set(name, t);
    }
  }
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Runs the replay and returns what would have been sent and escalated, in time order.
 * @throws AppError('BAD_INPUT') for unreadable dates or files (the importer names file, line, column).
 */
export function runSandbox(opts: SandboxOptions): SandboxResult {
  const start = DateTime.fromISO(opts.from, { zone: opts.timezone }).startOf('day');
  const end = DateTime.fromISO(opts.to, { zone: opts.timezone }).endOf('day');
  if (!start.isValid) throw new AppError('BAD_INPUT', `--from "${opts.from}" is not an ISO date (YYYY-MM-DD).`);
  if (!end.isValid) throw new AppError('BAD_INPUT', `--to "${opts.to}" is not an ISO date (YYYY-MM-DD).`);
  if (end < start) throw new AppError('BAD_INPUT', '--to is before --from.');

  // The full picture, as exported, in one scratch database…
  const full = openDatabase(':memory:');
  const reports = importShopifyCsv(full, opts.files, { now: start.toUTC().toISO()! });
  const refusedWhole = reports.filter((r) => r.rowsRead === 0 && r.refused.length);
  if (refusedWhole.length) throw new AppError('BAD_INPUT', refusedWhole.map((r) => r.refused[0]!.message).join('; '));
  const fulfilledAt = fulfilledTimes(opts.files);

  const orders = new Map<string, OrderTimes>();
  for (const o of full.prepare('SELECT name, created_at AS c, cancelled_at AS x, fulfillment_status AS f FROM orders').all() as {
    name: string; c: string; x: string | null; f: string | null;
  }[]) {
    const fa = fulfilledAt.get(o.name) ?? null;
    orders.set(o.name, { createdAt: Date.parse(o.c), fulfilledAt: fa, cancelledAt: o.x ? Date.parse(o.x) : null });
  }
  const finalOnHand = new Map<string, number | null>();
  for (const [id, s] of variantStockView(full)) finalOnHand.set(id, s.onHand);
  const lines = full
    .prepare(
      `SELECT li.id, li.order_id AS orderId, o.name AS orderName, li.variant_id AS variantId, li.quantity, li.fulfilled_quantity AS fulfilled
         FROM line_items li JOIN orders o ON o.id = li.order_id`,
    )
    .all() as { id: string; orderId: string; orderName: string; variantId: string | null; quantity: number; fulfilled: number }[];

  // …and a simulation database that is moved through time by rewriting order state and stock.
  const sim: Db = openDatabase(':memory:');
  copyAll(full, sim);
  const simSettings = saveSettings(sim, { ...(opts.settings ?? {}), timezone: opts.timezone });
  const flow = opts.flow ?? standardBackorderFlow;

  // The clock jumps from one moment that matters to the next: an order placed, fulfilled or
  // cancelled, or the next step due for some backorder. Nothing can change in between.
  const eventTimes = [start.toMillis()];
  for (const o of orders.values()) {
    for (const t of [o.createdAt, o.fulfilledAt, o.cancelledAt]) if (t !== null && t >= start.toMillis() && t <= end.toMillis()) eventTimes.push(t);
  }
  eventTimes.sort((a, b) => a - b);
  const nextDue = (after: number): number => {
    const recorded = new Map<number, Set<string>>();
    for (const f of sim.prepare('SELECT backorder_id AS b, step_id AS s FROM step_firings').all() as { b: number; s: string }[]) {
      recorded.set(f.b, (recorded.get(f.b) ?? new Set()).add(f.s));
    }
    let best = Infinity;
    for (const b of sim.prepare('SELECT id, opened_at AS o FROM backorders WHERE closed_at IS NULL').all() as { id: number; o: string }[]) {
      const n = nextTimelineStep(flow, { openedAt: b.o, closedAt: null, recorded: recorded.get(b.id) ?? new Set() }, iso(after));
      if (n) best = Math.min(best, Date.parse(n.dueAt));
    }
    return best;
  };

  const setVisible = sim.prepare('UPDATE orders SET cancelled_at = ?, fulfillment_status = ? WHERE name = ?');
  const setFulfilled = sim.prepare('UPDATE line_items SET fulfilled_quantity = ? WHERE id = ?');
  const setStock = sim.prepare("UPDATE inventory_levels SET on_hand = ?, available = NULL, committed = NULL WHERE variant_id = ? AND location_id = 'sandbox'");
  const markSent = sim.prepare("UPDATE messages SET status = 'sent', sent_at = ?, approved_at = ? WHERE status = 'draft'");
  const result: SandboxResult = { messages: [], escalations: [] };

  let i = 0;
  for (let t = eventTimes[0]!; t <= end.toMillis(); ) {
    sim.transaction(() => {
      // Orders not yet placed at t are hidden as cancelled-before-creation; detection skips cancelled orders.
      for (const [name, o] of orders) {
        const placed = o.createdAt <= t;
        const cancelled = !placed || (o.cancelledAt !== null && o.cancelledAt <= t);
        setVisible.run(cancelled ? iso(placed ? o.cancelledAt! : o.createdAt) : null, null, name);
      }
      const shippedAfter = new Map<string, number>();
      for (const l of lines) {
        const o = orders.get(l.orderName)!;
        // A partly fulfilled order has no "Fulfilled at": its shipped lines count as shipped when placed.
        const shippedAt = o.fulfilledAt ?? o.createdAt;
        const shipped = shippedAt <= t;
        setFulfilled.run(shipped ? l.fulfilled : 0, l.id);
        if (!shipped && l.variantId && l.fulfilled > 0) shippedAfter.set(l.variantId, (shippedAfter.get(l.variantId) ?? 0) + l.fulfilled);
      }
      for (const [variantId, onHand] of finalOnHand) {
        setStock.run(onHand === null ? null : onHand + (shippedAfter.get(variantId) ?? 0), variantId);
      }
      markStockChanged(sim);
    })();
    const tick = runTick(sim, flow, simSettings, iso(t));
    markSent.run(iso(t), iso(t));
    for (const d of tick.decisions) {
      if (d.kind === 'message') result.messages.push({ at: d.at, orderName: d.orderName, step: d.stepId, channel: d.channel, to: d.to });
      else result.escalations.push({ at: d.at, orderName: d.orderName, reason: d.task });
    }
    while (i < eventTimes.length && eventTimes[i]! <= t) i++;
    t = Math.min(eventTimes[i] ?? Infinity, nextDue(t));
  }
  full.close();
  sim.close();
  return result;
}

/** Copies the imported catalogue, customers and orders, collapsing stock into one 'sandbox' location. */
function copyAll(from: Db, to: Db): void {
  const tables = ['variants', 'customers', 'orders', 'line_items'];
  to.transaction(() => {
    for (const table of tables) {
      const rows = from.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      if (!rows.length) continue;
      const cols = Object.keys(rows[0]!);
      const ins = to.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map((c) => '@' + c).join(',')})`);
      for (const r of rows) ins.run(r);
    }
    to.prepare("INSERT INTO locations (id, name) VALUES ('sandbox', 'Sandbox (all locations)')").run();
    to.prepare("INSERT INTO inventory_levels (variant_id, location_id, on_hand, updated_at) SELECT id, 'sandbox', NULL, updated_at FROM variants").run();
  })();
}
