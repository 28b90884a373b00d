/**
 * The FTC Mail Order Rule's second-delay consent flow on the database (rules: src/core/compliance/
 * ftc.ts, 16 CFR 435.2(b)(2) and (c)). Only for a US store, i.e. with the `ftcMailOrderRule` setting
 * on; with it off every function here reports nothing, so the flow's FTC steps never fire.
 *
 * What is read, per open backorder:
 * - the first delay notice that reached the customer with a revised range: the oldest `sent` message
 *   of a delay step whose stored facts have `ftc: true` and an `etaEnd`;
 * - the stored ETA (`backorder_eta`, which only moves by 3 days or more, so estimate noise is no delay);
 * - the consent request: the message of step `ftc_consent_request` (found by its idempotency key,
 *   `<backorder>:ftc_consent_request:<channel>`), its deadline in its facts; a discarded request
 *   withdraws the round;
 * - the customer's answers: backorder events of kind `ftc_consent` ({answer, mailId, requestMessageId})
 *   written by reply handling (src/main/replies/handle.ts).
 *
 * Dates: "today" is the store's calendar day of `now` (settings.timezone); every date is date-only.
 */
import type { Settings } from '../../shared/contract';
import type { FtcConsentState, FtcConsentView, MessageStatus } from '../../shared/domain';
import type { DraftFacts } from '../../core/drafts/facts';
import { consentDeadline, consentOverdue, renewedRange, secondDelayReason, type FirstDelayNotice } from '../../core/compliance/ftc';
import type { ConsentAnswer } from '../../core/triage/consent';
import type { Db } from '../store/db';
import { storeDay, type BackorderEta } from '../eta/backorder-eta';

/** Tasks that lead to "cancel and refund in full" (src/main/replies/actions.ts CANCEL_TASKS). */
const CANCEL_TASK_KINDS = ['cancel_requested', 'high_value_cancellation', 'ftc_no_consent'];

/** Sequence steps whose message is a delay notice (composer.ts DELAY_NOTICE_STEPS, plus day 3). */
const DELAY_STEPS = ['initial_notice', 'day3_update', 'day7_update', 'day14_update', 'eta_change_update'];

/** The flow's FTC facts of one backorder for this tick (engine.ts BackorderFacts). */
export interface FtcTickFacts {
  ftcSecondDelay: boolean;
  ftcConsentOverdue: boolean;
}

interface RequestRow {
  b: number;
  id: number;
  status: MessageStatus;
  sentAt: string | null;
  deadline: string | null;
  etaStart: string | null;
  etaEnd: string | null;
}

interface Round {
  first: FirstDelayNotice & { sentAt: string | null };
  eta: { start: string | null; end: string | null } | null;
  request: RequestRow | null;
  answers: { at: string; answer: ConsentAnswer; mailId: number | null; by: 'reply' | 'person' }[];
}

/** The consent rounds of the open backorders `only` (all open ones when absent) that had a first FTC notice. */
function loadRounds(db: Db, only?: readonly number[]): Map<number, Round> {
  const scope = only
    ? 'SELECT value FROM json_each(?)'
    : 'SELECT id FROM backorders WHERE closed_at IS NULL';
  const args = only ? [JSON.stringify(only)] : [];
  // Found by idempotency key ('<backorder>:<step>:<channel>', unique-indexed): a lookup per open
  // backorder and step, where filtering the outbox would read every message ever sent on every tick.
  // CROSS JOIN fixes the loop order and `+m.status` keeps the planner off the status index.
  const firsts = db
    .prepare(
      `WITH bo(id) AS (${scope})
       SELECT bo.id AS b, json_extract(m.facts, '$.etaEnd') AS revisedEnd, m.sent_at AS sentAt
         FROM bo CROSS JOIN json_each(?) AS step CROSS JOIN json_each('["email","sms"]') AS ch
         CROSS JOIN messages m ON m.idempotency_key = bo.id || ':' || step.value || ':' || ch.value
        WHERE +m.status = 'sent' AND json_extract(m.facts, '$.ftc') = 1 AND json_extract(m.facts, '$.etaEnd') IS NOT NULL
        ORDER BY COALESCE(m.sent_at, m.created_at), m.id`,
    )
    .all(...args, JSON.stringify(DELAY_STEPS)) as { b: number; revisedEnd: string; sentAt: string | null }[];
  const rounds = new Map<number, Round>();
  for (const f of firsts) {
    if (!rounds.has(f.b)) rounds.set(f.b, { first: { revisedEnd: f.revisedEnd, sentAt: f.sentAt }, eta: null, request: null, answers: [] });
  }
  if (rounds.size === 0) return rounds;
  const ids = JSON.stringify([...rounds.keys()]);
  for (const e of db
    .prepare('SELECT backorder_id AS b, start_date AS start, end_date AS end FROM backorder_eta WHERE backorder_id IN (SELECT value FROM json_each(?))')
    .all(ids) as { b: number; start: string | null; end: string | null }[]) {
    rounds.get(e.b)!.eta = { start: e.start, end: e.end };
  }
  for (const r of db
    .prepare(
      `SELECT j.value AS b, m.id, m.status, m.sent_at AS sentAt, json_extract(m.facts, '$.consentDeadline') AS deadline,
              json_extract(m.facts, '$.etaStart') AS etaStart, json_extract(m.facts, '$.etaEnd') AS etaEnd
         FROM json_each(?) j JOIN messages m ON m.idempotency_key IN (j.value || ':ftc_consent_request:email', j.value || ':ftc_consent_request:sms')
        WHERE m.status <> 'discarded' ORDER BY m.id`,
    )
    .all(ids) as RequestRow[]) {
    rounds.get(r.b)!.request = r;
  }
  for (const a of db
    .prepare("SELECT backorder_id AS b, at, data FROM backorder_events WHERE backorder_id IN (SELECT value FROM json_each(?)) AND kind = 'ftc_consent' ORDER BY at, id")
    .all(ids) as { b: number; at: string; data: string }[]) {
    const d = JSON.parse(a.data) as { answer?: ConsentAnswer; mailId?: number | null; requestMessageId?: number; by?: 'reply' | 'person' };
    const round = rounds.get(a.b)!;
    // An answer counts for the request it answered; a withdrawn request's answers do not.
    if (d.answer && round.request && d.requestMessageId === round.request.id) {
      round.answers.push({ at: a.at, answer: d.answer, mailId: typeof d.mailId === 'number' ? d.mailId : null, by: d.by ?? 'reply' });
    }
  }
  return rounds;
}

/** Where a round with a request stands on `today`. */
function stateOf(round: Round & { request: RequestRow }, today: string): FtcConsentState {
  if (round.answers.some((a) => a.answer === 'consent')) return 'consented';
  // A cancel request already opened the cancel task; a second one for the deadline would repeat it.
  if (round.answers.some((a) => a.answer === 'cancel')) return 'cancel_requested';
  return round.request.deadline && consentOverdue(round.request.deadline, today) ? 'overdue' : 'awaiting';
}

/**
 * The FTC facts of every open backorder for this tick (after the tick's ETA step has stored moved
 * ETAs). A backorder without a first FTC notice has none (both false). Empty with the setting off.
 */
export function ftcTickFacts(db: Db, settings: Settings, now: string): Map<number, FtcTickFacts> {
  const out = new Map<number, FtcTickFacts>();
  if (!settings.ftcMailOrderRule) return out;
  const today = storeDay(now, settings.timezone);
  const rounds = loadRounds(db);
  // A customer who asked to cancel has a cancellation task; while it is open, the deadline adds no
  // second one. Resolved without cancelling (or switched off), silence is still not consent.
  const cancelOpen = new Set(
    rounds.size === 0
      ? []
      : (db
          .prepare("SELECT DISTINCT backorder_id FROM tasks WHERE status = 'open' AND backorder_id IS NOT NULL AND kind IN (SELECT value FROM json_each(?))")
          .pluck()
          .all(JSON.stringify(CANCEL_TASK_KINDS)) as number[]),
  );
  for (const [b, round] of rounds) {
    if (round.request) {
      const state = stateOf({ ...round, request: round.request }, today);
      const pastDeadline = round.request.deadline !== null && consentOverdue(round.request.deadline, today);
      out.set(b, { ftcSecondDelay: false, ftcConsentOverdue: state === 'overdue' || (state === 'cancel_requested' && pastDeadline && !cancelOpen.has(b)) });
    } else {
      out.set(b, { ftcSecondDelay: secondDelayReason(round.first, round.eta, today) !== null, ftcConsentOverdue: false });
    }
  }
  return out;
}

/**
 * The facts a consent request adds to a draft of backorder `backorderId`: the new revised range (or
 * none: `etaStart`/`etaEnd` cleared when the current ETA is unknown or already over), the reason for
 * the delay, and the deadline to agree to wait. @param eta this tick's ETA of the backorder.
 * @throws Error when the backorder had no first FTC notice (the flow's condition guarantees one).
 */
export function consentRequestFacts(db: Db, backorderId: number, eta: BackorderEta | undefined, settings: Settings, now: string): Partial<DraftFacts> {
  const round = loadRounds(db, [backorderId]).get(backorderId);
  if (!round) throw new Error(`backorder ${backorderId}: no FTC delay notice with a revised date was sent, so no consent can be asked`);
  const today = storeDay(now, settings.timezone);
  const range = renewedRange(eta ? { start: eta.start, end: eta.end } : round.eta, today);
  const why = secondDelayReason(round.first, round.eta, today);
  const reason =
    eta?.reason ??
    (db.prepare("SELECT json_extract(data, '$.reason') FROM backorder_events WHERE backorder_id = ? AND kind = 'eta_changed' ORDER BY at DESC, id DESC LIMIT 1").pluck().get(backorderId) as string | null) ??
    (why === 'date_passed' ? "our supplier's delivery has not arrived yet" : null);
  return {
    ftc: true,
    consentRequest: true,
    consentDeadline: consentDeadline(range, round.first, today),
    etaStart: range?.start,
    etaEnd: range?.end,
    ...(reason ? { etaReason: reason } : {}),
    allowedOffers: [...settings.allowedOffers, 'full refund'],
  };
}

/**
 * The consent request a reply to backorder `backorderId` may answer: sent, not withdrawn, and not
 * yet answered with consent or a cancel request. Null otherwise, or with the setting off.
 */
export function openConsentRequest(db: Db, settings: Settings, backorderId: number): { messageId: number } | null {
  if (!settings.ftcMailOrderRule) return null;
  const round = loadRounds(db, [backorderId]).get(backorderId);
  if (!round?.request || round.request.status !== 'sent') return null;
  if (round.answers.some((a) => a.answer === 'consent' || a.answer === 'cancel')) return null;
  return { messageId: round.request.id };
}

/**
 * Records an answer to the consent request (an `ftc_consent` backorder event): a reply as reply
 * triage read it, or consent a person recorded from a task (`by: 'person'`; `mailId` null when the
 * customer said so on the phone).
 */
export function recordConsentAnswer(
  db: Db,
  backorderId: number,
  requestMessageId: number,
  mailId: number | null,
  answer: ConsentAnswer,
  now: string,
  by: { by: 'reply' } | { by: 'person'; taskId: number } = { by: 'reply' },
): void {
  db.prepare("INSERT INTO backorder_events (backorder_id, kind, at, data) VALUES (?, 'ftc_consent', ?, ?)").run(
    backorderId,
    now,
    JSON.stringify({ answer, mailId, requestMessageId, ...by }),
  );
}

/** The consent request of backorder `backorderId` that a person may record consent for (not withdrawn), or null. */
export function consentRequestOf(db: Db, backorderId: number): { messageId: number; consented: boolean } | null {
  const round = loadRounds(db, [backorderId]).get(backorderId);
  if (!round?.request) return null;
  return { messageId: round.request.id, consented: round.answers.some((a) => a.answer === 'consent') };
}

/** The consent state of every open backorder that was asked (for the Backorders list). */
export function consentStates(db: Db, settings: Settings, now: string): Map<number, FtcConsentState> {
  const out = new Map<number, FtcConsentState>();
  if (!settings.ftcMailOrderRule) return out;
  const today = storeDay(now, settings.timezone);
  for (const [b, round] of loadRounds(db)) if (round.request) out.set(b, stateOf({ ...round, request: round.request }, today));
  return out;
}

/** The consent round of one backorder for a task's detail, or null when no consent was asked. */
export function consentView(db: Db, settings: Settings, backorderId: number, now: string): FtcConsentView | null {
  const round = loadRounds(db, [backorderId]).get(backorderId);
  if (!round?.request?.deadline) return null;
  const r = round.request;
  const today = storeDay(now, settings.timezone);
  return {
    state: stateOf({ ...round, request: r }, today),
    firstNotice: { sentAt: round.first.sentAt, revisedEnd: round.first.revisedEnd },
    request: { messageId: r.id, status: r.status, sentAt: r.sentAt, deadline: r.deadline!, etaStart: r.etaStart, etaEnd: r.etaEnd },
    answers: round.answers,
  };
}
