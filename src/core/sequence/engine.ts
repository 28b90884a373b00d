/**
 * Sequence engine: decides which steps of a flow are due for one backorder at `now`.
 *
 * Pure function of (flow, backorder snapshot, rules, now). It never sends or writes; the scheduler
 * records its decisions (step_firings has one row per backorder and step, so a step fires at most
 * once) and carries out the actions. Times are ISO 8601 instants; hours are wall-clock hours.
 */
import type { Segment } from '../../shared/domain';
import type { EscalationRules } from '../../shared/contract';
import type { Action, BackorderEventKind, Condition, SequenceFlow, Step, TaskKind } from './flow';

/** Facts about a backorder that conditions read. Later features fill more of them. */
export interface BackorderFacts {
  segments: readonly Segment[];
  /** Order total in minor units (store currency). */
  orderValueMinor: number;
  /** The supplier confirmed (quoted) a date for this item. */
  supplierConfirmed: boolean;
  /** The customer-facing ETA range moved since the customer was last told. */
  etaShifted: boolean;
  /** An in-stock alternative exists. */
  alternativeAvailable: boolean;
  /** Days from today to the end of the predicted ETA range; null = no ETA known. */
  etaEndInDays: number | null;
  /** Another line of the same order is in stock and could ship now. */
  partialShipmentPossible: boolean;
  /** Latest customer reply was triaged as frustrated or angry. */
  replyNegative: boolean;
  /** Latest customer reply asks for a call. */
  replyWantsCall: boolean;
  /** Latest customer reply asks to cancel or for the money back (reply triage). */
  replyWantsCancel?: boolean;
  /** Latest customer reply accepts an alternative item. */
  replyAcceptsAlternative?: boolean;
  /** Latest customer reply gives a new shipping address. */
  replyAddressChange?: boolean;
  /** US store: delayed again after a delay notice with a revised date; no consent asked yet. */
  ftcSecondDelay?: boolean;
  /**
   * US store: the consent request's deadline (store time zone) passed without consent; a cancel
   * answer holds it back only while its cancellation task is open (src/main/app/ftc-consent.ts).
   */
  ftcConsentOverdue?: boolean;
  /**
   * A message about this backorder reached the customer (an outbox row of it is `sent`). Absent =
   * not known to have been sent, so the closing steps that speak of "your backordered item" wait.
   */
  customerContacted?: boolean;
}

/** Thresholds the owner can change (settings). */
export interface SequenceRules {
  /** Orders above this total (minor units) escalate before any cancellation offer. Default 50000 ($500). */
  highValueThresholdMinor: number;
  /** An ETA ending further out than this many days escalates. Default 30. */
  etaLimitDays: number;
  /**
   * Escalations the owner switched off (settings.escalationRules): their escalate actions are
   * dropped; with 'high_value_cancellation' off, no order counts as above the threshold.
   */
  disabledTasks?: readonly TaskKind[];
}

/** The task kinds switched off by the owner's escalation settings. */
export function disabledTasksOf(s: EscalationRules): TaskKind[] {
  const map: [boolean, TaskKind[]][] = [
    [s.highValueBeforeCancellation, ['high_value_cancellation']],
    [s.unhappyReply, ['negative_reply']],
    [s.etaBeyondLimit, ['eta_beyond_limit']],
    [s.partialShipment, ['partial_shipment']],
    [s.callRequested, ['callback_requested']],
    [s.vipDay14, ['vip_personal_outreach']],
    [s.cancelRequest, ['cancel_requested']],
  ];
  return map.filter(([on]) => !on).flatMap(([, kinds]) => kinds);
}

export const defaultSequenceRules: SequenceRules = { highValueThresholdMinor: 50_000, etaLimitDays: 30 };

export interface BackorderSnapshot {
  backorderId: number;
  /** When the backorder was first detected (ISO 8601). Elapsed triggers count from here. */
  openedAt: string;
  closedAt: string | null;
  /** An open task holds the sequence. */
  paused: boolean;
  /** Steps already recorded (fired, superseded or skipped). */
  recorded: ReadonlySet<string>;
  events: readonly { kind: BackorderEventKind; at: string }[];
  facts: BackorderFacts;
}

export type Decision =
  | { stepId: string; dueAt: string; outcome: 'act'; actions: Action[] }
  | { stepId: string; dueAt: string; outcome: 'superseded' | 'skipped' };

const HOUR_MS = 3_600_000;

/** Evaluates one condition against the facts. */
export function holds(c: Condition, f: BackorderFacts, rules: SequenceRules): boolean {
  if ('not' in c) return !holds(c.not, f, rules);
  switch (c.fact) {
    case 'segment':
      return f.segments.includes(c.is);
    case 'orderValueAboveThreshold':
      return f.orderValueMinor > rules.highValueThresholdMinor && !rules.disabledTasks?.includes('high_value_cancellation');
    case 'supplierConfirmed':
      return f.supplierConfirmed;
    case 'etaShifted':
      return f.etaShifted;
    case 'alternativeAvailable':
      return f.alternativeAvailable;
    case 'etaBeyondLimit':
      return f.etaEndInDays !== null && f.etaEndInDays > rules.etaLimitDays;
    case 'etaUnknown':
      return f.etaEndInDays === null;
    case 'partialShipmentPossible':
      return f.partialShipmentPossible;
    case 'replyNegative':
      return f.replyNegative;
    case 'replyWantsCall':
      return f.replyWantsCall;
    case 'replyWantsCancel':
      return f.replyWantsCancel === true;
    case 'replyAcceptsAlternative':
      return f.replyAcceptsAlternative === true;
    case 'replyAddressChange':
      return f.replyAddressChange === true;
    case 'ftcSecondDelay':
      return f.ftcSecondDelay === true;
    case 'ftcConsentOverdue':
      return f.ftcConsentOverdue === true;
    case 'customerContacted':
      return f.customerContacted === true;
  }
}

/** False for an escalate action whose task kind the owner switched off. */
export const enabled = (a: Action, rules: SequenceRules): boolean => a.type !== 'escalate' || !rules.disabledTasks?.includes(a.task);

const allHold = (cs: readonly Condition[] | undefined, f: BackorderFacts, r: SequenceRules): boolean =>
  (cs ?? []).every((c) => holds(c, f, r));

/**
 * When a step becomes due for this backorder (epoch ms), or null if it cannot be due.
 * `opened` is `Date.parse(b.openedAt)`, parsed once per evaluation. The scheduler evaluates every
 * live backorder on every tick, so this allocates nothing.
 */
function dueTime(step: Step, b: BackorderSnapshot, opened: number, nowMs: number): number | null {
  const isOpen = b.closedAt === null;
  switch (step.trigger.type) {
    case 'elapsed':
      return isOpen ? opened + step.trigger.hours * HOUR_MS : null;
    case 'state':
      return isOpen ? nowMs : null;
    case 'event': {
      const kind = step.trigger.event;
      let first: number | null = null;
      for (const e of b.events) {
        if (e.kind !== kind) continue;
        const t = Date.parse(e.at);
        if (t >= opened && (first === null || t < first)) first = t;
      }
      return first;
    }
  }
}

/**
 * Returns the decisions due at `now`, oldest first.
 * - A recorded step never appears again (at most once per backorder).
 * - While paused, only steps marked `runsWhilePaused` are considered.
 * - Within a catch-up group, when several steps are due at once only the newest acts; the rest are
 *   `superseded`, so a laptop that slept sends one current message instead of a burst of stale ones.
 * - An elapsed step whose conditions fail at its due time is `skipped` (it would never become right
 *   later); event and state steps whose conditions fail simply wait.
 */
export function evaluateSequence(
  flow: SequenceFlow,
  b: BackorderSnapshot,
  rules: SequenceRules,
  now: string,
): Decision[] {
  const nowMs = Date.parse(now);
  const opened = Date.parse(b.openedAt);
  const due: { step: Step; at: number }[] = [];
  for (const step of flow.steps) {
    if (b.recorded.has(step.id)) continue;
    if (b.paused && !step.runsWhilePaused) continue;
    const at = dueTime(step, b, opened, nowMs);
    if (at === null || at > nowMs) continue;
    due.push({ step, at });
  }
  if (due.length === 0) return [];

  // Most due steps on most ticks are state steps whose conditions fail: they cost no allocation.
  let newestInGroup: Map<string, number> | null = null;
  for (const d of due) {
    const g = d.step.catchUpGroup;
    if (g && allHold(d.step.conditions, b.facts, rules)) {
      newestInGroup ??= new Map();
      newestInGroup.set(g, Math.max(newestInGroup.get(g) ?? -Infinity, d.at));
    }
  }

  const decided: { at: number; decision: Decision }[] = [];
  for (const { step, at } of due) {
    const ok = allHold(step.conditions, b.facts, rules);
    if (!ok) {
      if (step.trigger.type === 'elapsed') decided.push({ at, decision: { stepId: step.id, dueAt: new Date(at).toISOString(), outcome: 'skipped' } });
      continue;
    }
    const dueAt = new Date(at).toISOString();
    const g = step.catchUpGroup;
    if (g && newestInGroup && at < newestInGroup.get(g)!) {
      decided.push({ at, decision: { stepId: step.id, dueAt, outcome: 'superseded' } });
      continue;
    }
    const actions = step.actions.filter((a) => allHold(a.when, b.facts, rules) && enabled(a, rules));
    decided.push({ at, decision: { stepId: step.id, dueAt, outcome: 'act', actions } });
  }
  // Stable: steps due at the same instant keep the flow's order.
  return decided.sort((x, y) => x.at - y.at).map((d) => d.decision);
}

/**
 * The earliest elapsed step not yet recorded for an open backorder (for "next step" in the UI), or,
 * with `after`, the first one due after that instant (the "when the next update comes" of a draft).
 * Null when the timeline is done or the backorder closed.
 */
export function nextTimelineStep(
  flow: SequenceFlow,
  b: Pick<BackorderSnapshot, 'openedAt' | 'closedAt' | 'recorded'>,
  after?: string,
): { stepId: string; label: string; dueAt: string } | null {
  if (b.closedAt !== null) return null;
  const opened = Date.parse(b.openedAt);
  const afterMs = after === undefined ? -Infinity : Date.parse(after);
  let best: { stepId: string; label: string; at: number } | null = null;
  for (const step of flow.steps) {
    if (step.trigger.type !== 'elapsed' || b.recorded.has(step.id)) continue;
    const at = opened + step.trigger.hours * HOUR_MS;
    if (at <= afterMs) continue;
    if (!best || at < best.at) best = { stepId: step.id, label: step.label, at };
  }
  return best && { stepId: best.stepId, label: best.label, dueAt: new Date(best.at).toISOString() };
}

/** Labels of the flow's steps by id. */
export const stepLabels = (flow: SequenceFlow): Map<string, string> => new Map(flow.steps.map((s) => [s.id, s.label]));
